"""CONLL2003 and SPACY: named-entity spans as token tags or as character entities.

Both walk the tasks the way Label Studio's converter does (``Converter.annotation_result_from_task``):
one item per submitted annotation, newest first; a task without annotations gives one empty item;
a task whose annotations were all skipped gives none. The spans of an item are the values of
the first ``Labels`` control found in its result (``Labels`` only: HyperTextLabels and
ParagraphLabels spans have no character offsets into one string).

- CONLL2003 is byte-for-byte the converter's ``result.conll``: the ``-DOCSTART- -X- O`` header,
  ``token -X- _ TAG`` per token (Treebank tokens, see :mod:`.tokenize`), a blank line per item.
- SPACY is spaCy's training-data layout ``[text, {"entities": [[start, end, label], ...]}]``, one
  record per item, written like the converter writes its JSON files (2-space indent, non-ASCII
  kept). Label Studio's current converter no longer offers spaCy; this is the layout its docs and
  spaCy's ``Example.from_dict`` use, with the same items and spans as CONLL2003.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import msgspec

from labelloom.core.plugin import ExporterSpec, result_outputs, submitted_newest_first

from .tokenize import tokens_and_tags

# Result types a Text + Labels project may also have: classifications are ignored by both
# formats, as the converter ignores them.
SUPPORTS = frozenset({"labels", "choices", "textarea", "rating", "number", "datetime", "taxonomy", "relation"})


def _data_key(context: Any) -> str | None:
    """The text's data key: the converter reads the first (with CONLL offered, the only) data key
    of the objects its controls point at."""
    keys = list(getattr(context.config, "data_keys", ()) or ())
    return keys[0] if keys else None


def converter_items(context: Any, task: dict[str, Any]) -> list[dict[str, Any]]:
    """(text input, outputs by control name) items of one task, in the converter's order."""
    annotations = task.get("annotations") or []
    if not annotations:
        return [{"task": task, "outputs": {}}]
    return [{"task": task, "outputs": result_outputs(context, annotation)} for annotation in submitted_newest_first(task)]


def item_spans(item: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The spans of the first ``Labels`` control of an item (the converter's ``filtered_output``)."""
    for values in item["outputs"].values():
        if values and str(values[0]["type"]).lower() == "labels":
            return values
    return None


def item_text(item: dict[str, Any], key: str | None) -> str:
    value = (item["task"].get("data") or {}).get(key) if key else None
    return value if isinstance(value, str) else ""


async def write_conll(context: Any) -> AsyncIterator[bytes]:
    key = _data_key(context)
    yield b"-DOCSTART- -X- O\n"
    async for batch in context.batches():
        lines: list[str] = []
        for task in batch:
            for item in converter_items(context, task):
                tokens, tags = tokens_and_tags(item_text(item, key), item_spans(item))
                lines.extend(f"{token} -X- _ {tag}\n" for token, tag in zip(tokens, tags))
                lines.append("\n")
        yield "".join(lines).encode()


def spacy_record(text: str, spans: list[dict[str, Any]] | None) -> list[Any]:
    entities = []
    for span in sorted(spans or [], key=lambda s: (s.get("start") or 0, s.get("end") or 0)):
        labels = span.get("labels") or []
        if span.get("start") is None or span.get("end") is None or not labels:
            continue
        entities.append([span["start"], span["end"], labels[0]])
    return [text, {"entities": entities}]


def _json(value: Any) -> bytes:
    # ujson's style, as the converter writes files: 2-space indent, non-ASCII as is, "/" escaped.
    return msgspec.json.format(msgspec.json.encode(value), indent=2).replace(b"/", b"\\/")


async def write_spacy(context: Any) -> AsyncIterator[bytes]:
    key = _data_key(context)
    yield b"[\n"
    first = True
    async for batch in context.batches():
        chunk = bytearray()
        for task in batch:
            for item in converter_items(context, task):
                if not first:
                    chunk += b",\n"
                chunk += _json(spacy_record(item_text(item, key), item_spans(item)))
                first = False
        yield bytes(chunk)
    yield b"\n]"


EXPORTERS = [
    ExporterSpec(
        name="CONLL2003",
        title="CONLL2003",
        description="Popular format used for the CoNLL-2003 named entity recognition challenge.",
        media_type="text/plain",
        file_extension="conll",
        supports=SUPPORTS,
        requires=frozenset({"labels"}),  # Label Studio offers it for span-labeling configs only
        link="https://labelstud.io/guide/export.html#CONLL2003",
        write=write_conll,
        tags=("sequence labeling", "text tagging", "named entity recognition"),
    ),
    ExporterSpec(
        name="SPACY",
        title="spaCy",
        description="spaCy training data: each text with its entities as [start, end, label] "
        "character offsets.",
        media_type="application/json",
        file_extension="json",
        supports=SUPPORTS,
        requires=frozenset({"labels"}),
        link="https://spacy.io/api/data-formats#dict-input",
        write=write_spacy,
        tags=("named entity recognition",),
    ),
]

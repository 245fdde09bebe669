"""Safe XML parsing of labeling configs: no DTD, no entities, no network, bounded size and depth.

Returns lxml elements (which keep ``sourceline``) and the sample-task hint Label Studio allows in
a JSON comment (``<!-- {"data": {...}} -->``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .issues import ConfigInvalid, ConfigIssue

MAX_CONFIG_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_ELEMENTS = 50_000

# An XML declaration may name an encoding, which lxml refuses for str input; the text is already
# decoded, so the declaration carries no information and is dropped.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_LXML_POSITION = re.compile(r", line \d+, column (\d+)$")


@dataclass(slots=True)
class RawDocument:
    root: etree._Element
    sample_hint: dict[str, Any] | None


def _parser() -> etree.XMLParser:
    # A new parser per call: lxml parsers are not thread-safe, and this one is cheap.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_pis=True,
        collect_ids=False,
    )


def _fail(message: str, line: int | None = None) -> ConfigInvalid:
    return ConfigInvalid([ConfigIssue(message=message, line=line)])


def parse_xml(xml: Any) -> RawDocument:
    """Parse ``xml`` or raise :class:`ConfigInvalid` (never any other exception)."""
    if not isinstance(xml, str):
        raise _fail("the labeling config must be a string of XML")
    if len(xml) > MAX_CONFIG_BYTES or len(xml.encode("utf-8", "surrogatepass")) > MAX_CONFIG_BYTES:
        raise _fail(f"the labeling config is larger than {MAX_CONFIG_BYTES} bytes")
    text = _XML_DECLARATION.sub("", xml, count=1)
    if not text.strip():
        raise _fail("the labeling config is empty")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise _fail("DTD and entity declarations are not allowed in a labeling config")
    try:
        root = etree.fromstring(text, _parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        message = _LXML_POSITION.sub(r" (column \1)", str(exc.msg or exc)).strip()
        raise _fail(f"the XML is not well-formed: {message}", line) from None
    except (ValueError, TypeError, UnicodeError) as exc:
        raise _fail(f"the XML cannot be read: {exc}") from None
    if root is None:
        raise _fail("the labeling config is empty")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _fail("DTD and entity declarations are not allowed in a labeling config")
    _check_shape(root)
    return RawDocument(root=root, sample_hint=_sample_hint(root))


def _check_shape(root: etree._Element) -> None:
    count = 0
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _fail(f"tags are nested deeper than {MAX_DEPTH} levels", element.sourceline)
        count += 1
        if count > MAX_ELEMENTS:
            raise _fail(f"the labeling config has more than {MAX_ELEMENTS} tags")
        stack.extend((child, depth + 1) for child in element)


def _sample_hint(root: etree._Element) -> dict[str, Any] | None:
    """The first comment holding a JSON object with ``data`` (Label Studio's preview hint)."""
    comments = [
        *root.itersiblings(etree.Comment, preceding=True),
        *root.iter(etree.Comment),
        *root.itersiblings(etree.Comment),
    ]
    for node in comments:
        body = (node.text or "").strip()
        if not body.startswith("{"):
            continue
        try:
            value = json.loads(body)
        except ValueError:
            continue
        if isinstance(value, dict) and isinstance(value.get("data"), dict):
            return value
    return None

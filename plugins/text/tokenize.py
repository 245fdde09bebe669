"""The tokenizer Label Studio's converter uses for CONLL2003, without NLTK.

The converter (``label_studio_sdk.converter.utils.create_tokens_and_tags``) splits text with
NLTK's ``TreebankWordTokenizer.span_tokenize`` after replacing the tokenizer's ``PUNCTUATION``
rules with its own list (it adds ``/`` to the split characters). Token boundaries decide every
line of the export, so this module repeats those rules step by step; the tests compare it with
NLTK on awkward inputs (quotes, contractions, brackets, ellipses, URLs, emoji).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_STARTING_QUOTES = [
    (re.compile(r"^\""), r"``"),
    (re.compile(r"(``)"), r" \1 "),
    (re.compile(r"([ \(\[{<])(\"|\'{2})"), r"\1 `` "),
]

# The converter's override of TreebankWordTokenizer.PUNCTUATION.
_PUNCTUATION = [
    (re.compile(r"([:,])([^\d])"), r" \1 \2"),
    (re.compile(r"([:,])$"), r" \1 "),
    (re.compile(r"\.\.\."), r" ... "),
    (re.compile(r"[;@#$/%&]"), r" \g<0> "),
    (re.compile(r'([^\.])(\.)([\]\)}>"\']*)\s*$'), r"\1 \2\3 "),
    (re.compile(r"[?!]"), r" \g<0> "),
    (re.compile(r"([^'])' "), r"\1 ' "),
]

_PARENS_BRACKETS = (re.compile(r"[\]\[\(\)\{\}\<\>]"), r" \g<0> ")
_DOUBLE_DASHES = (re.compile(r"--"), r" -- ")

_ENDING_QUOTES = [
    (re.compile(r"''"), " '' "),
    (re.compile(r'"'), " '' "),
    (re.compile(r"([^' ])('[sS]|'[mM]|'[dD]|') "), r"\1 \2 "),
    (re.compile(r"([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) "), r"\1 \2 "),
]

_CONTRACTIONS2 = [re.compile(p) for p in (
    r"(?i)\b(can)(?#X)(not)\b",
    r"(?i)\b(d)(?#X)('ye)\b",
    r"(?i)\b(gim)(?#X)(me)\b",
    r"(?i)\b(gon)(?#X)(na)\b",
    r"(?i)\b(got)(?#X)(ta)\b",
    r"(?i)\b(lem)(?#X)(me)\b",
    r"(?i)\b(more)(?#X)('n)\b",
    r"(?i)\b(wan)(?#X)(na)(?=\s)",
)]
_CONTRACTIONS3 = [re.compile(p) for p in (r"(?i) ('t)(?#X)(is)\b", r"(?i) ('t)(?#X)(was)\b")]
_QUOTES = re.compile(r"``|'{2}|\"")


def treebank_tokens(text: str) -> list[str]:
    """``TreebankWordTokenizer().tokenize(text)`` with the converter's punctuation rules."""
    for regexp, substitution in _STARTING_QUOTES:
        text = regexp.sub(substitution, text)
    for regexp, substitution in _PUNCTUATION:
        text = regexp.sub(substitution, text)
    regexp, substitution = _PARENS_BRACKETS
    text = regexp.sub(substitution, text)
    regexp, substitution = _DOUBLE_DASHES
    text = regexp.sub(substitution, text)
    text = " " + text + " "
    for regexp, substitution in _ENDING_QUOTES:
        text = regexp.sub(substitution, text)
    for regexp in _CONTRACTIONS2:
        text = regexp.sub(r" \1 \2 ", text)
    for regexp in _CONTRACTIONS3:
        text = regexp.sub(r" \1 \2 ", text)
    return text.split()


def span_tokenize(text: str) -> Iterator[tuple[int, int]]:
    """``TreebankWordTokenizer().span_tokenize(text)``: (start, end) code-point offsets."""
    tokens = treebank_tokens(text)
    if '"' in text or "''" in text:
        # The tokenizer rewrote quotes as `` and ''; put the originals back before aligning.
        originals = iter(m.group() for m in _QUOTES.finditer(text))
        tokens = [next(originals, tok) if tok in ('"', "``", "''") else tok for tok in tokens]
    point = 0
    for token in tokens:
        start = text.find(token, point)
        if start < 0:  # NLTK raises here (the whole export fails); we drop the token instead
            continue
        point = start + len(token)
        yield start, point


def tokens_and_tags(text: str, spans: list[dict] | None) -> tuple[list[str], list[str]]:
    """The converter's ``create_tokens_and_tags``: BIO tags from character spans, quirks kept
    (a token is tagged when any of its characters falls inside the span; the first label wins)."""
    tokens_and_idx = [(text[start:end], start) for start, end in span_tokenize(text)]
    if not spans or not all(s.get("start") is not None and s.get("end") is not None for s in spans):
        tokens = [token for token, _ in tokens_and_idx]
        return tokens, ["O"] * len(tokens)
    pending = sorted(spans, key=lambda s: s["start"])
    span = pending.pop(0)
    span_start, span_end, prefix = span["start"], span["end"] - 1, "B-"
    tokens: list[str] = []
    tags: list[str] = []
    for token, token_start in tokens_and_idx:
        tokens.append(token)
        token_end = token_start + len(token) - 1
        if token_start > span_end:
            while pending:
                span = pending.pop(0)
                span_start, span_end, prefix = span["start"], span["end"] - 1, "B-"
                if token_start <= span_end:
                    break
        if not span or token_end < span_start or not span.get("labels"):
            tags.append("O")
        elif span_start <= token_end and span_end >= token_start:
            tags.append(prefix + span["labels"][0])
            prefix = "I-"
        else:
            tags.append("O")
    return tokens, tags

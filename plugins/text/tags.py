"""Text-like object tags (plain text, HTML, dialogues, chats) and their span controls."""

from __future__ import annotations

from typing import Any, Literal

import msgspec
from msgspec import UNSET, UnsetType

from labelloom.core.plugin import (
    ControlAttrs,
    DataTypeSpec,
    LabelsFamilyAttrs,
    ObjectAttrs,
    ResultContext,
    ResultProblem,
    TagSpec,
    label_list_value,
)

from .geometry import HTML_REGIONS, PARAGRAPH_REGIONS, TEXT_REGIONS

Opt = UnsetType


class TextAttrs(ObjectAttrs):
    valueType: Literal["text", "url"] = "text"
    saveTextResult: str | Opt = UNSET  # "yes" / "no"
    selectionEnabled: bool = True
    granularity: Literal["symbol", "word", "sentence", "paragraph"] = "symbol"
    highlightColor: str | Opt = UNSET
    showLabels: bool | Opt = UNSET
    encoding: Literal["none", "base64", "base64unicode"] = "none"


class HyperTextAttrs(TextAttrs):
    inline: bool = False
    clickableLinks: bool = False


class ParagraphsAttrs(ObjectAttrs):
    valueType: Literal["json", "url"] = "json"
    audioUrl: str | Opt = UNSET
    sync: str | Opt = UNSET
    showPlayer: bool = False
    saveTextResult: str | Opt = UNSET
    layout: Literal["none", "dialogue"] = "none"
    nameKey: str = "author"
    textKey: str = "text"
    contextScroll: bool = False
    granularity: str | Opt = UNSET


class ChatAttrs(ObjectAttrs):
    editable: bool | Opt = UNSET
    minMessages: int | Opt = UNSET
    maxMessages: int | Opt = UNSET


class ChatMessageAttrs(ControlAttrs):
    pass


class ChatMessageValue(msgspec.Struct, kw_only=True):
    chatmessage: dict[str, Any]  # a dict, so message fields we do not know survive


def _check_message(value: ChatMessageValue, ctx: ResultContext) -> ChatMessageValue:
    message = value.chatmessage
    for field in ("role", "content"):
        if not isinstance(message.get(field), str):
            raise ResultProblem("must be a string", f"chatmessage.{field}")
    created = message.get("createdAt")
    if created is not None and (isinstance(created, bool) or not isinstance(created, (int, float))):
        raise ResultProblem("must be a timestamp in milliseconds", "chatmessage.createdAt")
    return value


def _sample_paragraphs(node: Any) -> list[dict[str, Any]]:
    name_key = node.attrs.get("nameKey", "author")
    text_key = node.attrs.get("textKey", "text")
    lines = [("Alice", "Hi, Bob."), ("Bob", "Hello, Alice! How are you?"), ("Alice", "Fine, thanks.")]
    return [{name_key: who, text_key: said} for who, said in lines]


def _sample_chat(node: Any) -> list[dict[str, Any]]:
    return [
        {"role": "user", "content": "Can you summarise our returns policy?", "createdAt": 1710000000000},
        {"role": "assistant", "content": "Items can be returned within 30 days.", "createdAt": 1710000005000},
    ]


OBJECT_TAGS = [
    DataTypeSpec(
        name="Text", attrs=TextAttrs, regions=TEXT_REGIONS,
        mime_types=("text/plain",), extensions=(".txt",),
        sample_value=lambda node: "Anna lives in Paris and works for the city museum.",
        widget="widgets/text.js",
    ),
    DataTypeSpec(
        name="HyperText", attrs=HyperTextAttrs, preview="html", regions=HTML_REGIONS,
        mime_types=("text/html", "text/xml"), extensions=(".html", ".htm", ".xml"),
        sample_value=lambda node: "<p>Hello from <b>Labelloom</b>, a page to label.</p>",
        widget="widgets/hypertext.js",
    ),
    DataTypeSpec(
        name="Paragraphs", attrs=ParagraphsAttrs, preview="dialogue", regions=PARAGRAPH_REGIONS,
        mime_types=("application/json",), sample_value=_sample_paragraphs,
        widget="widgets/paragraphs.js",
    ),
    DataTypeSpec(name="Chat", attrs=ChatAttrs, preview="dialogue", self_control="ChatMessage", sample_value=_sample_chat),
]


def _span_labels(name: str, region: str, target: str) -> TagSpec:
    key = name.lower()
    return TagSpec(
        name=name, attrs=LabelsFamilyAttrs, to=(target,), result_type=key, region=region,
        value=label_list_value(key), labels_key=key, items=("Label",), items_required=True,
        example=lambda control: {key: list(control.labels[:1])},
        widget=f"widgets/{key}.js",
    )


CONTROL_TAGS = [
    _span_labels("HyperTextLabels", "htmlspan", "HyperText"),
    _span_labels("ParagraphLabels", "paragraphspan", "Paragraphs"),
    TagSpec(
        name="ChatMessage", attrs=ChatMessageAttrs, to=("Chat",), result_type="chatmessage",
        value=ChatMessageValue, normalize=_check_message,
        example=lambda control: {"chatmessage": {"role": "assistant", "content": "Sure."}},
    ),
]

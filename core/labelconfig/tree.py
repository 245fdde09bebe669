"""From lxml elements to the typed tree: each tag is dispatched to the spec a plugin registered.

Core knows only the language's structural tags (``View``, ``Repeater``); every other tag is
looked up in the registries. An unknown tag becomes an issue (naming the plugin that would
provide it, when one is installed but disabled) and is still walked so more issues surface.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec
from lxml import etree
from msgspec import UNSET, UnsetType

from .attributes import canonical_names, convert_attrs
from .issues import ConfigIssue, tag_label
from .providers import providing_plugin
from .traits import traits_of
from .specs import TagAttrs, VisibleWhen

DEFAULT_INDEX_FLAG = "{{idx}}"


class Node(msgspec.Struct, kw_only=True, omit_defaults=True):
    """One tag of the parsed config, as the browser receives it.

    ``kind`` is ``structural`` (View, Repeater), ``object``, ``control``, ``item`` or ``visual``;
    ``attrs`` holds converted values under their canonical names (variables stay ``"$..."``);
    ``plugin`` names the plugin that registered the tag (its widget lives there); ``traits`` are
    what the browser may ask of it (``labelconfig/traits.py``).
    """

    tag: str
    kind: str
    line: int = 0
    attrs: dict[str, Any] = {}
    children: list[Node] = []
    text: str | None = None
    plugin: str | None = None
    traits: list[str] = []


class ViewAttrs(TagAttrs):
    style: str | UnsetType = UNSET
    className: str | UnsetType = UNSET
    idAttr: str | UnsetType = UNSET
    display: str | UnsetType = UNSET
    visibleWhen: VisibleWhen | UnsetType = UNSET
    whenTagName: str | UnsetType = UNSET
    whenLabelValue: str | UnsetType = UNSET
    whenChoiceValue: str | UnsetType = UNSET


class RepeaterAttrs(TagAttrs):
    on: str
    indexFlag: str = DEFAULT_INDEX_FLAG
    mode: Literal["list", "pagination"] = "list"


STRUCTURAL: dict[str, tuple[str, type]] = {
    "view": ("View", ViewAttrs),
    "repeater": ("Repeater", RepeaterAttrs),
}


@dataclass(eq=False)
class TagRef:
    """A tag with everything validation needs: its spec, typed attributes and neighbours.

    Plugins' ``validate(tag, config)`` functions receive one of these.
    """

    node: Node
    spec: Any  # TagSpec, DataTypeSpec, or None for structural and unknown tags
    typed: Any  # the attribute Struct instance (None if conversion failed)
    raw: dict[str, str]  # attributes as written, names made canonical
    parent: TagRef | None = None
    children: list[TagRef] = field(default_factory=list)
    index_flags: tuple[str, ...] = ()  # placeholders of enclosing Repeaters

    @property
    def tag(self) -> str:
        return self.node.tag

    @property
    def kind(self) -> str:
        return self.node.kind

    @property
    def line(self) -> int:
        return self.node.line

    @property
    def name(self) -> str | None:
        value = self.raw.get("name")
        return value if isinstance(value, str) and value else None

    @property
    def label(self) -> str:
        return tag_label(self.node.tag, self.name)

    def descendants(self) -> list[TagRef]:
        out: list[TagRef] = []
        stack = list(reversed(self.children))
        while stack:
            ref = stack.pop()
            out.append(ref)
            stack.extend(reversed(ref.children))
        return out


@dataclass
class BuiltTree:
    root: TagRef
    refs: list[TagRef]  # document order
    issues: list[ConfigIssue]


def _kind_of(spec: Any, data_types: Any) -> str:
    if spec is None:
        return "unknown"
    if data_types.get(spec.name) is spec:
        return "object"
    return getattr(spec, "kind", "visual")


def build_tree(root: etree._Element, registries: Any) -> BuiltTree:
    issues: list[ConfigIssue] = []
    refs: list[TagRef] = []
    data_types, tags = registries.data_types, registries.tags

    def build(element: etree._Element, parent: TagRef | None, flags: tuple[str, ...]) -> TagRef:
        line = element.sourceline or 0
        written = element.tag if isinstance(element.tag, str) else "?"
        raw_attrs = {str(k): str(v) for k, v in element.attrib.items() if "{" not in str(k)}
        structural = STRUCTURAL.get(written.lower())
        spec: Any = None
        plugin: str | None = None
        if "{" in written or ":" in written:
            written = f"{element.prefix}:{etree.QName(element).localname}" if element.prefix else written
            issues.append(ConfigIssue(f"<{written}>: namespaced tags are not supported", line, written))
            tag_name, attrs_struct = written, None
        elif structural is not None:
            tag_name, attrs_struct = structural
        else:
            spec = data_types.get(written) or tags.get(written)
            if spec is None:
                issues.append(_unknown_tag(written, line))
                tag_name, attrs_struct = written, None
            else:
                tag_name, attrs_struct = spec.name, spec.attrs
                registry = data_types if data_types.get(written) is spec else tags
                plugin = registry.owner(spec.name)
        kind = "structural" if structural else _kind_of(spec, data_types)
        subject = tag_label(tag_name, raw_attrs.get("name") or _lookup_name(raw_attrs))
        converted = convert_attrs(raw_attrs, attrs_struct, subject=subject, tag=tag_name, line=line)
        issues.extend(converted.issues)
        text = (element.text or "").strip() or None
        traits = traits_of(spec, is_object=kind == "object") if spec is not None else []
        node = Node(tag=tag_name, kind=kind, line=line, attrs=converted.attrs, text=text, plugin=plugin, traits=traits)
        ref = TagRef(node, spec, converted.typed, canonical_names(raw_attrs, attrs_struct), parent)
        ref.index_flags = flags
        refs.append(ref)
        child_flags = flags
        if tag_name == "Repeater" and converted.typed is not None:
            child_flags = (*flags, converted.typed.indexFlag)
        for child in element:
            if not isinstance(child.tag, str):
                continue  # comments and processing instructions
            child_ref = build(child, ref, child_flags)
            ref.children.append(child_ref)
            node.children.append(child_ref.node)
        return ref

    root_ref = build(root, None, ())
    return BuiltTree(root_ref, refs, issues)


def _lookup_name(raw: dict[str, str]) -> str | None:
    for key, value in raw.items():
        if key.lower() == "name":
            return value
    return None


def _unknown_tag(written: str, line: int) -> ConfigIssue:
    plugin = providing_plugin(written)
    if plugin is not None:
        message = f'tag <{written}> needs plugin "{plugin}", which is not enabled'
    else:
        message = f"unknown tag <{written}>"
    return ConfigIssue(message, line, written)

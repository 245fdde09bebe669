"""The browser shell names no tag: what is tag-specific comes from the plugins' specs.

The shell (``web/static/app`` and ``web/static/labeling``) learns what a tag does from
``GET /api/plugins`` (``tags.<Tag>``: kind, traits, preview, extensions, region, items) and from
the ``traits`` of each labeling-tree node. A hard-coded tag list goes stale the day a plugin
registers a new tag, so this test fails when a file there uses a registered tag's name.

The rule. Each ``.js`` file is tokenized (comments, and the text of template literals, are
dropped; the code inside ``${...}`` is kept). A string literal that *equals* the name of a tag the
real plugin registry holds is an offence when it is used as a tag name:

- compared: ``=== "X"``, ``!== "X"``, ``"X" == y``, ``case "X":``;
- looked up or tested by a collection or string method: ``.has("X")``, ``.includes("X")``,
  ``.get("X")``, ``.indexOf("X")``, ``.add("X")``, ``.startsWith("X")``, ``.endsWith("X")`` ...;
- a member of an array literal (``new Set(["X", ...])``, ``["X", ...].includes(t)``) or a
  computed key (``map["X"]``);
- a key of an object literal, quoted or not (``{ X: ... }``, ``{ "X": ... }``): maps by tag.

A regular-expression literal containing a tag name as a word (``/Labels$/``) is an offence too.

Not offences: prose (comments, visible text in templates, a string used as a value such as
``{ title: "Label" }`` or ``cond ? "Label" : ""``), and words that merely contain a tag name.
A shell vocabulary that happens to share a tag's spelling (the data manager's column value type
"Number") is named once as an object *value* and compared through that constant.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHELL_DIRS = [ROOT / "web" / "static" / "app", ROOT / "web" / "static" / "labeling"]

COMPARISONS = {"===", "!==", "==", "!="}
METHODS = {"has", "includes", "indexOf", "lastIndexOf", "add", "get", "set", "delete", "startsWith", "endsWith"}
# After these tokens a "/" starts a regular expression rather than a division.
REGEX_AFTER = set("(,=:[!&|?{};+-*%<>~^") | {"=>", "&&", "||", "??", "...", "return", "typeof", "case", "do", "else", "in", "of", "new",
                                             "delete", "void", "throw", "instanceof", "yield", "await"} | COMPARISONS
PUNCT = re.compile(r"===|!==|=>|==|!=|&&|\|\||\?\?|\?\.|\.\.\.|[{}()\[\];,.:?=!<>+\-*%&|^~@#]")
IDENT = re.compile(r"[A-Za-z_$][\w$]*")
NUMBER = re.compile(r"\d[\w.]*")


@cache
def registered_tags() -> frozenset[str]:
    from labelloom.core.manager import build_plugin_host

    host = build_plugin_host()
    host.register_all()
    regs = host.registries
    return frozenset(spec.name for registry in (regs.data_types, regs.tags) for spec in registry)


def tokens(source: str) -> list[tuple[str, str, int]]:
    """(kind, text, line) for code tokens: kind is "str", "regex", "ident", "num", "punct" or
    "tpl" (a template literal's text, content dropped). Comments are skipped."""
    out: list[tuple[str, str, int]] = []
    braces: list[str] = []  # "{" for code braces, "`" for a template's ${...}
    i, n = 0, len(source)

    def line() -> int:
        return source.count("\n", 0, i) + 1

    def template() -> None:  # i is just after a backtick or the "}" closing a ${...}
        nonlocal i
        while i < n:
            c = source[i]
            if c == "\\":
                i += 2
            elif c == "`":
                i += 1
                out.append(("tpl", "", line()))
                return
            elif source.startswith("${", i):
                i += 2
                braces.append("`")
                out.append(("punct", "(", line()))  # the expression starts a fresh context
                return
            else:
                i += 1

    while i < n:
        c = source[i]
        if c.isspace():
            i += 1
        elif source.startswith("//", i):
            end = source.find("\n", i)
            i = n if end < 0 else end
        elif source.startswith("/*", i):
            end = source.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "\"'":
            j, text = i + 1, []
            while j < n and source[j] != c:
                if source[j] == "\\":
                    text.append(source[j : j + 2])
                    j += 2
                else:
                    text.append(source[j])
                    j += 1
            out.append(("str", "".join(text), line()))
            i = j + 1
        elif c == "`":
            i += 1
            template()
        elif c == "/" and (not out or out[-1][1] in REGEX_AFTER):
            j, in_class = i + 1, False
            while j < n and (in_class or source[j] != "/") and source[j] != "\n":
                if source[j] == "\\":
                    j += 1
                elif source[j] == "[":
                    in_class = True
                elif source[j] == "]":
                    in_class = False
                j += 1
            out.append(("regex", source[i + 1 : j], line()))
            i = j + 1
            while i < n and source[i].isalpha():
                i += 1
        elif c == "}" and braces and braces[-1] == "`":
            braces.pop()
            out.append(("punct", ")", line()))
            i += 1
            template()
        elif m := IDENT.match(source, i):
            out.append(("ident", m.group(), line()))
            i = m.end()
        elif m := NUMBER.match(source, i):
            out.append(("num", m.group(), line()))
            i = m.end()
        elif m := PUNCT.match(source, i):
            text = m.group()
            if text == "{":
                braces.append("{")
            elif text == "}" and braces:
                braces.pop()
            out.append(("punct", "/" if text == "/" else text, line()))
            i = m.end()
        else:  # "/" as division, stray characters
            out.append(("punct", c, line()))
            i += 1
    return out


def offences(source: str, tags: frozenset[str]) -> list[str]:
    """Each use of a tag name as a tag name, as "line N: reason"."""
    toks = tokens(source)
    found: list[str] = []
    stack: list[str] = []  # enclosing brackets
    for k, (kind, text, line) in enumerate(toks):
        prev = toks[k - 1][1] if k else ""
        nxt = toks[k + 1][1] if k + 1 < len(toks) else ""
        if kind == "punct" and text in "([{":
            stack.append(text)
            continue
        if kind == "punct" and text in ")]}":
            if stack:
                stack.pop()
            continue
        if kind == "regex":
            named = sorted(set(re.findall(r"[A-Za-z]+", text)) & tags)
            if named:
                found.append(f"line {line}: /{text}/ tests for {', '.join(named)}")
            continue
        if text not in tags or kind not in ("str", "ident"):
            continue
        enclosing = stack[-1] if stack else ""
        is_key = enclosing == "{" and prev in ("{", ",") and nxt == ":"
        if kind == "ident":
            if is_key:
                found.append(f"line {line}: {text} is a key of a map by tag")
            continue
        method = toks[k - 2][1] if k >= 3 and prev == "(" and toks[k - 3][1] in (".", "?.") else ""
        if prev in COMPARISONS or nxt in COMPARISONS or prev == "case":
            found.append(f'line {line}: compares with "{text}"')
        elif method in METHODS:
            found.append(f'line {line}: .{method}("{text}")')
        elif enclosing == "[":
            found.append(f'line {line}: "{text}" in a list of tags')
        elif is_key:
            found.append(f'line {line}: "{text}" is a key of a map by tag')
    return found


def shell_files() -> list[Path]:
    return sorted(p for d in SHELL_DIRS for p in d.rglob("*.js"))


def test_the_rule_catches_tag_names_used_as_tags_and_spares_prose():
    tags = frozenset({"Image", "Labels", "Choice", "Label"})
    source = """
        // A comment may say Image, "Image" or /Labels$/.
        /** @type {Record<string, string>} "Image" */
        const A = node.tag === "Image";
        const B = "Choice" !== x;
        const C = new Set(["Video", "Image"]);
        const D = { Image: "picture", "Label": 1, title: "Label", other: ok ? "Label" : "" };
        const E = tag.endsWith("Labels") || /Labels$/.test(tag) || map["Choice"];
        switch (t) { case "Label": break; }
        const F = html`<span title="Image">${x === "Label" ? "Image" : ""} Labels</span>`;
        const G = `${a}Labels`;
        const H = { group: "Labels" }, I = t("Image"), J = "Imagery" === t;
    """
    lines = [o.split(":")[0] for o in offences(source, tags)]
    assert lines == [
        "line 4", "line 5", "line 6", "line 7", "line 7", "line 8", "line 8", "line 8", "line 9", "line 10",
    ], offences(source, tags)


def test_the_registry_is_read():
    assert {"Choices", "Image", "Label", "RectangleLabels"} <= registered_tags()


@pytest.mark.parametrize("path", shell_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_shell_file_names_no_tag(path):
    found = offences(path.read_text(encoding="utf-8"), registered_tags())
    assert not found, f"{path.relative_to(ROOT)} names tags; ask the catalogue's traits instead:\n" + "\n".join(found)

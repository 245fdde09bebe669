"""docs/plugins.md, the plugin author's guide, covers the whole plugin surface (as datasette's
documentation tests do for its hooks):

- every hook of ``core/hookspecs.py`` has a section whose heading names it as code, e.g.
  ``### `labelloom_register_tags(registry)` ``;
- every name of ``labelloom.core.plugin.__all__`` appears in the guide as code (an inline code
  span or a fenced block), not merely as a word of prose;
- every spec class exported there (each dataclass of ``__all__``, RegionSpec included) and every
  attribute Struct has a section headed by its name, whose table rows list each of its fields
  in backticks in the first column (Structs: the fields they add to their base);
- the Python examples parse, and import from Labelloom only the public module and the test kit,
  and only names those export;
- the minimal plugin of "Getting started" (its pyproject.toml, module and widget, written out
  from the guide) is a conforming plugin.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import msgspec
import pytest

from labelloom.core import hookspecs, plugin as public
from labelloom.core import testing as test_kit

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"

FENCE = re.compile(r"^(```+|~~~+)(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")


# ---------------------------------------------------------------------------------------------
# A small markdown reader: headings, sections, code spans, fenced blocks, table rows
# ---------------------------------------------------------------------------------------------


@dataclass
class Block:
    info: str  # the fence's info string ("python", "toml" ...)
    text: str
    section: str  # the title of the nearest ``##`` heading above it


@dataclass
class Section:
    level: int
    title: str
    lines: list[str]  # the body, up to the next heading of the same or a higher level

    def code_names(self) -> list[str]:
        """The heading's code spans, each cut at its first ``(``: "`labelloom_x(a)`" -> labelloom_x."""
        return [span.split("(")[0].strip() for _, span in CODE_SPAN.findall(self.title)]

    def table_first_cells(self) -> set[str]:
        """The backticked names in the first column of every table row of the section."""
        names = set()
        for line in self.lines:
            stripped = line.strip()
            if not stripped.startswith("|"):
                continue
            first = stripped.strip("|").split("|")[0]
            match = CODE_SPAN.search(first)
            if match:
                names.add(match.group(2).split("(")[0].strip())
        return names


@dataclass
class Markdown:
    sections: list[Section]
    blocks: list[Block]
    inline_code: list[str]

    @classmethod
    def parse(cls, text: str) -> Markdown:
        lines = text.splitlines()
        headings: list[tuple[int, int, str]] = []  # (line index, level, title)
        blocks: list[Block] = []
        inline: list[str] = []
        fence: str | None = None
        info = ""
        body: list[str] = []
        chapter = ""
        for index, line in enumerate(lines):
            opened = FENCE.match(line.strip())
            if fence is not None:
                if opened and line.strip().startswith(fence) and not opened.group(2).strip():
                    blocks.append(Block(info, "\n".join(body), chapter))
                    fence = None
                else:
                    body.append(line)
                continue
            if opened:
                fence, info, body = opened.group(1), opened.group(2).strip(), []
                continue
            heading = HEADING.match(line)
            if heading:
                level = len(heading.group(1))
                headings.append((index, level, heading.group(2)))
                if level == 2:
                    chapter = heading.group(2)
            inline.extend(span for _, span in CODE_SPAN.findall(line))
        assert fence is None, "an unclosed code fence"
        sections = []
        for position, (index, level, title) in enumerate(headings):
            end = next((i for i, lvl, _ in headings[position + 1:] if lvl <= level), len(lines))
            sections.append(Section(level, title, lines[index + 1:end]))
        return cls(sections, blocks, inline)

    def sections_naming(self, name: str) -> list[Section]:
        return [s for s in self.sections if name in s.code_names()]

    def mentions_as_code(self, name: str) -> bool:
        word = re.compile(rf"(?<![\w.]){re.escape(name)}(?!\w)")
        return any(word.search(code) for code in self.inline_code) or any(
            word.search(block.text) for block in self.blocks
        )


@pytest.fixture(scope="module")
def doc() -> Markdown:
    return Markdown.parse(DOC.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------------------------
# What the guide must cover, read from the code
# ---------------------------------------------------------------------------------------------


def hook_names() -> list[str]:
    return sorted(
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hasattr(function, "labelloom_spec")
    )


def exported_spec_classes() -> list[type]:
    """Every dataclass of ``__all__`` (RegionSpec too, wherever it is exported from) and every
    msgspec Struct there (the attribute bases)."""
    classes = {getattr(public, name) for name in public.__all__}
    classes.add(public.RegionSpec)
    return sorted(
        (c for c in classes if inspect.isclass(c) and (dataclasses.is_dataclass(c) or issubclass(c, msgspec.Struct))),
        key=lambda c: c.__name__,
    )


def documented_fields(cls: type) -> list[str]:
    """The fields a class's table must list: a dataclass's public fields; a Struct's own fields
    (those it adds to the Struct it derives from)."""
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls) if not f.name.startswith("_")]
    inherited: set[str] = set()
    for base in cls.__mro__[1:]:
        if isinstance(base, type) and issubclass(base, msgspec.Struct) and base is not msgspec.Struct:
            inherited.update(f.name for f in msgspec.structs.fields(base))
    return [f.name for f in msgspec.structs.fields(cls) if f.name not in inherited]


# ---------------------------------------------------------------------------------------------
# The checks
# ---------------------------------------------------------------------------------------------


def test_the_markdown_reader_finds_what_the_checks_rely_on():
    parsed = Markdown.parse(
        "# T\n## A\n### `f(x)`\ntext `g`\n| Field | Type |\n|---|---|\n| `x` | int |\n"
        "```python\n# a `h` comment\n## not a heading\nh = 1\n```\n### `C`\n## B\n"
    )
    hook = parsed.sections_naming("f")[0]
    assert hook.level == 3 and hook.table_first_cells() == {"x"}
    assert "not a heading" not in [s.title for s in parsed.sections]
    assert [s.title for s in parsed.sections if s.level == 2] == ["A", "B"]
    assert parsed.sections_naming("C")[0].lines == []
    assert parsed.mentions_as_code("g") and parsed.mentions_as_code("h") and not parsed.mentions_as_code("T")


def test_the_surface_the_checks_read_is_not_empty():
    assert len(hook_names()) >= 13
    names = {c.__name__ for c in exported_spec_classes()}
    assert {"DataTypeSpec", "TagSpec", "RegionSpec", "ExporterSpec", "ControlAttrs"} <= names


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_section(doc, hook):
    sections = doc.sections_naming(hook)
    assert sections, f"docs/plugins.md has no heading naming the hook, e.g. ### `{hook}(...)`"
    body = "\n".join(sections[0].lines).strip()
    assert len(body) > 80, f"the section of {hook} in docs/plugins.md is (nearly) empty"


@pytest.mark.parametrize("name", sorted(public.__all__))
def test_every_public_name_is_documented(doc, name):
    assert doc.mentions_as_code(name), (
        f"labelloom.core.plugin exports {name!r} but docs/plugins.md never names it as code (`{name}`)"
    )


@pytest.mark.parametrize("cls", exported_spec_classes(), ids=lambda c: c.__name__)
def test_every_field_of_every_spec_class_is_in_its_table(doc, cls):
    sections = doc.sections_naming(cls.__name__)
    assert sections, f"docs/plugins.md has no section headed `{cls.__name__}`"
    listed = set().union(*(s.table_first_cells() for s in sections))
    missing = [f for f in documented_fields(cls) if f not in listed]
    assert not missing, (
        f"the section `{cls.__name__}` of docs/plugins.md has no table row for: {', '.join(missing)}"
    )


def test_python_examples_parse_and_use_only_the_public_surface(doc):
    allowed = {"labelloom.core.plugin": set(public.__all__), "labelloom.core.testing": set(dir(test_kit))}
    problems = []
    for block in doc.blocks:
        if block.info != "python":
            continue
        try:
            tree = ast.parse(block.text)
        except SyntaxError as exc:
            problems.append(f"a Python example in {block.section!r} does not parse: {exc}")
            continue
        for node in ast.walk(tree):
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            )
            for module in modules:
                if not module.startswith("labelloom"):
                    continue
                if module not in allowed:
                    problems.append(f"an example in {block.section!r} imports the private module {module}")
                elif isinstance(node, ast.ImportFrom):
                    unknown = [a.name for a in node.names if a.name not in allowed[module]]
                    if unknown:
                        problems.append(f"an example in {block.section!r} imports {unknown} from {module}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# The minimal plugin, written out from the guide, conforms
# ---------------------------------------------------------------------------------------------

PATH_COMMENT = re.compile(r"^(?:#|//)\s*([\w./-]+\.(?:toml|py|js))\s*$")


def getting_started_files(doc: Markdown) -> dict[str, str]:
    """Fenced blocks of "Getting started" whose first line is a path comment (``# pyproject.toml``)."""
    files = {}
    for block in doc.blocks:
        if block.section != "Getting started":
            continue
        match = PATH_COMMENT.match(block.text.partition("\n")[0].strip())
        if match:  # the path comment is a comment in TOML, Python and JavaScript alike
            files[match.group(1)] = block.text + "\n"
    return files


def test_the_minimal_plugin_conforms(doc, tmp_path, monkeypatch):
    files = getting_started_files(doc)
    assert "pyproject.toml" in files, "the minimal plugin's pyproject.toml is missing from Getting started"
    for relative, text in files.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    project = tomllib.loads(files["pyproject.toml"])
    entry_points = project["project"]["entry-points"]["labelloom"]
    assert len(entry_points) == 1
    [(name, module_name)] = entry_points.items()
    package = module_name.split(".")[0]
    assert project["tool"]["setuptools"]["package-data"][package] == ["static/**/*"]
    assert f"{module_name.replace('.', '/')}/__init__.py" in files

    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        module = importlib.import_module(module_name)
        # The template uses <Choices> of the built-in controls plugin, installed with Labelloom.
        controls = importlib.import_module("labelloom.plugins.controls")
        problems = test_kit.plugin_problems(name, modules={"controls": controls, name: module})
        assert problems == [], problems
        # The checks see the plugin: a widget that is not shipped is reported.
        widget = next(tmp_path.glob(f"{package}/static/**/*.js"))
        widget.unlink()
        assert any("widget" in p for p in test_kit.plugin_problems(name, modules={"controls": controls, name: module}))
    finally:
        for loaded in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[loaded]

"""Core's layering, checked on the source: the packages of ``labelloom.core`` form layers, and a
package imports only packages of its own layer or below. Every import counts: module-level,
inside functions and under ``TYPE_CHECKING`` (a function-level import hides a cycle from Python,
not from the design).

A *unit* is a top-level module of core (``core/events.py`` -> ``events``) or package
(``core/tasks/`` -> ``tasks``); ``labelloom.core`` itself (``__version__``) is ``core``. The
alembic script directory ``core/db/migrations`` is its own unit: alembic runs it from a path and
nothing imports it, and its ``env.py`` needs every model (``labelloom.core.models``) for
autogenerate, so it sits on top while the rest of ``db`` sits at the bottom.

Layers, bottom to top:

0. foundation: ``core``, ``errors``, ``settings``, ``paging``, ``net``
1. storage and registries: ``db`` (base, engine, bulk writes, migration runner), ``registries``,
   ``files``
2. the config language: ``labelconfig`` (handlers get the ``registries`` dependency, not the host)
3. the plugin contract: ``specs`` (its tag specs speak labelconfig's types), ``hookspecs``,
   ``host`` (``PluginHost``, the typed facade over pluggy)
4. domain events: ``events`` (the bus, and ``serialize`` for payload parts)
5. accounts: ``users``; then ``teams`` (roles, the permission matrix, project members, task
   assignments: below the domains, so every layer above may check a permission)
6. domains: ``projects``, ``tasks``, ``annotations``, ``predictions``; each builds the payloads of
   its own events (``<domain>/payloads.py``)
7. ``jobs`` (queues, job service, worker)
8. ``webhooks`` (fan-out stage and delivery jobs; ``webhooks.payloads`` lists the domains' builders)
9. ``imports``
9b. ``quality`` (agreement, ground-truth scores, dashboard rollups; the data manager reads it)
10. ``datamanager`` (also serves ``/api/tasks``: listing is the data manager's, creating the importer's)
11. features: ``export``, ``stream``, ``storage`` (cloud and local storage connections)
12. the HTTP shell: ``deps``, ``errors_http``, ``db_errors``, ``webapp``, ``system``, ``security_headers``
13. composition: ``manager`` (builds the host, loads ``coreplugin``), ``coreplugin``,
    ``builtin_jobs`` (core's own jobs, from several packages), ``background`` (a process's queue,
    job service, event bus and worker), ``commands`` (what the CLI does), ``models`` (every table),
    ``db.migrations``, ``app``, ``server``, ``cli``, ``testing``, ``plugin`` (the public surface)

The domains still import each other (a project's config change checks its annotations, task
counters are sums of annotations and predictions, duplicating a project copies its tasks): that
one cycle is allowed, within its layer, and must not grow. No other cycle is, at any depth.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "core"
PREFIX = "labelloom.core"

LAYERS: list[tuple[str, set[str]]] = [
    ("foundation", {"core", "errors", "settings", "paging", "net", "input_limits", "gc_pause"}),
    ("storage and registries", {"db", "registries", "files"}),
    ("config language", {"labelconfig"}),
    ("plugin contract", {"specs", "hookspecs", "host"}),
    ("domain events", {"events"}),
    ("accounts", {"users"}),
    ("teams", {"teams"}),
    ("domains", {"projects", "tasks", "annotations", "predictions", "history", "comments", "review"}),
    ("jobs", {"jobs"}),
    ("webhooks", {"webhooks"}),
    ("imports", {"imports"}),
    ("quality", {"quality"}),
    ("data manager", {"datamanager"}),
    ("features", {"export", "stream", "labelchanges", "storage", "ml"}),
    ("http shell", {"deps", "errors_http", "db_errors", "webapp", "system", "security_headers", "litestar_tuning"}),
    (
        "composition",
        {"manager", "coreplugin", "builtin_jobs", "background", "commands", "models", "db.migrations",
         "app", "server", "cli", "testing", "plugin"},
    ),
]
LAYER_OF = {unit: index for index, (_, units) in enumerate(LAYERS) for unit in units}

# The one cycle left between units; a cycle may only be a part of it.
ALLOWED_CYCLE = {"projects", "tasks", "annotations", "predictions"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(CORE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([PREFIX, *parts])


def is_module(name: str) -> bool:
    """Whether ``labelloom.core.<...>`` names a module or package of core (not a name in one)."""
    relative = CORE.joinpath(*name.split(".")[2:])
    return relative.with_suffix(".py").is_file() or (relative / "__init__.py").is_file()


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, module)`` for every import of a core module in ``path``, wherever it is written."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            # `from package import x` imports the module package.x when x is one
            submodules = [f"{module}.{a.name}" for a in node.names if is_module(f"{module}.{a.name}")]
            targets = submodules if submodules and len(submodules) == len(node.names) else [module, *submodules]
        else:
            continue
        for target in targets:
            if target == PREFIX or target.startswith(PREFIX + "."):
                yield node.lineno, target


def unit_of(module: str, depth: int = 1) -> str:
    parts = module.split(".")[2:]
    if not parts:
        return "core"
    if parts[:2] == ["db", "migrations"]:
        return "db.migrations"
    return ".".join(parts[:depth])


def import_graph(depth: int = 1) -> dict[str, dict[str, list[str]]]:
    """``{unit: {imported unit: ["file:line", ...]}}`` over every source file of core."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(CORE.rglob("*.py")):
        source = unit_of(module_name(path), depth)
        edges = graph.setdefault(source, {})
        for line, target in imports_of(path):
            destination = unit_of(target, depth)
            if destination != source:
                edges.setdefault(destination, []).append(f"{path.relative_to(CORE.parent)}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[set[str]]:
    """The strongly connected components of more than one unit (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph.get(root, ())))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_every_unit_has_a_layer() -> None:
    units = set(import_graph())
    missing = sorted(units - set(LAYER_OF))
    assert not missing, f"place these in LAYERS (tests/core/test_layering.py and docs/architecture.md): {missing}"
    assert not set(LAYER_OF) - units, f"LAYERS names units that no longer exist: {sorted(set(LAYER_OF) - units)}"


def test_no_unit_imports_a_higher_layer() -> None:
    upward = [
        f"{source} ({LAYERS[LAYER_OF[source]][0]}) imports {target} ({LAYERS[LAYER_OF[target]][0]}): "
        + ", ".join(where)
        for source, edges in sorted(import_graph().items())
        for target, where in sorted(edges.items())
        if source in LAYER_OF and target in LAYER_OF and LAYER_OF[target] > LAYER_OF[source]
    ]
    assert not upward, "imports against the layering:\n" + "\n".join(upward)


def test_the_only_cycle_is_the_domains_one() -> None:
    graph = import_graph()
    for component in cycles(graph):
        assert component <= ALLOWED_CYCLE, (
            f"import cycle between {sorted(component)}:\n"
            + "\n".join(
                f"  {a} -> {b}: {', '.join(graph[a][b])}"
                for a in sorted(component) for b in sorted(graph[a]) if b in component
            )
        )


def test_no_cycle_between_modules() -> None:
    """One level down (``labelconfig.parse``, ``tasks.counters``, ...) there is no cycle at all."""
    graph = import_graph(depth=2)
    found = cycles(graph)
    assert not found, "import cycles between modules:\n" + "\n".join(
        "  " + "; ".join(f"{a} -> {b} ({graph[a][b][0]})" for a in sorted(c) for b in sorted(graph[a]) if b in c)
        for c in found
    )


def test_the_cycle_finder_finds_cycles() -> None:
    graph = {"a": {"b": []}, "b": {"c": []}, "c": {"a": []}, "d": {"a": []}}
    assert cycles(graph) == [{"a", "b", "c"}]

"""Serving the app with granian (measured faster than uvicorn here).

Worker processes build their own app from the environment, so the resolved settings travel
to them as LABELLOOM_* variables.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
import types
from collections.abc import Iterator

import msgspec

from .settings import ENV_PREFIX, Settings

# httpx imports its command-line client (click, rich, pygments: ~15 MB per process) whenever
# those happen to be installed; a server never runs it. A None entry makes that import fail
# quietly, and httpx falls back to a stub ``main``.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]


def settings_to_env(settings: Settings) -> dict[str, str]:
    env: dict[str, str] = {}
    for name, value in msgspec.structs.asdict(settings).items():
        if value is None:
            continue
        if isinstance(value, list):
            value = ",".join(value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        env[ENV_PREFIX + name.upper()] = str(value)
    return env


def settle_heap() -> None:
    """Hide what start-up built (modules, classes, the app, plugin registries: some 175,000
    objects) from the cyclic garbage collector. They live as long as the process, yet every
    full collection walked them all: a 10,000-task import spent half its time there."""
    gc.collect()
    gc.freeze()


@contextlib.contextmanager
def litestar_without_unused_pydantic() -> Iterator[None]:
    """Build the app without Litestar's pydantic integration unless something uses pydantic.

    Litestar loads that integration (pydantic and its plugin modules, ~8 MB per process) whenever
    pydantic is installed, and tools pull it into most environments. Labelloom's API is
    msgspec. A plugin whose routes use pydantic models has imported pydantic by the time its
    routes are registered, and then the integration loads as usual. The stand-in module says
    "missing dependency" (the way Litestar skips it when pydantic is absent) and is removed
    right after, so a later import gets the real module.
    """
    name = "litestar.plugins.pydantic"
    if "pydantic" in sys.modules or name in sys.modules:
        yield
        return
    from litestar.exceptions import MissingDependencyException

    class Absent(types.ModuleType):
        def __getattr__(self, attribute: str) -> object:
            raise MissingDependencyException("pydantic")

    sys.modules[name] = Absent(name)
    try:
        yield
    finally:
        if isinstance(sys.modules.get(name), Absent):
            del sys.modules[name]


def app_factory():  # type: ignore[no-untyped-def]
    """Entry point for each server process: ``labelloom.core.server:app_factory``."""
    from .app import create_app
    from .manager import plugin_host_for

    settings = Settings.from_env()
    host = plugin_host_for(settings)
    host.register_all()  # plugins imported first: the pydantic check sees what they use
    with litestar_without_unused_pydantic():
        app = create_app(settings, host)
    settle_heap()
    return app


def exec_server(settings: Settings, *, processes: int = 1) -> None:
    """Replace this process with a lean supervisor that serves the app.

    The ``start`` command has migrated the database by now, with alembic and the whole model
    layer imported (~90 MB). Exec hands every byte of that back; the new image imports only
    granian and the settings (~30 MB), and its worker processes build the app. The PID stays.
    """
    os.environ.update(settings_to_env(settings))
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "labelloom.core.server", str(processes)])


def serve(settings: Settings, *, processes: int = 1) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    os.environ.update(settings_to_env(settings))
    print(f"Labelloom is listening on http://{settings.host}:{settings.port}", flush=True)
    Granian(
        "labelloom.core.server:app_factory",
        address=settings.host,
        port=settings.port,
        interface=Interfaces.ASGI,
        workers=processes,
        factory=True,
        log_access=False,
    ).serve()


if __name__ == "__main__":
    serve(Settings.from_env(), processes=int(sys.argv[1]) if len(sys.argv) > 1 else 1)

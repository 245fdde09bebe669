"""Serving the app.

One process by default: uvicorn's HTTP protocol on this process's event loop, no supervisor
(the whole server is ~100 MB idle instead of ~130 MB; issue 17, docs/deployment.md). With
``--processes N`` a granian supervisor runs N worker processes, which build their own app from
the environment, so the resolved settings travel to them as LABELLOOM_* variables.
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
    """Replace this process with a lean server image that serves the app.

    The ``start`` command has migrated the database by now, with alembic and the whole model
    layer imported (~90 MB). Exec hands every byte of that back; the new image imports only what
    serving needs. The PID stays, so whoever started ``labelloom start`` signals the server.
    """
    os.environ.update(settings_to_env(settings))
    # glibc gives each thread that allocates its own heap ("arena", up to 8 per core): the
    # event loop, the database threads, granian's runtime. Freed memory stays in whichever
    # arena holds it, so big imports and exports left several partly used heaps behind. Two
    # measured 3-6 MB less at peak (docs/deployment.md). Read at process start, hence here.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "labelloom.core.server", str(processes)])


def serve(settings: Settings, *, processes: int = 1) -> None:
    os.environ.update(settings_to_env(settings))
    if processes == 1:
        serve_in_process(settings)
    else:
        serve_processes(settings, processes)


def serve_in_process(settings: Settings) -> None:
    """One process serves everything: no supervisor (a granian supervisor alone is ~33 MB).

    uvicorn's HTTP protocol (httptools) runs on this process's event loop, beside the app. It
    answered 0.2-0.3 ms sooner per request than granian's embedded server here, the same app
    on the same loop (issue 17: held ``next`` 1.07 -> 0.76 ms, annotation create 1.82 -> 1.36
    ms over HTTP on SQLite). SIGTERM/SIGINT stop it: it finishes the requests in flight, runs
    the app's lifespan shutdown (plugins, the in-process job worker, the engine) and returns,
    so the process exits 0.
    """
    import asyncio
    import signal

    import uvicorn

    app = app_factory()
    config = uvicorn.Config(
        app, host=settings.host, port=settings.port, http="httptools", ws="none", lifespan="on",
        # The headers a reverse proxy sets are the proxy's business: the app sees the peer.
        proxy_headers=False, server_header=False, access_log=False, log_level="warning",
        # An idle keep-alive connection is closed after this long. uvicorn's 5 s made a client
        # that reuses a pooled connection just then see it closed under it (seen at 500 load-bench
        # annotators); longer than the 60 s idle timeout of common load balancers, so the server
        # is never the side that closes a connection the balancer is about to reuse.
        timeout_keep_alive=75,
    )
    server = _quiet_signals(uvicorn.Server)(config)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(number, server.stop)
        print(f"Labelloom is listening on http://{settings.host}:{settings.port}", flush=True)
        await server.serve()

    with asyncio.Runner(loop_factory=_loop_factory()) as runner:
        try:
            runner.run(main())
        except SystemExit as stop:  # uvicorn logged the cause: the app's lifespan raised, or the port
            app_failed = getattr(server.lifespan, "startup_failed", False)
            raise SystemExit("Labelloom could not start: " + (
                "the app's start-up failed (see above)" if app_failed else "see above")) from stop


def _quiet_signals(base: type) -> type:
    """uvicorn's server with the signals left to the loop's handlers: its own handler re-raises
    a caught SIGTERM after the shutdown, and the process would end by the signal instead of 0.
    (A function: uvicorn is imported only by the process that serves with it.)"""

    class Server(base):  # type: ignore[misc,valid-type]
        def capture_signals(self):  # type: ignore[no-untyped-def]
            return contextlib.nullcontext()

        def stop(self) -> None:
            self.force_exit = self.should_exit  # a second Ctrl-C stops at once, as uvicorn's does
            self.should_exit = True

    return Server


def _loop_factory():  # type: ignore[no-untyped-def]
    """uvloop when installed, as granian's own worker processes pick it."""
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


def serve_processes(settings: Settings, processes: int) -> None:
    """A granian supervisor and ``processes`` worker processes, each building its own app."""
    from granian import Granian
    from granian.constants import Interfaces

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

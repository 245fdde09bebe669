"""Pytest plugin shipped with Labelloom (entry point ``pytest11``), for us and plugin authors.

Fixtures:

- ``database_url``: a migrated, empty database. Parametrised over SQLite and PostgreSQL when
  ``LABELLOOM_TEST_DATABASE_URL`` (or a local PostgreSQL) is available; in CI (``CI=true``) a
  missing PostgreSQL is an error, never a skip. Tables are emptied after each test.
- ``make_app(**settings)``: builds an app on that database (plugins from entry points unless
  ``host=`` is given).
- ``client``: an ``AsyncTestClient`` on a default app; ``admin``: a signed-up administrator with
  ``admin.headers`` carrying its legacy token.

Helpers: ``plugin_module(name, **hooks)`` builds a throwaway plugin from functions and
``plugin_host(**extra)`` a plugin host of the installed plugins plus such extras (give it to
``make_app(host=...)``); ``plugin_problems(name)`` runs the conformance
checks on an installed plugin, ``assert_plugin_conforms(name)`` fails a test with them (a third
party runs it on its own plugin: see docs/plugins.md, "Testing a plugin").
"""

from __future__ import annotations

import asyncio
import os
import types
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from .app import create_app
from .manager import build_plugin_host
from .db.engine import make_engine
from .db.migrate import upgrade
from .models import Base
from .settings import Settings
from .specs import PROJECT_NAME, hookimpl

def plugin_module(name: str, **hooks: Callable[..., Any]) -> types.ModuleType:
    """A plugin made of the given hook functions, as a module object like the ones entry points
    load. Functions not yet marked are marked with a plain ``hookimpl``; mark one yourself for
    options (``hookimpl(trylast=True)(fn)``)."""
    module = types.ModuleType(name)
    for hook_name, function in hooks.items():
        marked = hasattr(function, f"{PROJECT_NAME}_impl")
        setattr(module, hook_name, function if marked else hookimpl(function))
    return module


def plugin_host(*, only: list[str] | None = None, **extra: Any) -> Any:
    """A plugin host as a server builds it: the installed plugins (or ``only`` these entry-point
    names) plus ``extra`` plugins given as ``name=module`` (e.g. from :func:`plugin_module`), for
    ``make_app(host=plugin_host(...))``."""
    from importlib.metadata import entry_points

    modules = {
        ep.name: ep.load()
        for ep in entry_points(group=PROJECT_NAME)
        if only is None or ep.name in only
    }
    return build_plugin_host(modules={**modules, **extra})


def plugin_problems(name: str, *, modules: dict[str, Any] | None = None) -> list[str]:
    """Conformance checks of one plugin, loaded with every other installed plugin (or exactly
    ``modules``), as a list of problems (empty when it conforms):

    - it loads and its registration hooks run (duplicate names with another plugin included);
    - every widget and settings-panel module it names exists in its ``static/`` folder;
    - every template's config is valid, and so are the template's sample task and a result
      for every control built from the specs (``example``), as the gallery's preview uses them;
    - every export format has a title and a ``write`` function;
    - ``LABELLOOM_TAGS`` (read to say which plugin to enable) lists exactly the tags it registers.
    """
    from .labelconfig.issues import ConfigInvalid
    from .labelconfig.parse import parse_config
    from .labelconfig.results import validate_results
    from .labelconfig.samples import sample_results, sample_task
    try:
        host = build_plugin_host(modules=modules)
        regs = host.register_all()
    except Exception as exc:  # a PluginError names the plugin at fault
        return [f"start-up: {exc}"]
    plugin = host.plugins.get(name)
    if plugin is None:
        return [f"plugin {name!r} is not installed (installed: {', '.join(sorted(host.plugins))})"]
    problems: list[str] = []
    owned = {attr: set(items) for attr, items in plugin.registered.items()}
    static = plugin.static_dir
    for attr, field_name in (("data_types", "widget"), ("tags", "widget"), ("settings_panels", "module")):
        registry = getattr(regs, attr)
        for spec_name in owned.get(attr, ()):
            path = getattr(registry[spec_name], field_name, None)
            if path and (static is None or not (static / path).is_file()):
                problems.append(f"{attr} {spec_name}: {field_name} {path!r} is not a file in the plugin's static/ folder")
    for template_name in sorted(owned.get("templates", ())):
        spec = regs.templates[template_name]
        try:
            parsed = parse_config(spec.config, regs)
            data = dict(spec.sample_task) or sample_task(parsed, regs)
            missing = [key for key in parsed.data_keys if key not in data]
            if missing:
                problems.append(f"template {template_name}: sample task lacks {', '.join(missing)}")
            validate_results(parsed, sample_results(parsed), regs)
        except ConfigInvalid as exc:
            problems.append(f"template {template_name}: invalid config: {exc}")
        except Exception as exc:
            problems.append(f"template {template_name}: {type(exc).__name__}: {exc}")
    for format_name in sorted(owned.get("exporters", ())):
        spec = regs.exporters[format_name]
        if not spec.title or spec.write is None:
            problems.append(f"export format {format_name}: needs a title and a write function")
    registered_tags = owned.get("data_types", set()) | owned.get("tags", set())
    declared = set(getattr(plugin.module, "LABELLOOM_TAGS", ()) or ())
    if registered_tags and declared != registered_tags:
        problems.append(
            "LABELLOOM_TAGS should list exactly the registered tags"
            f" (missing: {sorted(registered_tags - declared)}, extra: {sorted(declared - registered_tags)})"
        )
    return problems


def assert_plugin_conforms(name: str, *, modules: dict[str, Any] | None = None) -> None:
    """Fail with every problem :func:`plugin_problems` finds in plugin ``name``."""
    problems = plugin_problems(name, modules=modules)
    assert not problems, f"plugin {name!r} does not conform:\n- " + "\n- ".join(problems)


LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def postgres_url() -> str | None:
    """The PostgreSQL test database, or None when there is none (never None in CI)."""
    url = os.environ.get("LABELLOOM_TEST_DATABASE_URL")
    if url:
        return url
    try:
        import psycopg

        psycopg.connect(LOCAL_POSTGRES.replace("+psycopg", ""), connect_timeout=2).close()
        return LOCAL_POSTGRES
    except Exception:
        if IN_CI:
            raise RuntimeError("CI needs PostgreSQL: set LABELLOOM_TEST_DATABASE_URL") from None
        return None


LOCAL_REDIS = "redis://127.0.0.1:6379/15"


def redis_test_url() -> str | None:
    """The Redis for queue tests (``LABELLOOM_TEST_REDIS_URL``, else a local one if it answers),
    or None when there is none (never None in CI)."""
    url = os.environ.get("LABELLOOM_TEST_REDIS_URL") or LOCAL_REDIS
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1)
        client.ping()
        client.close()
        return url
    except Exception:
        if IN_CI:
            raise RuntimeError(f"CI needs Redis at {url} (set LABELLOOM_TEST_REDIS_URL)") from None
        return None


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = redis_test_url()
    if url is None:
        pytest.skip("Redis is not available (set LABELLOOM_TEST_REDIS_URL)")
    return url


def clear_redis(url: str, name: str) -> None:
    """Delete a SAQ queue's keys (its queue name ``name``) from Redis."""
    import redis

    client = redis.Redis.from_url(url)
    for pattern in (f"saq:{name}:*", f"saq:job:{name}:*"):
        keys = list(client.scan_iter(match=pattern, count=500))
        if keys:
            client.delete(*keys)
    client.close()


async def _reset_schema(url: str) -> None:
    """Drop everything and migrate from scratch, so the migrations themselves are tested."""
    engine = make_engine(url)
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


async def _empty_tables(url: str) -> None:
    engine = make_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    try:
        for attempt in range(6):
            try:
                async with engine.begin() as conn:
                    if conn.dialect.name == "postgresql":
                        # A transaction the test's app left open fails here, named, not hangs.
                        await conn.execute(text("SET LOCAL lock_timeout = '30s'"))
                        await conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
                    else:
                        for table in tables:
                            await conn.execute(text(f"DELETE FROM {table}"))
                return
            except OperationalError as exc:
                # A job the test's app left running (agreement, storage writes) may still hold
                # SQLite's write lock for a moment after the app stopped.
                if "locked" not in str(exc) or attempt == 5:
                    raise
                await asyncio.sleep(1)
    finally:
        await engine.dispose()


class TestDatabases:
    __test__ = False  # not a test class

    """Each backend's test database, migrated from scratch the first time a test asks for it."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._urls: dict[str, str] = {}

    def url(self, backend: str) -> str:
        if backend not in self._urls:
            if backend == "sqlite":
                url = f"sqlite+aiosqlite:///{self._tmp.mktemp('db') / 'test.sqlite3'}"
            else:
                found = postgres_url()
                if found is None:
                    pytest.skip("PostgreSQL is not available (set LABELLOOM_TEST_DATABASE_URL)")
                url = found
            asyncio.run(_reset_schema(url))
            self._urls[backend] = url
        return self._urls[backend]


@pytest.fixture(scope="session")
def test_databases(tmp_path_factory: pytest.TempPathFactory) -> TestDatabases:
    return TestDatabases(tmp_path_factory)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def database_url(request: pytest.FixtureRequest, test_databases: TestDatabases) -> Iterator[str]:
    url = test_databases.url(request.param)
    yield url
    asyncio.run(_empty_tables(url))


@pytest.fixture
def data_dir(tmp_path: Any) -> str:
    return str(tmp_path / "data")


@pytest.fixture
def make_settings(database_url: str, data_dir: str) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {"data_dir": data_dir, "database_url": database_url, "secret_key": "test-secret-key-of-a-reasonable-length"}
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def make_app(make_settings: Callable[..., Settings]) -> Callable[..., Any]:
    def make(host: Any = None, **overrides: Any) -> Any:
        return create_app(make_settings(**overrides), host=host)

    return make


@pytest.fixture
async def client(make_app: Callable[..., Any]) -> AsyncIterator[Any]:
    from litestar.testing import AsyncTestClient

    async with AsyncTestClient(make_app()) as test_client:
        yield test_client


@dataclass
class SignedUp:
    id: int
    email: str
    password: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.token}"}


@pytest.fixture
def statements(client: Any) -> Iterator[list[str]]:
    """Every SQL statement the app runs from here on, whitespace collapsed (statement counts)."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        seen.append(" ".join(statement.split()))

    engine = client.app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
async def admin(client: Any) -> SignedUp:
    """The first administrator, created through the first-run set-up API."""
    email, password = "admin@example.com", "correct horse battery"
    response = await client.post("/api/auth/setup", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    user_id = response.json()["user"]["id"]
    csrf = response.json()["csrf_token"]
    token = (await client.get("/api/current-user/token")).json()["token"]
    await client.post("/api/auth/logout", headers={"X-CSRFToken": csrf})
    client.cookies.clear()
    return SignedUp(user_id, email, password, token)


class LiveServer:
    """The app served by uvicorn on a free port, in a thread with its own event loop."""

    def __init__(self, app: Any) -> None:
        import socket
        import threading

        import uvicorn

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        import time

        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("live server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._server.should_exit = True
        self._thread.join(20)

    def sign_up_admin(self, email: str = "admin@example.com", password: str = "correct horse battery") -> SignedUp:
        import httpx

        with httpx.Client(base_url=self.url, timeout=30) as http:  # a loaded CI machine is slow
            response = http.post("/api/auth/setup", json={"email": email, "password": password})
            response.raise_for_status()
            token = http.get("/api/current-user/token").json()["token"]
        return SignedUp(response.json()["user"]["id"], email, password, token)


@pytest.fixture
def live_server(make_app: Callable[..., Any]) -> Iterator[LiveServer]:
    with LiveServer(make_app()) as server:
        yield server


def _own_services_per_worker() -> None:
    """Under pytest-xdist, each worker after the first gets its own PostgreSQL database (created
    on first use) and Redis database, so workers never reset or flush each other's data."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    number = int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 0
    if number == 0:
        return
    database = os.environ.get("LABELLOOM_TEST_DATABASE_URL")
    if database:
        base, _, name = database.rpartition("/")
        name, query = (name.split("?", 1) + [""])[:2]
        mine = f"{name}_gw{number}"
        _create_database(f"{base}/postgres", mine)
        os.environ["LABELLOOM_TEST_DATABASE_URL"] = f"{base}/{mine}" + (f"?{query}" if query else "")
    redis = os.environ.get("LABELLOOM_TEST_REDIS_URL")
    if redis:
        base, _, index = redis.rpartition("/")
        if index.isdigit():
            os.environ["LABELLOOM_TEST_REDIS_URL"] = f"{base}/{(int(index) - number) % 16}"


def _create_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url.replace("+psycopg", ""), autocommit=True, connect_timeout=5) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')


def pytest_configure(config: pytest.Config) -> None:
    from .users.passwords import use_cheapest_hash_for_tests

    _own_services_per_worker()
    use_cheapest_hash_for_tests()
    config.addinivalue_line("markers", "postgresql: runs against the PostgreSQL test database")


__all__ = ["IN_CI", "LiveServer", "SignedUp", "TestDatabases", "postgres_url"]

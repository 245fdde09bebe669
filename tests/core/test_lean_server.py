"""Issue 17.2: a server process keeps only what serving needs in memory, and each process's
PostgreSQL pool is sized from the database URL (docs/deployment.md)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from labelloom.core.db.engine import POOL_DEFAULTS, make_engine, pool_options

# Loaded on demand only: brush-mask scoring (numpy), JWT tokens (PyJWT and cryptography's
# OpenSSL bindings), pydantic (Litestar's integration, unused by a msgspec API).
ON_DEMAND = ("numpy", "jwt", "cryptography", "pydantic")


def test_a_server_process_starts_without_what_it_loads_on_demand(tmp_path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import sys
        from litestar.testing import TestClient
        from labelloom.core.server import app_factory

        app = app_factory()
        print("after start:", *sorted(m for m in {ON_DEMAND!r} if m in sys.modules))
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200
            schema = client.get("/docs/openapi.json")
            assert schema.status_code == 200 and "/api/projects/{{project_id}}/next" in schema.json()["paths"]
        print("plugins:", len(app.state.host.registries.tags))
        """
    )
    env = {"LABELLOOM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    assert lines["after start"].split() == []
    assert int(lines["plugins"]) > 10  # the plugins registered their tags as usual


def test_litestar_keeps_its_pydantic_integration_when_a_plugin_uses_pydantic(tmp_path: Path) -> None:
    pytest.importorskip("pydantic")
    script = textwrap.dedent(
        """
        import sys
        import pydantic  # as a plugin using pydantic models would have
        from labelloom.core.server import app_factory

        app = app_factory()
        print("integration:", any(type(p).__module__.startswith("litestar.plugins.pydantic") for p in app.plugins._plugins))
        """
    )
    env = {"LABELLOOM_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "integration: True" in done.stdout


def test_pool_parameters_come_out_of_the_database_url() -> None:
    url, pool = pool_options("postgresql+psycopg://u:p%40ss@db:5432/labelloom?pool_size=3&sslmode=require&max_overflow=0")
    assert url == "postgresql+psycopg://u:p%40ss@db:5432/labelloom?sslmode=require"
    assert pool == {**POOL_DEFAULTS, "pool_size": 3, "max_overflow": 0}
    assert pool_options("postgresql+psycopg://db/labelloom") == ("postgresql+psycopg://db/labelloom", POOL_DEFAULTS)


def test_a_bad_pool_parameter_is_named() -> None:
    with pytest.raises(ValueError, match="pool_size in the database URL must be a whole number, not 'many'"):
        pool_options("postgresql+psycopg://db/labelloom?pool_size=many")


def test_the_engine_uses_the_pool_the_url_asks_for() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none?pool_size=2&max_overflow=1&pool_timeout=5")
    assert (engine.pool.size(), engine.pool._max_overflow, engine.pool._timeout) == (2, 1, 5)  # type: ignore[attr-defined]
    assert "pool_size" not in str(engine.url)

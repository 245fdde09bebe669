"""``labelloom backup`` / ``labelloom restore``: the database, the uploaded media and the secret
key in one ``.tar.gz``, taken while the server runs.

- SQLite: Python's online backup API copies a consistent snapshot page by page while writers
  go on (no lock held for the whole copy).
- PostgreSQL: ``pg_dump --format=custom`` (one consistent snapshot), restored with
  ``pg_restore --clean --if-exists --no-owner``; the client tools must be on PATH.
- Media (``<data dir>/media``) and ``<data dir>/secret_key`` are copied as files. Media kept in
  S3/GCS storages is not copied: back those buckets up where they live.

The archive holds ``manifest.json`` (format, database kind, schema revision, time), then
``database.sqlite3`` or ``database.pgdump``, ``media/...`` and ``secret_key``.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from ..db.engine import pool_options
from ..settings import Settings

FORMAT = 1


class BackupError(ValueError):
    """A backup or restore could not be done; the message says why (the CLI prints it)."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if not parsed.drivername.startswith("sqlite"):
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def _pg_url(url: str) -> str:
    """A libpq URL for pg_dump/pg_restore (no SQLAlchemy driver suffix, no pool parameters)."""
    parsed = make_url(pool_options(url)[0])
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not on PATH: install the PostgreSQL client tools (e.g. postgresql-client)")
    return found


def _run(args: list[str]) -> None:
    done = subprocess.run(args, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {done.stderr.strip() or done.stdout.strip()}")


def backup(settings: Settings, output: str | os.PathLike[str]) -> dict[str, Any]:
    """Write the archive to ``output``; returns its manifest."""
    url = settings.resolved_database_url
    data_dir = Path(settings.data_dir)
    target = Path(output)
    with tempfile.TemporaryDirectory(prefix="labelloom-backup-") as scratch_name:
        scratch = Path(scratch_name)
        sqlite_file = _sqlite_path(url)
        if sqlite_file is not None:
            if not sqlite_file.exists():
                raise BackupError(f"no database at {sqlite_file}")
            database = scratch / "database.sqlite3"
            source = sqlite3.connect(f"file:{sqlite_file}?mode=ro", uri=True)
            copy = sqlite3.connect(database)
            try:
                source.backup(copy, pages=1024)  # online: writers go on between steps
            finally:
                copy.close()
                source.close()
            kind = "sqlite"
        else:
            database = scratch / "database.pgdump"
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={database}", _pg_url(url)])
            kind = "postgresql"
        manifest = {
            "format": FORMAT,
            "database": kind,
            "revision": _revision(database if kind == "sqlite" else None, url),
            "created_at": datetime.now(UTC).isoformat(),
        }
        (scratch / "manifest.json").write_text(json.dumps(manifest, indent=2))
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(scratch / "manifest.json", "manifest.json")
            archive.add(database, database.name)
            media = data_dir / "media"
            if media.is_dir():
                archive.add(media, "media")
            key = data_dir / "secret_key"
            if key.is_file():
                archive.add(key, "secret_key")
        os.chmod(partial, 0o600)  # it holds the secret key and every password hash
        partial.replace(target)  # never a half-written archive under the final name
    return manifest


def _revision(sqlite_copy: Path | None, url: str) -> str | None:
    if sqlite_copy is None:
        return None  # pg_dump carries alembic_version itself
    with sqlite3.connect(sqlite_copy) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError:
            return None
    return row[0] if row else None


def restore(settings: Settings, archive_path: str | os.PathLike[str], *, force: bool = False) -> dict[str, Any]:
    """Put an archive's database, media and key in place of this instance's (empty unless
    ``force``); returns the archive's manifest."""
    url = settings.resolved_database_url
    data_dir = Path(settings.data_dir)
    with tempfile.TemporaryDirectory(prefix="labelloom-restore-") as scratch_name:
        scratch = Path(scratch_name)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(scratch, filter="data")  # no absolute paths, links or devices
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"cannot read {archive_path}: {exc}") from None
        try:
            manifest = json.loads((scratch / "manifest.json").read_text())
        except (OSError, ValueError):
            raise BackupError(f"{archive_path} is not a Labelloom backup (no manifest.json)") from None
        if manifest.get("format") != FORMAT:
            raise BackupError(f"unsupported backup format {manifest.get('format')!r}")
        sqlite_file = _sqlite_path(url)
        kind = "sqlite" if sqlite_file is not None else "postgresql"
        if manifest.get("database") != kind:
            raise BackupError(
                f"the backup holds a {manifest.get('database')} database but this instance uses {kind}; "
                "restore into the same kind (see docs/deployment.md for moving between them)"
            )
        if sqlite_file is not None:
            if sqlite_file.exists() and not force:
                raise BackupError(f"{sqlite_file} exists: restore into a fresh data dir, or pass --force")
            sqlite_file.parent.mkdir(parents=True, exist_ok=True)
            for suffix in ("-wal", "-shm"):  # a stale WAL would be replayed over the restored file
                Path(f"{sqlite_file}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(scratch / "database.sqlite3", sqlite_file)
        else:
            args = [_tool("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={_pg_url(url)}"]
            if force:
                args[1:1] = ["--clean", "--if-exists"]
            _run([*args, str(scratch / "database.pgdump")])
        media = data_dir / "media"
        if (scratch / "media").is_dir():
            if media.exists() and any(media.iterdir()) and not force:
                raise BackupError(f"{media} is not empty: restore into a fresh data dir, or pass --force")
            shutil.copytree(scratch / "media", media, dirs_exist_ok=True)
        if (scratch / "secret_key").is_file():
            data_dir.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(scratch / "secret_key", data_dir / "secret_key")
            os.chmod(data_dir / "secret_key", 0o600)
    return manifest

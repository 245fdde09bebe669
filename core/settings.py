"""Settings: one msgspec struct built from LABELLOOM_* variables and CLI flags, passed around."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import msgspec

ENV_PREFIX = "LABELLOOM_"


def default_data_dir() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "labelloom")


class Settings(msgspec.Struct, kw_only=True):
    """Everything that changes how Labelloom behaves. Each field maps to ``LABELLOOM_<FIELD>``."""

    data_dir: str = msgspec.field(default_factory=default_data_dir)
    database_url: str | None = None
    host: str = "127.0.0.1"
    port: int = 8080
    secret_key: str | None = None
    debug: bool = False
    log_level: str = "info"
    # None = every installed plugin; otherwise only these entry-point names.
    plugins: list[str] | None = None
    disable_plugins: list[str] = msgspec.field(default_factory=list)
    trace_plugins: bool = False
    max_request_body: int = 250 * 1024 * 1024
    session_ttl: int = 14 * 24 * 3600
    access_token_ttl: int = 5 * 60
    personal_token_ttl: int = 200 * 24 * 3600
    legacy_tokens_enabled: bool = True
    # Sign-in throttling: failed sign-ins allowed per account and per client address before
    # each further failure locks that key for login_lockout_base seconds, doubled per failure
    # up to login_lockout_max; failures older than login_failure_window seconds are forgotten.
    login_failures_per_account: int = 5
    login_failures_per_address: int = 20
    login_lockout_base: float = 2.0
    login_lockout_max: float = 900.0
    login_failure_window: float = 3600.0
    # Label-stream reservation of a task for one annotator (Label Studio's TASK_LOCK_TTL).
    task_lock_ttl: int = 86400
    allow_private_urls: bool = False
    # Bootstrap admin, created at start when no user exists yet.
    username: str | None = None
    password: str | None = None
    # Cookie flags; secure cookies need HTTPS in front.
    secure_cookies: bool = False
    # Background jobs: redis://... or postgresql://... (SAQ); unset = the database-backed queue
    # inside each web process (embedded mode).
    queue_url: str | None = None
    # Several installations may share one Redis or PostgreSQL queue under different names.
    queue_name: str = "labelloom"
    # Jobs each web process runs at once; 0 leaves jobs to `labelloom worker` processes.
    workers: int = 2
    # How often (seconds) workers look for jobs whose worker died (no heartbeat) to retry them.
    job_sweep_interval: int = 10
    # Webhook delivery: per-request timeout, attempts before giving up, first back-off delay
    # (doubled after each failure), tasks per TASKS_CREATED request (Label Studio's 5000).
    webhook_timeout: float = 3.0
    webhook_max_attempts: int = 5
    webhook_retry_delay: float = 2.0
    webhook_batch_size: int = 5000

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from LABELLOOM_* variables; non-None ``overrides`` (CLI flags) win."""
        environ = os.environ if environ is None else environ
        raw: dict[str, Any] = {}
        for field in msgspec.structs.fields(cls):
            value = environ.get(ENV_PREFIX + field.name.upper())
            if value is not None and value != "":
                raw[field.name] = _parse(field.type, value)
        raw.update({k: v for k, v in overrides.items() if v is not None})
        try:
            return msgspec.convert(raw, cls, strict=False)
        except msgspec.ValidationError as exc:
            raise ValueError(f"invalid setting: {exc}") from None

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{Path(self.data_dir) / 'labelloom.sqlite3'}"

    @property
    def media_dir(self) -> Path:
        return Path(self.data_dir) / "media"

    def prepared(self) -> Settings:
        """Return a copy whose data dir exists and whose secret key is set.

        The key is generated once and kept in ``<data_dir>/secret_key`` so sessions and tokens
        survive restarts; several servers sharing a database must share LABELLOOM_SECRET_KEY.
        """
        data_dir = Path(self.data_dir).expanduser()
        data_dir.mkdir(parents=True, exist_ok=True)
        key = self.secret_key
        if not key:
            key_file = data_dir / "secret_key"
            if key_file.exists():
                key = key_file.read_text().strip()
            if not key:
                key = secrets.token_urlsafe(48)
                fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(key)
        return msgspec.structs.replace(self, data_dir=str(data_dir), secret_key=key)


def _parse(annotation: Any, value: str) -> Any:
    """Turn an environment string into what the field expects (lists are comma-separated)."""
    text = str(annotation)
    if "list" in text:
        return [item.strip() for item in value.split(",") if item.strip()]
    if "bool" in text:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return value

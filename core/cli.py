"""The ``labelloom`` command: start, worker, migrate, user, plugins, export, import, backup, restore."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable

from .errors import LabelloomError
from .settings import Settings, default_data_dir


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data-dir",
        help=f"folder for the embedded database, uploads and the secret key "
        f"(env LABELLOOM_DATA_DIR; default {default_data_dir()})",
    )
    parser.add_argument(
        "--database-url",
        help="SQLAlchemy URL, e.g. postgresql+psycopg://user:pass@host/db "
        "(env LABELLOOM_DATABASE_URL; default: SQLite in the data dir)",
    )


def _queue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--queue-url",
        help="job queue: redis://host:6379/0 or postgresql://user@host/db (env LABELLOOM_QUEUE_URL; "
        "default: a queue table in the database itself)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="labelloom",
        description="Labelloom: a Label Studio-compatible data labeling platform.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    start = commands.add_parser("start", help="migrate the database and serve the web app and API")
    _common(start)
    start.add_argument("--host", help="address to listen on (env LABELLOOM_HOST; default 127.0.0.1)")
    start.add_argument("--port", type=int, help="port to listen on (env LABELLOOM_PORT; default 8080)")
    start.add_argument(
        "--processes", type=int, default=1,
        help="web server processes, about one per core (default 1: a single process, no supervisor; "
        "N > 1: a supervisor and N worker processes; see docs/deployment.md)",
    )
    start.add_argument("--username", help="email of the first administrator, created if no user exists")
    start.add_argument("--password", help="password of that administrator (env LABELLOOM_PASSWORD)")
    start.add_argument("--no-migrate", action="store_true", help="do not run migrations before serving")
    _queue(start)
    start.add_argument(
        "--workers",
        type=int,
        help="background jobs each web process runs at once (env LABELLOOM_WORKERS; default 2); "
        "0 leaves jobs to separate `labelloom worker` processes",
    )

    worker = commands.add_parser("worker", help="run background jobs (imports, exports, webhooks ...)")
    _common(worker)
    _queue(worker)
    worker.add_argument("--concurrency", type=int, default=4, help="jobs run at once (default 4)")

    migrate = commands.add_parser("migrate", help="bring the database schema up to date")
    _common(migrate)

    user = commands.add_parser("user", help="manage user accounts")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    create = user_commands.add_parser("create", help="create a user")
    _common(create)
    create.add_argument("email")
    create.add_argument("--password", help="password (asked for when omitted)")
    create.add_argument("--admin", action="store_true", help="make the user an administrator")
    create.add_argument("--first-name", default="")
    create.add_argument("--last-name", default="")
    listing = user_commands.add_parser("list", help="list users")
    _common(listing)
    reset = user_commands.add_parser("reset-password", help="set a new password for a user")
    _common(reset)
    reset.add_argument("email")
    reset.add_argument("--password", help="new password (asked for when omitted)")
    token = user_commands.add_parser("token", help="print a user's API token (for scripts)")
    _common(token)
    token.add_argument("email")

    plugins = commands.add_parser("plugins", help="list loaded plugins and what each registered")
    _common(plugins)

    export = commands.add_parser("export", help="export a project's tasks to a file (JSON, JSON_MIN, CSV ...)")
    _common(export)
    export.add_argument("project", type=int, help="project id")
    export.add_argument("--format", default="JSON", help="export type (default JSON)")
    export.add_argument("-o", "--output", default="-", help="file to write (default: standard output)")
    export.add_argument("--only-annotated", action="store_true", help="only tasks with at least one annotation")

    load = commands.add_parser("import", help="import tasks from a file (JSON, JSONL, CSV, TSV, TXT)")
    _common(load)
    load.add_argument("project", type=int, help="project id")
    load.add_argument("file", help="the task file")
    load.add_argument("--user", help="email of the importing user (default: the first administrator)")

    backup = commands.add_parser(
        "backup", help="write the database, uploaded media and secret key to one .tar.gz (online)"
    )
    _common(backup)
    backup.add_argument("output", help="archive to write, e.g. labelloom-2026-01-31.tar.gz")
    restore = commands.add_parser("restore", help="restore a `labelloom backup` archive into this instance")
    _common(restore)
    restore.add_argument("archive", help="the archive written by `labelloom backup`")
    restore.add_argument("--force", action="store_true", help="replace an existing database and media")

    sdk_types = commands.add_parser(
        "sdk-types", help="write the @labelloom/sdk type declarations for type-checking plugin widgets"
    )
    sdk_types.add_argument(
        "dir", help="folder to write @labelloom/sdk/index.d.ts and package.json into (e.g. types or node_modules)"
    )
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        data_dir=getattr(args, "data_dir", None),
        database_url=getattr(args, "database_url", None),
        host=getattr(args, "host", None),
        port=getattr(args, "port", None),
        username=getattr(args, "username", None),
        password=getattr(args, "password", None),
        queue_url=getattr(args, "queue_url", None),
        workers=getattr(args, "workers", None),
    ).prepared()


def _ask_password(given: str | None) -> str:
    if given:
        return given
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password (again): "):
        raise LabelloomError("The passwords do not match.")
    return first


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "start": cmd_start,
        "worker": cmd_worker,
        "migrate": cmd_migrate,
        "user": cmd_user,
        "plugins": cmd_plugins,
        "export": cmd_export,
        "import": cmd_import,
        "sdk-types": cmd_sdk_types,
        "backup": cmd_backup,
        "restore": cmd_restore,
    }
    try:
        return handlers[args.command](args)
    except LabelloomError as exc:
        print(f"labelloom: {exc.detail}", file=sys.stderr)
        return 1
    except ValueError as exc:
        print(f"labelloom: {exc}", file=sys.stderr)
        return 2


# -- commands ---------------------------------------------------------------------------------
def cmd_migrate(args: argparse.Namespace) -> int:
    from .commands import db as commands

    settings = settings_from(args)
    revision = asyncio.run(commands.migrate(settings))
    print(f"database at revision {revision}")
    return 0


def cmd_start(args: argparse.Namespace) -> int:
    from .commands import db as commands

    settings = settings_from(args)
    if args.processes < 1:
        raise ValueError("--processes must be at least 1")
    if not args.no_migrate:
        asyncio.run(commands.migrate(settings))
    if settings.username:
        created = asyncio.run(commands.bootstrap_admin(settings))
        if created:
            print(f"created administrator {settings.username}")
    from .server import exec_server

    exec_server(settings, processes=args.processes)
    return 0


def cmd_worker(args: argparse.Namespace) -> int:
    import logging

    from .background import run_worker
    from .manager import plugin_host_for
    from .server import settle_heap

    settings = settings_from(args)
    if args.concurrency < 1:
        raise ValueError("--concurrency must be at least 1")
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    where = "the database"
    if settings.queue_url:  # without credentials: this line ends up in logs
        from urllib.parse import urlsplit

        parts = urlsplit(settings.queue_url)
        where = f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}"
    print(f"Labelloom worker: {args.concurrency} jobs at a time from {where}", flush=True)
    host = plugin_host_for(settings)
    settle_heap()
    asyncio.run(run_worker(settings, concurrency=args.concurrency, host=host))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from .commands import db as commands

    settings = settings_from(args)
    action = args.user_command
    if action == "create":
        password = _ask_password(args.password)
        user = asyncio.run(
            commands.create_user(
                settings, args.email, password, admin=args.admin, first_name=args.first_name, last_name=args.last_name
            )
        )
        print(f"created user {user['id']} {user['email']}{' (administrator)' if args.admin else ''}")
    elif action == "list":
        for row in asyncio.run(commands.list_users(settings)):
            flags = " admin" if row["is_superuser"] else ""
            flags += "" if row["is_active"] else " inactive"
            print(f"{row['id']:>6}  {row['email']}{flags}")
    elif action == "reset-password":
        asyncio.run(commands.reset_password(settings, args.email, _ask_password(args.password)))
        print(f"password changed for {args.email}")
    elif action == "token":
        print(asyncio.run(commands.user_token(settings, args.email)))
    return 0


def cmd_plugins(args: argparse.Namespace) -> int:
    from .manager import build_plugin_host

    settings = settings_from(args)
    host = build_plugin_host(enabled=settings.plugins, disabled=settings.disable_plugins)
    host.register_all()
    for plugin in host.describe():
        print(f"{plugin['name']} {plugin['version']}" + (f" ({plugin['distribution']})" if plugin["distribution"] else ""))
        hooks = ", ".join(h.removeprefix("labelloom_") for h in plugin["hooks"])
        print(f"    hooks: {hooks or '-'}")
        for kind, names in plugin["registered"].items():
            print(f"    {kind.replace('_', ' ')}: {', '.join(names)}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from .commands.transfer import export_project

    count = asyncio.run(
        export_project(settings_from(args), args.project, args.format, args.output, all_tasks=not args.only_annotated)
    )
    if args.output != "-":
        print(f"exported {count} tasks to {args.output}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .commands.transfer import import_file

    totals = asyncio.run(import_file(settings_from(args), args.project, args.file, user_email=args.user))
    print(
        f"imported {totals['task_count']} tasks, {totals['annotation_count']} annotations, "
        f"{totals['prediction_count']} predictions"
    )
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from .commands.backup import backup

    manifest = backup(settings_from(args).prepared(), args.output)
    print(f"backed up the {manifest['database']} database and media to {args.output}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from .commands import db as commands
    from .commands.backup import restore

    settings = settings_from(args).prepared()
    manifest = restore(settings, args.archive, force=args.force)
    revision = asyncio.run(commands.migrate(settings))  # an older backup comes up to date
    print(f"restored the backup of {manifest['created_at']}; database at revision {revision}")
    return 0


def cmd_sdk_types(args: argparse.Namespace) -> int:
    """``DIR/@labelloom/sdk/index.d.ts`` + ``package.json``: a widget project maps the bare name
    there (tsconfig ``paths``), or writes into ``node_modules`` where TypeScript finds it itself."""
    import json
    from importlib.metadata import PackageNotFoundError, version
    from importlib.resources import files
    from pathlib import Path

    declarations = files("labelloom.web").joinpath("static", "sdk.d.ts").read_text(encoding="utf-8")
    try:
        release = version("labelloom")
    except PackageNotFoundError:  # pragma: no cover - a source tree without metadata
        release = "0.0.0"
    target = Path(args.dir) / "@labelloom" / "sdk"
    target.mkdir(parents=True, exist_ok=True)
    (target / "index.d.ts").write_text(declarations, encoding="utf-8")
    package = {"name": "@labelloom/sdk", "version": release, "types": "index.d.ts", "private": True}
    (target / "package.json").write_text(json.dumps(package, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {target / 'index.d.ts'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


"""Domain events: recorded during a transaction, dispatched only after it commits.

A service records what happened on the session it works with::

    from labelloom.core.events import record_event
    from labelloom.core.annotations import payloads   # each domain builds its own payloads

    record_event(db, "ANNOTATION_CREATED", payloads.annotation(annotation, task, project))
    # or lazily, built only when a webhook or plugin will read it:
    record_event(db, "ANNOTATION_CREATED", lambda session: payloads.annotation(...), project_id=project.id)

Nothing leaves the process until the transaction commits; a rollback forgets the events. Just
before the commit, stages (webhooks) may add rows in the same transaction, so an event and its
webhook deliveries are stored together or not at all. After the commit, the bus hands every
event to the plugins' ``labelloom_on_event`` (a raising plugin is logged, never felt by the
request) and runs the stages' follow-up work (enqueueing delivery jobs). Dispatches run one
after another in commit order, so events about one task arrive in the order they happened.

The bus rides on the session: ``EventBus.bind(sessionmaker)`` puts it into every session's
``info``; sessions from other sessionmakers keep their events to themselves (with a warning).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import msgspec
from sqlalchemy import event, inspect
from sqlalchemy.exc import NoInspectionAvailable
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session, SessionTransaction

if TYPE_CHECKING:
    from .host import PluginHost

log = logging.getLogger(__name__)

EVENTS_KEY = "labelloom.events"
CALLBACKS_KEY = "labelloom.after_commit"
BUS_KEY = "labelloom.event_bus"

AfterCommit = Callable[[], Awaitable[Any]]
Stage = Callable[[Session, "list[DomainEvent]"], "list[AfterCommit]"]


Payload = Mapping[str, Any] | msgspec.Struct
PayloadFactory = Callable[[Session], Payload]


class DomainEvent:
    """``name`` is a Label Studio webhook action; ``payload`` is JSON-ready (no ``action`` key).

    A payload recorded as a factory is built only if someone will read it (a webhook that wants
    the event, or a plugin listening), just before the commit: most writes have no listener and
    skip the work. The factory gets the (sync) session and may query with it.
    """

    __slots__ = ("name", "project_id", "_payload", "_factory")

    def __init__(self, name: str, payload: dict[str, Any] | None = None, project_id: int | None = None,
                 *, factory: PayloadFactory | None = None) -> None:
        self.name = name
        self.project_id = project_id
        self._payload = payload if factory is None else None
        self._factory = factory

    @property
    def payload(self) -> dict[str, Any]:
        if self._payload is None:
            raise RuntimeError(f"the payload of {self.name} is built before the commit, by build()")
        return self._payload

    def build(self, session: Session) -> dict[str, Any]:
        """The payload, built now from a factory if it was not yet."""
        if self._payload is None and self._factory is not None:
            self._payload = _as_dict(self._factory(session))
            self._factory = None
        return self.payload

    def __repr__(self) -> str:
        return f"DomainEvent({self.name!r}, project_id={self.project_id!r})"


def _sync(db: AsyncSession | Session) -> Session:
    return db.sync_session if isinstance(db, AsyncSession) else db


def to_json(value: Any) -> Any:
    """A JSON-ready copy taken now, while the objects are loaded (datetimes become ISO text)."""
    try:
        return msgspec.to_builtins(value)
    except TypeError as exc:
        raise TypeError(
            f"event payloads must be dicts, lists, scalars or msgspec Structs "
            f"(use labelloom.core.webhooks.payloads to convert models): {exc}"
        ) from None


# -- payload parts ----------------------------------------------------------------------------------
# Each domain builds the payloads of its own events (``projects.payloads``, ``tasks.payloads``,
# ``annotations.payloads``) from these; ``webhooks.payloads`` lists them all for webhook users.
# Columns that never leave the server, whatever the object.
HIDDEN_FIELDS = frozenset(
    {"task_data_password", "password_hash", "parsed_config", "next_inner_id", "lease_token", "lease_until"}
)


def serialize(obj: Any) -> Any:
    """A JSON-ready dict of an API dict, msgspec Struct, ORM object or a bare id."""
    if obj is None or isinstance(obj, Mapping):
        return msgspec.to_builtins(dict(obj)) if obj is not None else None
    if isinstance(obj, int) and not isinstance(obj, bool):
        return {"id": obj}
    if isinstance(obj, msgspec.Struct):
        return msgspec.to_builtins(obj)
    try:
        state = inspect(obj)
    except NoInspectionAvailable:
        raise TypeError(f"cannot turn {type(obj).__name__} into a webhook payload") from None
    foreign_keys = {
        column.key for column in state.mapper.columns if column.foreign_keys and column.key.endswith("_id")
    }
    loaded = state.dict  # loaded attributes only: reading others would need I/O
    data: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        name = attr.key
        if name not in loaded or name in HIDDEN_FIELDS or "password" in name or "secret" in name:
            continue
        data[name.removesuffix("_id") if name in foreign_keys else name] = loaded[name]
    return msgspec.to_builtins(data)


def serialize_many(items: Iterable[Any]) -> list[Any]:
    """Each of ``items`` through :func:`serialize`."""
    return [serialize(item) for item in items]


def id_list(ids: Iterable[int]) -> list[dict[str, int]]:
    """``[{"id": ...}]``, the shape deleted objects take in payloads."""
    return [{"id": int(i)} for i in ids]


def _project_id(payload: Mapping[str, Any]) -> int | None:
    project = payload.get("project")
    if isinstance(project, Mapping) and isinstance(project.get("id"), int):
        return project["id"]
    return None


def _as_dict(payload: Payload | None) -> dict[str, Any]:
    data = to_json(payload) if payload is not None else {}
    if not isinstance(data, dict):
        raise TypeError("an event payload must be a mapping")
    return data


def record_event(
    db: AsyncSession | Session,
    name: str,
    payload: Payload | PayloadFactory | None = None,
    *,
    project_id: int | None = None,
) -> DomainEvent:
    """Record domain event ``name`` on ``db``'s transaction; dispatched after it commits.

    :param payload: Label Studio's webhook body without ``action`` (see each domain's ``payloads``),
        or ``factory(session)`` returning it, built only when the event has listeners (then
        ``project_id`` must be given: webhooks are chosen before the payload exists).
    :param project_id: the project the event belongs to; defaults to ``payload["project"]["id"]``.
    """
    if callable(payload):
        recorded = DomainEvent(name, project_id=project_id, factory=payload)
    else:
        data = _as_dict(payload)
        recorded = DomainEvent(name, data, project_id if project_id is not None else _project_id(data))
    _sync(db).info.setdefault(EVENTS_KEY, []).append(recorded)
    return recorded


def after_commit(db: AsyncSession | Session, callback: AfterCommit) -> None:
    """Run ``await callback()`` once ``db``'s transaction has committed (never on rollback)."""
    _sync(db).info.setdefault(CALLBACKS_KEY, []).append(callback)


def pending_events(db: AsyncSession | Session) -> list[DomainEvent]:
    """Events recorded on ``db`` and not yet committed (for tests and debugging)."""
    return list(_sync(db).info.get(EVENTS_KEY, ()))


class EventBus:
    """Dispatches committed events of one application (web process or worker).

    :param stages: run just before a commit that carries events, inside its transaction; each
        returns follow-up work to run after the commit.
    :param timeout: seconds one piece of follow-up work may take before it is abandoned.
    """

    def __init__(self, host: PluginHost, *, stages: Sequence[Stage] = (), timeout: float = 30.0) -> None:
        self.host = host
        self.stages = list(stages)
        self.timeout = timeout
        self._tail: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def bind(self, sessionmaker: async_sessionmaker[Any]) -> async_sessionmaker[Any]:
        """Make sessions of ``sessionmaker`` dispatch their events through this bus."""
        info = dict(sessionmaker.kw.get("info") or {})
        info[BUS_KEY] = self
        sessionmaker.configure(info=info)
        return sessionmaker

    # -- called by the session hooks below ---------------------------------------------------
    def stage(self, session: Session, events: list[DomainEvent]) -> list[AfterCommit]:
        work: list[AfterCommit] = []
        for stage in self.stages:
            work.extend(stage(session, events))
        if self.host.listens_to_events:  # plugins read every payload after the commit
            for item in events:
                item.build(session)
        return work

    def committed(self, events: list[DomainEvent], work: list[AfterCommit]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("dropped %d events committed outside an event loop", len(events))
            return
        task = loop.create_task(self._dispatch(self._tail, events, work))
        self._tail = task
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _dispatch(
        self, previous: asyncio.Task[None] | None, events: list[DomainEvent], work: list[AfterCommit]
    ) -> None:
        if previous is not None and not previous.done():
            await asyncio.wait([previous])  # commit order; the previous outcome does not matter
        if self.host.listens_to_events:
            for item in events:
                self.host.emit(item.name, item.payload)  # logs and swallows plugin failures
        for callback in work:
            try:
                async with asyncio.timeout(self.timeout):  # not wait_for: see jobs/embedded.py
                    await callback()
            except Exception:
                log.exception("after-commit work failed")

    async def drain(self) -> None:
        """Wait until every event committed in this loop has been dispatched. A commit made on
        another loop (a test's own session beside the app's) is dispatched in that loop: its
        task cannot be gathered here (as the quality trigger's drain does)."""
        loop = asyncio.get_running_loop()
        while mine := [task for task in self._tasks if task.get_loop() is loop]:
            await asyncio.gather(*mine, return_exceptions=True)


# -- session hooks (one set for every Session; they act only on sessions that carry events) ---
@event.listens_for(Session, "before_commit")
def _stage_before_commit(session: Session) -> None:
    events = session.info.get(EVENTS_KEY)
    bus = session.info.get(BUS_KEY)
    if events and bus is not None:
        # Rows added here (webhook deliveries) are flushed by this very commit.
        session.info.setdefault(CALLBACKS_KEY, []).extend(bus.stage(session, list(events)))


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    events = session.info.pop(EVENTS_KEY, None) or []
    work = session.info.pop(CALLBACKS_KEY, None) or []
    if not events and not work:
        return
    bus = session.info.get(BUS_KEY)
    if bus is None:
        log.warning("dropped %d events: the session is not bound to an EventBus", len(events) + len(work))
        return
    bus.committed(events, work)


@event.listens_for(Session, "after_soft_rollback")
def _forget_on_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(EVENTS_KEY, None)
        session.info.pop(CALLBACKS_KEY, None)


__all__ = [
    "DomainEvent",
    "EventBus",
    "after_commit",
    "pending_events",
    "record_event",
    "to_json",
]

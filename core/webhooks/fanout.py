"""Turns committed-to-be events into webhook deliveries, inside the event's own transaction."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.epochs import HOOKS, EpochCache
from ..events import AfterCommit, DomainEvent
from ..jobs.service import JobService
from .actions import ACTIONS, Action
from .models import Webhook, WebhookDelivery

DELIVER_JOB = "core.webhook_deliver"

# Every active hook, kept per process under the ``hooks`` epoch (the organization has few).
_ALL_ACTIVE_WEBHOOKS = select(Webhook).where(Webhook.is_active.is_(True)).order_by(Webhook.id)


@dataclass(frozen=True)
class HookView:
    """What the fan-out needs of a webhook, detached from any session."""

    id: int
    project_id: int | None
    send_payload: bool
    send_for_all_actions: bool
    actions: tuple[str, ...]

    @classmethod
    def of(cls, webhook: Webhook) -> HookView:
        return cls(webhook.id, webhook.project_id, bool(webhook.send_payload), bool(webhook.send_for_all_actions),
                   tuple(webhook.actions or ()))


def _load_active(session: Session) -> list[HookView]:
    return [HookView.of(w) for w in session.execute(_ALL_ACTIVE_WEBHOOKS).scalars()]


def wants(webhook: Webhook | HookView, event: DomainEvent, action: Action) -> bool:
    """Label Studio's rules: project hooks get their project's events, organization hooks get
    all of them plus the organization-only ones; ``actions`` filters unless "all actions"."""
    if webhook.project_id is not None:
        if action.organization_only or webhook.project_id != event.project_id:
            return False
    return bool(webhook.send_for_all_actions or event.name in (webhook.actions or ()))


def bodies(event: DomainEvent, action: Action, *, send_payload: bool, batch_size: int) -> Iterator[dict[str, Any]]:
    """Request bodies for one event: ``{"action"}`` alone without payload, and long task lists
    split into batches (Label Studio's WEBHOOK_BATCH_SIZE)."""
    if not send_payload:
        yield {"action": event.name}
        return
    body = {"action": event.name, **event.payload}
    items = body.get(action.key)
    if action.batched and isinstance(items, list) and len(items) > batch_size > 0:
        for start in range(0, len(items), batch_size):
            yield {**body, action.key: items[start : start + batch_size]}
    else:
        yield body


class WebhookStage:
    """An :class:`~labelloom.core.events.EventBus` stage: stores the deliveries before the commit
    and enqueues their sending after it."""

    def __init__(self, jobs: JobService, *, batch_size: int) -> None:
        self.jobs = jobs
        self.batch_size = batch_size
        self._hooks = EpochCache(HOOKS, _load_active)

    def _active(self, session: Session, project_ids: set[int]) -> list[HookView]:
        """The active hooks for these projects, from the copy kept while the ``hooks`` epoch
        stands (db/epochs.py: any process's webhook change bumps it, in its transaction)."""
        return [h for h in self._hooks.get(session) if h.project_id is None or h.project_id in project_ids]

    def __call__(self, session: Session, events: list[DomainEvent]) -> list[AfterCommit]:
        known = [(event, ACTIONS[event.name]) for event in events if event.name in ACTIONS]
        if not known:
            return []
        project_ids = {event.project_id for event, _ in known if event.project_id is not None}
        webhooks = self._active(session, project_ids)
        touched: list[int] = []
        for event, action in known:
            for webhook in webhooks:
                if not wants(webhook, event, action):
                    continue
                if webhook.send_payload:
                    event.build(session)
                for body in bodies(event, action, send_payload=webhook.send_payload, batch_size=self.batch_size):
                    session.add(WebhookDelivery(webhook_id=webhook.id, action=event.name, payload=body))
                if webhook.id not in touched:
                    touched.append(webhook.id)
        return [self._sender(webhook_id) for webhook_id in touched]

    def _sender(self, webhook_id: int) -> AfterCommit:
        async def send() -> None:
            await self.jobs.enqueue(DELIVER_JOB, webhook_id=webhook_id)

        return send

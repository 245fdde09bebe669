"""Sending webhook deliveries: the ``core.webhook_deliver`` job.

One worker at a time holds a webhook's lease and sends its pending deliveries oldest first,
stopping at the first one that has to wait for a retry, so order is kept. A failed attempt
(network error, timeout, 5xx, 408, 429) is retried with doubling delays, up to
``webhook_max_attempts``; short waits are slept through, longer ones become a scheduled job.
Every attempt is written to the delivery row: the log ``GET /api/webhooks/{id}/deliveries``
shows. The URL is checked again at send time (DNS rebinding) unless private URLs are allowed.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from .. import __version__
from ..net import UnsafeURL, guarded_request
from .fanout import DELIVER_JOB
from .models import Webhook, WebhookDelivery

log = logging.getLogger(__name__)

WEBHOOKS = Webhook.__table__
INLINE_WAIT = 5.0  # seconds of back-off slept through instead of scheduling a new job
MAX_BACKOFF = 300.0
KEEP_FINISHED = 200  # finished deliveries kept per webhook in the log
RETRY_STATUS = frozenset({408, 425, 429})
USER_AGENT = f"Labelloom-Webhook/{__version__}"


@dataclass(frozen=True)
class Attempt:
    ok: bool
    retry: bool
    status_code: int | None = None
    error: str | None = None
    response_body: str | None = None


def backoff(attempts: int, first_delay: float) -> float:
    """Seconds before the next try after ``attempts`` failed ones: d, 2d, 4d ... at most 5 min."""
    return min(MAX_BACKOFF, first_delay * 2 ** max(attempts - 1, 0))


def _now() -> datetime:
    return datetime.now(UTC)


# -- the lease ------------------------------------------------------------------------------------
class Lease:
    """The right to send one webhook's deliveries; expires by itself if its holder dies."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], webhook_id: int, token: str, seconds: float):
        self.sessions, self.webhook_id, self.token, self.seconds = sessions, webhook_id, token, seconds

    @classmethod
    async def acquire(
        cls, sessions: async_sessionmaker[AsyncSession], webhook_id: int, seconds: float
    ) -> Lease | None:
        token = uuid.uuid4().hex
        current = time.time()
        free = or_(WEBHOOKS.c.lease_until.is_(None), WEBHOOKS.c.lease_until < current)
        taken = await cls._write(
            sessions, and_(WEBHOOKS.c.id == webhook_id, free), lease_token=token, lease_until=current + seconds
        )
        return cls(sessions, webhook_id, token, seconds) if taken else None

    async def renew(self) -> None:
        await self._write(self.sessions, self._mine(), lease_until=time.time() + self.seconds)

    async def release(self) -> None:
        await self._write(self.sessions, self._mine(), lease_token=None, lease_until=None)

    def _mine(self) -> Any:
        return and_(WEBHOOKS.c.id == self.webhook_id, WEBHOOKS.c.lease_token == self.token)

    @staticmethod
    async def _write(sessions: async_sessionmaker[AsyncSession], where: Any, **values: Any) -> bool:
        async with sessions() as db:
            # Keeping updated_at: the lease is bookkeeping, not an edit of the webhook.
            result = await db.execute(update(WEBHOOKS).where(where).values(updated_at=WEBHOOKS.c.updated_at, **values))
            await db.commit()
        return result.rowcount == 1


# -- one HTTP attempt -------------------------------------------------------------------------------
async def attempt(
    client: httpx.AsyncClient, url: str, headers: dict[str, str], body: Any, *, allow_private: bool, timeout: float
) -> Attempt:
    try:
        response = await guarded_request(
            client,
            "POST",
            url,
            allow_private=allow_private,
            json=body,
            headers={"User-Agent": USER_AGENT, **headers},
        )
    except UnsafeURL as exc:
        return Attempt(ok=False, retry=False, error=exc.detail)
    except httpx.TimeoutException:
        return Attempt(ok=False, retry=True, error=f"timed out after {timeout:g} s")
    except httpx.HTTPError as exc:
        return Attempt(ok=False, retry=True, error=f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
    code = response.status_code
    text = response.text[:1000]
    if 200 <= code < 300:
        return Attempt(ok=True, retry=False, status_code=code, response_body=text)
    retry = code >= 500 or code in RETRY_STATUS
    return Attempt(ok=False, retry=retry, status_code=code, error=f"HTTP {code}", response_body=text)


# -- the job ------------------------------------------------------------------------------------------
async def deliver_webhook(ctx: dict[str, Any], *, webhook_id: int) -> dict[str, Any]:
    """``core.webhook_deliver``: send the pending deliveries of one webhook, in order."""
    settings = ctx["settings"]
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    lease_seconds = max(60.0, 3 * settings.webhook_timeout + INLINE_WAIT + 10)
    sent = 0
    for _ in range(100):  # bounded: a webhook flooded with events yields to other jobs
        lease = await Lease.acquire(sessions, webhook_id, lease_seconds)
        if lease is None:
            # Someone else is sending; it looks for new rows after releasing, so none is lost.
            return {"sent": sent, "busy": True}
        try:
            sent += await _send_pending(ctx, lease)
        finally:
            await lease.release()
            await _prune(sessions, webhook_id)
        if not await _has_due(sessions, webhook_id):
            break
    return {"sent": sent}


async def _send_pending(ctx: dict[str, Any], lease: Lease) -> int:
    settings = ctx["settings"]
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        webhook = await db.get(Webhook, lease.webhook_id)
        if webhook is None:
            return 0
        if not webhook.is_active:
            await db.execute(
                update(WebhookDelivery)
                .where(WebhookDelivery.webhook_id == webhook.id, WebhookDelivery.status == "pending")
                .values(status="cancelled", error="the webhook was deactivated")
            )
            await db.commit()
            return 0
        url, headers = webhook.url, {str(k): str(v) for k, v in (webhook.headers or {}).items()}

    sent = 0
    timeout = settings.webhook_timeout
    async with httpx.AsyncClient(timeout=timeout, trust_env=False) as client:
        while True:
            delivery = await _next_pending(sessions, lease.webhook_id)
            if delivery is None:
                return sent
            wait = (delivery.next_attempt_at - _now()).total_seconds() if delivery.next_attempt_at else 0.0
            if wait > INLINE_WAIT:
                await _schedule_retry(ctx, delivery)
                return sent
            if wait > 0:
                await asyncio.sleep(wait)
            outcome = await attempt(
                client, url, headers, delivery.payload, allow_private=settings.allow_private_urls, timeout=timeout
            )
            await _save(sessions, delivery, outcome, settings)
            sent += 1
            await lease.renew()


async def _next_pending(sessions: async_sessionmaker[AsyncSession], webhook_id: int) -> WebhookDelivery | None:
    async with sessions() as db:
        return (
            await db.execute(
                select(WebhookDelivery)
                .where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status == "pending")
                .order_by(WebhookDelivery.id)
                .limit(1)
            )
        ).scalar_one_or_none()


async def _save(
    sessions: async_sessionmaker[AsyncSession], delivery: WebhookDelivery, outcome: Attempt, settings: Any
) -> None:
    attempts = delivery.attempts + 1
    values: dict[str, Any] = {
        "attempts": attempts,
        "status_code": outcome.status_code,
        "error": outcome.error,
        "response_body": outcome.response_body,
        "last_attempt_at": _now(),
        "next_attempt_at": None,
    }
    if outcome.ok:
        values.update(status="delivered", delivered_at=values["last_attempt_at"])
    elif outcome.retry and attempts < settings.webhook_max_attempts:
        delay = backoff(attempts, settings.webhook_retry_delay)
        values["next_attempt_at"] = values["last_attempt_at"] + timedelta(seconds=delay)
    else:
        values["status"] = "failed"
    if not outcome.ok:
        log.info("webhook %s delivery %s attempt %d: %s", delivery.webhook_id, delivery.id, attempts, outcome.error)
    async with sessions() as db:
        await db.execute(update(WebhookDelivery).where(WebhookDelivery.id == delivery.id).values(**values))
        await db.commit()


async def _schedule_retry(ctx: dict[str, Any], delivery: WebhookDelivery) -> None:
    """A job at the retry time; the key makes every worker schedule it only once."""
    assert delivery.next_attempt_at is not None
    await ctx["jobs"].enqueue(
        DELIVER_JOB,
        key=f"webhook:{delivery.webhook_id}:retry:{delivery.id}:{delivery.attempts}",
        scheduled=delivery.next_attempt_at.timestamp(),
        webhook_id=delivery.webhook_id,
    )


def _due() -> Any:
    return and_(
        WebhookDelivery.status == "pending",
        or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= _now()),
    )


async def _has_due(sessions: async_sessionmaker[AsyncSession], webhook_id: int) -> bool:
    async with sessions() as db:
        found = await db.execute(
            select(WebhookDelivery.id).where(WebhookDelivery.webhook_id == webhook_id, _due()).limit(1)
        )
        return found.first() is not None


async def _prune(sessions: async_sessionmaker[AsyncSession], webhook_id: int) -> None:
    """Keep the newest finished deliveries of the webhook; the log is for debugging, not archive."""
    async with sessions() as db:
        keep = (
            select(WebhookDelivery.id)
            .where(WebhookDelivery.webhook_id == webhook_id, WebhookDelivery.status != "pending")
            .order_by(WebhookDelivery.id.desc())
            .limit(KEEP_FINISHED)
        )
        await db.execute(
            delete(WebhookDelivery).where(
                WebhookDelivery.webhook_id == webhook_id,
                WebhookDelivery.status != "pending",
                WebhookDelivery.id.not_in(keep.scalar_subquery()),
            )
        )
        await db.commit()


async def resume_stalled(ctx: dict[str, Any]) -> list[int]:
    """Enqueue sending for webhooks with due deliveries and no live lease (a worker died or an
    enqueue was lost). Run by the periodic ``core.upkeep`` job."""
    sessions: async_sessionmaker[AsyncSession] = ctx["sessionmaker"]
    async with sessions() as db:
        webhook_ids = (
            await db.execute(
                select(WebhookDelivery.webhook_id)
                .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                .where(_due(), or_(Webhook.lease_until.is_(None), Webhook.lease_until < time.time()))
                .distinct()
            )
        ).scalars().all()
    for webhook_id in webhook_ids:
        await ctx["jobs"].enqueue(DELIVER_JOB, webhook_id=webhook_id)
    return list(webhook_ids)

"""Webhook CRUD and the delivery log."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import NotFound, ValidationFailed
from ..net import check_outbound_url
from ..projects.models import Project
from ..settings import Settings
from .actions import ACTIONS
from .models import Webhook, WebhookDelivery
from .schemas import DeliveryOut, WebhookIn, WebhookOut, WebhookPatch

MAX_HEADERS = 10
MAX_URL_LENGTH = 2048


def _invalid(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(f"{field}: {message}", validation_errors={field: [message]})


async def _check(db: AsyncSession, settings: Settings, fields: dict[str, Any]) -> None:
    """Validate the given fields (all of a POST/PUT, the sent ones of a PATCH)."""
    if "url" in fields:
        if len(fields["url"]) > MAX_URL_LENGTH:
            raise _invalid("url", f"Ensure this field has no more than {MAX_URL_LENGTH} characters.")
        await check_outbound_url(fields["url"], allow_private=settings.allow_private_urls)
    project_id = fields.get("project")
    if project_id is not None and await db.get(Project, project_id) is None:
        raise _invalid("project", f'Invalid pk "{project_id}" - object does not exist.')
    headers = fields.get("headers")
    if headers is not None and len(headers) > MAX_HEADERS:
        raise _invalid("headers", f"At most {MAX_HEADERS} headers are allowed.")
    unknown = sorted(set(fields.get("actions") or ()) - set(ACTIONS))
    if unknown:
        raise _invalid("actions", f"Unknown actions: {', '.join(unknown)}. Known: {', '.join(ACTIONS)}.")


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    values = dict(fields)
    if "project" in values:
        values["project_id"] = values.pop("project")
    if "actions" in values:
        values["actions"] = list(dict.fromkeys(values["actions"]))  # unique, in order
    return values


def webhook_out(webhook: Webhook) -> WebhookOut:
    return WebhookOut(
        id=webhook.id,
        organization=webhook.organization_id,
        project=webhook.project_id,
        url=webhook.url,
        send_payload=webhook.send_payload,
        send_for_all_actions=webhook.send_for_all_actions,
        headers=dict(webhook.headers or {}),
        is_active=webhook.is_active,
        actions=list(webhook.actions or []),
        created_at=webhook.created_at,
        updated_at=webhook.updated_at,
    )


async def list_webhooks(db: AsyncSession, project_id: int | None = None) -> list[Webhook]:
    query = select(Webhook).order_by(Webhook.id)
    if project_id is not None:
        query = query.where(Webhook.project_id == project_id)
    return list((await db.execute(query)).scalars())


async def get_webhook(db: AsyncSession, webhook_id: int) -> Webhook:
    webhook = await db.get(Webhook, webhook_id)
    if webhook is None:
        raise NotFound("No Webhook matches the given query.")
    return webhook


async def create_webhook(db: AsyncSession, settings: Settings, data: WebhookIn) -> Webhook:
    fields = msgspec.structs.asdict(data)
    await _check(db, settings, fields)
    webhook = Webhook(**_columns(fields))
    db.add(webhook)
    await db.flush()
    await db.refresh(webhook)
    return webhook


async def update_webhook(
    db: AsyncSession, settings: Settings, webhook: Webhook, data: WebhookPatch | WebhookIn
) -> Webhook:
    fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    await _check(db, settings, fields)
    for name, value in _columns(fields).items():
        setattr(webhook, name, value)
    await db.flush()
    await db.refresh(webhook)
    return webhook


async def delete_webhook(db: AsyncSession, webhook: Webhook) -> None:
    await db.delete(webhook)
    await db.flush()


def delivery_out(delivery: WebhookDelivery, *, with_payload: bool = False) -> DeliveryOut:
    return DeliveryOut(
        id=delivery.id,
        webhook=delivery.webhook_id,
        action=delivery.action,
        status=delivery.status,
        attempts=delivery.attempts,
        status_code=delivery.status_code,
        error=delivery.error,
        response_body=delivery.response_body,
        created_at=delivery.created_at,
        last_attempt_at=delivery.last_attempt_at,
        next_attempt_at=delivery.next_attempt_at,
        delivered_at=delivery.delivered_at,
        payload=delivery.payload if with_payload else msgspec.UNSET,
    )


async def list_deliveries(
    db: AsyncSession, webhook_id: int, *, page: int, page_size: int, status: str | None = None
) -> tuple[int, list[WebhookDelivery]]:
    """The webhook's deliveries, newest first."""
    where = [WebhookDelivery.webhook_id == webhook_id]
    if status:
        where.append(WebhookDelivery.status == status)
    count = (await db.execute(select(func.count()).select_from(WebhookDelivery).where(*where))).scalar_one()
    rows = await db.execute(
        select(WebhookDelivery)
        .where(*where)
        .order_by(WebhookDelivery.id.desc())
        .offset((page - 1) * page_size)
        .limit(page_size)
    )
    return count, list(rows.scalars())


async def get_delivery(db: AsyncSession, webhook_id: int, delivery_id: int) -> WebhookDelivery:
    delivery = await db.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.webhook_id != webhook_id:
        raise NotFound("No delivery matches the given query.")
    return delivery

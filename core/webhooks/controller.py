"""``/api/webhooks/``: Label Studio's webhook API, plus the delivery log."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, delete, get, patch, post, put
from litestar.params import Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from ..settings import Settings
from ..users.models import User
from . import service
from .actions import actions_info
from .schemas import DeliveryOut, DeliveryPage, WebhookIn, WebhookOut, WebhookPatch


class WebhooksController(Controller):
    path = "/api/webhooks"
    tags = ["Webhooks"]

    @get("/", operation_id="webhooks_list")
    async def list_webhooks(self, db: AsyncSession, user: User, project: int | None = None) -> list[WebhookOut]:
        return [service.webhook_out(w) for w in await service.list_webhooks(db, project)]

    @post("/", operation_id="webhooks_create", status_code=HTTP_201_CREATED)
    async def create(self, db: AsyncSession, user: User, settings: Settings, data: WebhookIn) -> WebhookOut:
        return service.webhook_out(await service.create_webhook(db, settings, data))

    @get("/info", operation_id="webhooks_info")
    async def info(
        self, user: User, organization_only: Annotated[str | None, Parameter(query="organization-only")] = None
    ) -> dict[str, Any]:
        """Every action: ``{ACTION: {name, description, key, organization-only}}``."""
        only = None if organization_only is None else organization_only.lower() == "true"
        return actions_info(only)

    @get("/{webhook_id:int}", operation_id="webhooks_get")
    async def get_one(self, db: AsyncSession, user: User, webhook_id: int) -> WebhookOut:
        return service.webhook_out(await service.get_webhook(db, webhook_id))

    @patch("/{webhook_id:int}", operation_id="webhooks_update")
    async def update(
        self, db: AsyncSession, user: User, settings: Settings, webhook_id: int, data: WebhookPatch
    ) -> WebhookOut:
        webhook = await service.get_webhook(db, webhook_id)
        return service.webhook_out(await service.update_webhook(db, settings, webhook, data))

    @put("/{webhook_id:int}", operation_id="webhooks_replace")
    async def replace(
        self, db: AsyncSession, user: User, settings: Settings, webhook_id: int, data: WebhookIn
    ) -> WebhookOut:
        webhook = await service.get_webhook(db, webhook_id)
        return service.webhook_out(await service.update_webhook(db, settings, webhook, data))

    @delete("/{webhook_id:int}", operation_id="webhooks_delete", status_code=HTTP_204_NO_CONTENT)
    async def remove(self, db: AsyncSession, user: User, webhook_id: int) -> None:
        await service.delete_webhook(db, await service.get_webhook(db, webhook_id))

    @get("/{webhook_id:int}/deliveries", operation_id="webhooks_deliveries")
    async def deliveries(
        self,
        db: AsyncSession,
        user: User,
        webhook_id: int,
        page: Annotated[int, Parameter(ge=1)] = 1,
        page_size: Annotated[int, Parameter(ge=1, le=100)] = 30,
        status: str | None = None,
    ) -> DeliveryPage:
        """The delivery log, newest first: status, attempts, last status code and error."""
        await service.get_webhook(db, webhook_id)
        count, rows = await service.list_deliveries(db, webhook_id, page=page, page_size=page_size, status=status)
        return DeliveryPage(count=count, results=[service.delivery_out(d) for d in rows])

    @get("/{webhook_id:int}/deliveries/{delivery_id:int}", operation_id="webhooks_delivery")
    async def delivery(self, db: AsyncSession, user: User, webhook_id: int, delivery_id: int) -> DeliveryOut:
        """One delivery, with the request body that was (or will be) sent."""
        return service.delivery_out(await service.get_delivery(db, webhook_id, delivery_id), with_payload=True)

"""Webhook API shapes (Label Studio's WebhookSerializer) and the delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec import UNSET, UnsetType

from ..input_limits import Id


class WebhookIn(msgspec.Struct, forbid_unknown_fields=False):
    url: str
    project: Id | None = None
    send_payload: bool = True
    send_for_all_actions: bool = True
    headers: dict[str, str] = msgspec.field(default_factory=dict)
    is_active: bool = True
    actions: list[str] = msgspec.field(default_factory=list)


class WebhookPatch(msgspec.Struct, forbid_unknown_fields=False):
    url: str | UnsetType = UNSET
    project: Id | None | UnsetType = UNSET
    send_payload: bool | UnsetType = UNSET
    send_for_all_actions: bool | UnsetType = UNSET
    headers: dict[str, str] | UnsetType = UNSET
    is_active: bool | UnsetType = UNSET
    actions: list[str] | UnsetType = UNSET


class WebhookOut(msgspec.Struct):
    id: int
    organization: int
    project: int | None
    url: str
    send_payload: bool
    send_for_all_actions: bool
    headers: dict[str, Any]
    is_active: bool
    actions: list[str]
    created_at: datetime
    updated_at: datetime


class DeliveryOut(msgspec.Struct):
    id: int
    webhook: int
    action: str
    status: str  # pending | delivered | failed | cancelled
    attempts: int
    status_code: int | None
    error: str | None
    response_body: str | None
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    # The request body; only in the single-delivery view.
    payload: Any | UnsetType = UNSET


class DeliveryPage(msgspec.Struct):
    count: int
    results: list[DeliveryOut]

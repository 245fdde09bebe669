"""Request bodies of ``/api/ml`` (Label Studio's MLBackend serializer fields)."""

from __future__ import annotations

from typing import Any

import msgspec

from ..input_limits import Id

UNSET = msgspec.UNSET
Unset = msgspec.UnsetType


class MLBackendIn(msgspec.Struct, forbid_unknown_fields=False):
    url: str
    project: Id
    title: str | None = None
    description: str | None = None
    auth_method: str | None = None
    basic_auth_user: str | None = None
    basic_auth_pass: str | None = None
    extra_params: dict[str, Any] | None = None
    is_interactive: bool | None = None
    timeout: float | None = None
    auto_update: bool | None = None
    model_version: str | None = None


class MLBackendPatch(msgspec.Struct, forbid_unknown_fields=False):
    url: str | Unset = UNSET
    project: Id | Unset = UNSET
    title: str | None | Unset = UNSET
    description: str | None | Unset = UNSET
    auth_method: str | None | Unset = UNSET
    basic_auth_user: str | None | Unset = UNSET
    basic_auth_pass: str | None | Unset = UNSET
    extra_params: dict[str, Any] | None | Unset = UNSET
    is_interactive: bool | None | Unset = UNSET
    timeout: float | None | Unset = UNSET
    auto_update: bool | None | Unset = UNSET
    model_version: str | None | Unset = UNSET

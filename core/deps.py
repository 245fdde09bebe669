"""Dependencies every controller may ask for by name: ``db``, ``user``, ``host``, ``registries``
(the host's, for handlers that need only what plugins registered), ``settings``."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.di import Provide
from sqlalchemy.ext.asyncio import AsyncSession

from .errors import NotAuthenticated
from .host import PluginHost
from .registries import Registries
from .settings import Settings
from .users.models import User


def provide_db(request: Request[Any, Any, Any]) -> AsyncSession:
    return request.scope["state"]["db"]


def provide_user(request: Request[Any, Any, Any]) -> User:
    user = request.scope.get("user")
    if user is None:
        raise NotAuthenticated("Authentication credentials were not provided.")
    return user


def provide_host(request: Request[Any, Any, Any]) -> PluginHost:
    return request.app.state.host


def provide_registries(request: Request[Any, Any, Any]) -> Registries:
    return request.app.state.host.registries


def provide_settings(request: Request[Any, Any, Any]) -> Settings:
    return request.app.state.settings


DEPENDENCIES = {
    "db": Provide(provide_db, sync_to_thread=False),
    "user": Provide(provide_user, sync_to_thread=False),
    "host": Provide(provide_host, sync_to_thread=False),
    "registries": Provide(provide_registries, sync_to_thread=False),
    "settings": Provide(provide_settings, sync_to_thread=False),
}

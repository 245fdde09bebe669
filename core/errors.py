"""One error hierarchy; every error becomes a JSON response with a ``detail`` sentence.

Plugins raise these (through ``labelloom.core.plugin``), never HTTP exceptions.
"""

from __future__ import annotations

from typing import Any


class LabelloomError(Exception):
    """Base of every error Labelloom reports to a client or an operator."""

    status_code = 500

    def __init__(self, detail: str, *, validation_errors: dict[str, Any] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.validation_errors = validation_errors
        self.extra = extra

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status_code": self.status_code, "detail": self.detail}
        if self.validation_errors is not None:
            body["validation_errors"] = self.validation_errors
        body.update(self.extra)
        return body


class BadRequest(LabelloomError):
    """The request is malformed or its content is invalid (400)."""

    status_code = 400


class ValidationFailed(BadRequest):
    """Input failed validation; ``validation_errors`` says which field and why."""


class NotAuthenticated(LabelloomError):
    status_code = 401


class PermissionDenied(LabelloomError):
    status_code = 403


class NotFound(LabelloomError):
    status_code = 404


class Conflict(LabelloomError):
    status_code = 409


class PluginError(LabelloomError):
    """A plugin misbehaved; the message names the plugin."""

    def __init__(self, plugin: str, detail: str, **extra: Any):
        super().__init__(f"plugin {plugin!r}: {detail}", **extra)
        self.plugin = plugin


class StorageError(BadRequest):
    """A storage could not be reached or refused an operation; the message says which and why."""


class MLBackendError(LabelloomError):
    """An ML backend could not be reached or answered badly (timeout, HTTP error, malformed JSON).

    Core keeps the message on the backend's state; the API answers 400 with it where a user asked.
    """

    status_code = 400

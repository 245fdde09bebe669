"""Settings that other packages keep for a project and that Label Studio Enterprise reads and
writes inside the project's own JSON (``assignment_settings``, ``review_settings``).

The project routes do not know those packages (they sit above projects); the app hands them a
tuple of sections (``app.state.project_sections``), each reading and writing its own key with the
same shapes as its dedicated endpoint.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from ..errors import ValidationFailed


class ProjectSection(Protocol):
    name: str  # the key in the project's JSON

    async def read(self, db: AsyncSession, project_id: int) -> dict[str, Any]: ...

    async def write(self, db: AsyncSession, project_id: int, raw: dict[str, Any]) -> None:
        """Apply a partial update; a bad value raises ValidationFailed (a 400) naming the field."""


def sections_of(state: Any) -> tuple[ProjectSection, ...]:
    return tuple(getattr(state, "project_sections", None) or ())


async def read_sections(db: AsyncSession, sections: tuple[ProjectSection, ...], project_id: int) -> dict[str, Any]:
    return {section.name: await section.read(db, project_id) for section in sections}


async def write_sections(db: AsyncSession, sections: tuple[ProjectSection, ...], project_id: int,
                         values: dict[str, Any]) -> None:
    """Apply each section's part of a project PATCH; errors are prefixed with the section's key
    (``review_settings.required_reviews``). The request's transaction undoes everything on error."""
    for section in sections:
        raw = values.get(section.name)
        if raw is None:
            continue
        if not isinstance(raw, dict):
            raise ValidationFailed(f"{section.name} must be an object.", validation_errors={section.name: ["must be an object"]})
        try:
            await section.write(db, project_id, raw)
        except ValidationFailed as error:
            errors = {f"{section.name}.{key}": value for key, value in (error.validation_errors or {}).items()}
            raise ValidationFailed(f"{section.name}: {error.detail}", validation_errors=errors or {section.name: [str(error.detail)]}) from None

"""The organization roles (Label Studio Enterprise's two-letter codes) and their names."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "OW"
    ADMINISTRATOR = "AD"
    MANAGER = "MA"
    REVIEWER = "RE"
    ANNOTATOR = "AN"
    DEACTIVATED = "DI"
    # (Label Studio Enterprise's two-letter codes; ``NOT_ACTIVATED`` "NO" is read as annotator.)

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.OWNER: "Owner",
    Role.ADMINISTRATOR: "Administrator",
    Role.MANAGER: "Manager",
    Role.REVIEWER: "Reviewer",
    Role.ANNOTATOR: "Annotator",
    Role.DEACTIVATED: "Deactivated",
}

# Roles that see every project of the organization; the others see only their projects.
ORGANIZATION_WIDE = frozenset({Role.OWNER, Role.ADMINISTRATOR, Role.MANAGER})

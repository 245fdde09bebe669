"""docs/permissions.md shows the matrix the code enforces."""

from pathlib import Path

from labelloom.core.teams.matrix_doc import replace_in
from labelloom.core.teams.permissions import MATRIX, PERMISSIONS, Role, role_allows

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def test_doc_matches_the_code():
    text = DOC.read_text()
    assert replace_in(text) == text, (
        "docs/permissions.md is out of date: python -m labelloom.core.teams.matrix_doc docs/permissions.md"
    )


def test_roles_are_nested_and_deactivated_has_nothing():
    order = [Role.ANNOTATOR, Role.REVIEWER, Role.MANAGER, Role.ADMINISTRATOR, Role.OWNER]
    for lower, higher in zip(order, order[1:]):
        assert MATRIX[lower] < MATRIX[higher] or MATRIX[lower] == MATRIX[higher]
    assert not MATRIX[Role.DEACTIVATED]
    assert MATRIX[Role.OWNER] == frozenset(PERMISSIONS)
    assert role_allows(Role.REVIEWER, "annotations.review") and not role_allows(Role.ANNOTATOR, "annotations.review")
    assert not role_allows(Role.MANAGER, "organization.manage")

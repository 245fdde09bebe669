"""Quality, second part (issue 24).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07

Reserved so parallel work keeps a linear history; it changes nothing until filled in.
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

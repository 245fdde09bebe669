"""Speed (issue 17).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07

Reserved so parallel work keeps a linear history; it changes nothing until filled in.
"""

from __future__ import annotations

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

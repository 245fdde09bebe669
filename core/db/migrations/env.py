"""Alembic environment. Runs on a connection handed over by ``labelloom.core.db.migrate``
(``config.attributes["connection"]``) or, for developers running ``alembic`` directly, on
``LABELLOOM_DATABASE_URL``."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy.engine import Connection

from labelloom.core.db.engine import make_engine
from labelloom.core.models import Base

config = context.config
target_metadata = Base.metadata


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite needs batch ALTERs
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_with_url(url: str) -> None:
    engine = make_engine(url)
    async with engine.connect() as connection:
        await connection.run_sync(run_on)
        await connection.commit()
    await engine.dispose()


connection = config.attributes.get("connection")
if connection is not None:
    run_on(connection)
else:
    asyncio.run(run_with_url(os.environ.get("LABELLOOM_DATABASE_URL", "sqlite:///labelloom-dev.sqlite3")))

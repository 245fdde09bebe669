"""The migrations build exactly the schema the models declare, on SQLite and PostgreSQL."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from labelloom.core.db.engine import make_engine
from labelloom.core.datamanager.tuning import INDEX_PREFIX
from labelloom.core.models import Base

# Indexes the models cannot declare portably (PostgreSQL trigram indexes, migration 0004).
DATABASE_ONLY = {"ix_annotations_result_trgm", "ix_predictions_result_trgm"}


def _named(diff):
    for item in diff:
        if isinstance(item, tuple) and item and hasattr(item[-1], "name"):
            yield item[0], item[-1].name
        else:
            yield item, None


def test_models_match_migrated_schema(database_url):
    async def differences():
        engine = make_engine(database_url)
        async with engine.connect() as conn:
            diff = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
        await engine.dispose()
        return diff

    diff = asyncio.run(differences())
    # Sort indexes on data keys are built at run time, when users sort (datamanager.tuning).
    remaining = [
        (op, name) for op, name in _named(diff)
        if name not in DATABASE_ONLY and not (name or "").startswith(INDEX_PREFIX)
    ]
    assert remaining == []

"""A web process in embedded mode (no queue URL, in-process worker) that submits tracked jobs
given as JSON on argv and then just runs; the test kills it with SIGKILL."""

import asyncio
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jobs_testplugin  # noqa: E402

from labelloom.core.app import create_app  # noqa: E402
from labelloom.core.jobs import jobs_of  # noqa: E402
from labelloom.core.manager import build_plugin_host  # noqa: E402
from labelloom.core.settings import Settings  # noqa: E402


async def main(submissions):
    app = create_app(Settings.from_env(), host=build_plugin_host(modules={"testjobs": jobs_testplugin}))
    async with app.lifespan():
        async with app.state.sessionmaker() as db:
            records = [await jobs_of(app).submit(db, name, **kwargs) for name, kwargs in submissions]
            await db.commit()
        print(json.dumps([record.id for record in records]), flush=True)
        await asyncio.sleep(600)


if __name__ == "__main__":
    asyncio.run(main(json.loads(sys.argv[1])))

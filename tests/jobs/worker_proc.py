"""`labelloom worker` with the test plugin: settings come from LABELLOOM_* variables."""

import asyncio
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import jobs_testplugin  # noqa: E402

from labelloom.core.background import run_worker  # noqa: E402
from labelloom.core.manager import build_plugin_host  # noqa: E402
from labelloom.core.settings import Settings  # noqa: E402

if __name__ == "__main__":
    host = build_plugin_host(modules={"testjobs": jobs_testplugin})
    asyncio.run(run_worker(Settings.from_env(), concurrency=2, host=host))

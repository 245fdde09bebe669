"""Serves the browser app: the page shell with its import map, for every client-side route.

The app is plain ES modules (web/static/app/); libraries come from web/static/vendor/ through
an import map written into the page, so nothing is bundled. Client routes (``/projects/3/data``
...) all answer with the same shell; the client router picks the page.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from litestar import Response, get

from . import __version__

WEB_STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
SDK_URL = "/static/core/sdk.js"

# Client-side routes (web/static/app/routes.js); each answers with the shell.
APP_PATHS = [
    "/",
    "/setup",
    "/account",
    "/user/{rest:path}",
    "/projects",
    "/projects/{rest:path}",
    "/organization",
    "/organization/{rest:path}",
]


def import_map() -> dict[str, Any]:
    """Vendored npm libraries plus ``@labelloom/sdk`` (shared with plugin widgets)."""
    vendored = WEB_STATIC / "vendor" / "importmap.json"
    imports = json.loads(vendored.read_text())["imports"] if vendored.exists() else {}
    return {"imports": {**imports, "@labelloom/sdk": SDK_URL, "@labelloom/app/": "/static/core/app/"}}


@lru_cache(maxsize=1)
def shell_html() -> str:
    page = (WEB_STATIC / "index.html").read_text()
    mapping = json.dumps(import_map(), indent=1).replace("</", "<\\/")
    return page.replace("<!--importmap-->", mapping).replace("{{version}}", __version__)


@get(APP_PATHS, opt={"public": True}, include_in_schema=False, cache=False)
async def app_shell() -> Response[str]:
    return Response(shell_html(), media_type="text/html", headers={"Cache-Control": "no-cache"})

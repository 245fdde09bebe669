"""Serves the browser app: the page shell with its import map, for every client-side route.

The app is plain ES modules (web/static/app/); libraries come from web/static/vendor/ through
an import map written into the page, so nothing is bundled. Client routes (``/projects/3/data``
...) all answer with the same shell; the client router picks the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
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


_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)


@lru_cache(maxsize=1)
def content_security_policy() -> str:
    """The page's CSP: scripts only from this origin, plus the page's own inline scripts (the
    import map and the theme snippet) by their SHA-256 hashes; no plugins (``object``), no
    ``<base>`` rewriting, framed only by the app itself.

    Styles, images, media and connections are not restricted: widgets style elements inline
    and labeling tasks load their media from any URL the task names. Workers may be module
    files or ``blob:`` URLs (wavesurfer's spectrogram).
    """
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(shell_html())
    )
    return (
        f"script-src 'self' {hashes}; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'self'"
    )


SHELL_HEADERS = {
    "Cache-Control": "no-cache",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


@get(APP_PATHS, opt={"public": True}, include_in_schema=False, cache=False)
async def app_shell() -> Response[str]:
    headers = {**SHELL_HEADERS, "Content-Security-Policy": content_security_policy()}
    return Response(shell_html(), media_type="text/html", headers=headers)

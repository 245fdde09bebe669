"""Page links in Django REST framework's style (``next``/``previous`` absolute URLs)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Request


def page_links(request: Request[Any, Any, Any], page: int, page_size: int, total: int) -> tuple[str | None, str | None]:
    def link(number: int) -> str:
        params = dict(request.query_params)
        params["page"] = str(number)
        params["page_size"] = str(page_size)
        return str(request.url.with_replacements(query=urlencode(params)))

    previous = link(page - 1) if page > 1 else None
    following = link(page + 1) if page * page_size < total else None
    return previous, following

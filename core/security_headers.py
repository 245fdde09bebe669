"""Security headers on every response, and a sandbox for user media.

Every response gets ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: same-origin``
(unless a handler set its own). The app's page carries its Content-Security-Policy itself
(core/webapp.py: the inline scripts are allowed by their hashes).

Uploaded media (``/data/upload/...``) is whatever users sent, served from the app's own
origin, so it is treated as hostile:

- ``Content-Security-Policy: sandbox; default-src 'none'; ...``: a document opened directly
  (an SVG or HTML file) gets an opaque origin and runs no script; images, audio and video still
  play, in ``<img>``/``<audio>``/``<video>`` as anywhere else. PDFs are left out of the sandbox
  (Chromium's viewer does not render sandboxed PDFs; the labeling view frames them) and only
  may not be framed by other sites.
- Active types (SVG, HTML, XML, XHTML) go out as ``Content-Disposition: attachment``: opening
  the URL downloads the file instead of showing it. ``<img src>`` ignores the disposition, so
  the image widget still displays SVG images.
"""

from __future__ import annotations

from litestar.types import Message, Scope

MEDIA_PREFIX = "/data/upload/"
ACTIVE_TYPES = frozenset(
    {"image/svg+xml", "text/html", "application/xhtml+xml", "text/xml", "application/xml", "text/xsl"}
)
MEDIA_CSP = (
    "sandbox; default-src 'none'; img-src 'self' data:; media-src 'self'; "
    "style-src 'unsafe-inline'; frame-ancestors 'self'"
)
PDF_CSP = "frame-ancestors 'self'"
COMMON_HEADERS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"))


def media_headers(content_type: str) -> list[tuple[bytes, bytes]]:
    """The extra headers of an uploaded file of ``content_type``."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type == "application/pdf":
        return [(b"content-security-policy", PDF_CSP.encode())]
    headers = [(b"content-security-policy", MEDIA_CSP.encode())]
    if media_type in ACTIVE_TYPES or media_type.endswith("+xml"):
        headers.append((b"content-disposition", b"attachment"))
    return headers


async def add_security_headers(message: Message, scope: Scope) -> None:
    """Litestar ``before_send`` hook: adds the headers above when a response starts. A hook
    sees every response, errors of middleware (401, CSRF 403) and unknown routes included."""
    if message["type"] != "http.response.start":
        return
    headers = list(message.get("headers") or [])
    present = {bytes(name).lower() for name, _ in headers}
    extra = [(name, value) for name, value in COMMON_HEADERS if name not in present]
    if scope.get("path", "").startswith(MEDIA_PREFIX) and message["status"] < 400:
        content_type = next((bytes(v) for n, v in headers if bytes(n).lower() == b"content-type"), b"")
        added = media_headers(content_type.decode("latin-1"))
        names = {name for name, _ in added}
        headers = [(n, v) for n, v in headers if bytes(n).lower() not in names]
        extra += added
    message["headers"] = headers + extra


__all__ = ["ACTIVE_TYPES", "MEDIA_CSP", "add_security_headers", "media_headers"]

"""Issue 16: security headers on the app and a sandbox for uploaded media."""

import base64
import hashlib
import re

import pytest

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"><script>alert(1)</script><rect width="4" height="4"/></svg>'


def _store(client, name, body):
    root = client.app.state.settings.media_dir / "upload" / "7"
    root.mkdir(parents=True, exist_ok=True)
    (root / name).write_bytes(body)
    return f"/data/upload/7/{name}"


@pytest.mark.parametrize(
    ("name", "content_type"),
    [("x.svg", "image/svg+xml"), ("x.html", "text/html"), ("x.xml", "application/xml"), ("x.xhtml", "application/xhtml+xml")],
)
async def test_active_media_types_are_sandboxed_attachments(client, admin, name, content_type):
    url = _store(client, name, SVG)
    for headers in (admin.headers, {**admin.headers, "Range": "bytes=0-9"}):
        r = await client.get(url, headers=headers)
        assert r.status_code in (200, 206)
        assert r.headers["content-type"].startswith(content_type)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["content-disposition"] == "attachment"
        csp = r.headers["content-security-policy"]
        assert csp.startswith("sandbox;") and "default-src 'none'" in csp and "script-src" not in csp


async def test_passive_media_is_sandboxed_but_inline(client, admin):
    url = _store(client, "x.png", b"\x89PNG\r\n\x1a\n")
    r = await client.get(url, headers=admin.headers)
    assert r.status_code == 200 and r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-security-policy"].startswith("sandbox;")
    assert "content-disposition" not in r.headers
    # PDFs are framed by the labeling view in the browser's own viewer, which needs no sandbox.
    pdf = await client.get(_store(client, "x.pdf", b"%PDF-1.4\n"), headers=admin.headers)
    assert pdf.headers["content-security-policy"] == "frame-ancestors 'self'"
    assert pdf.headers["x-content-type-options"] == "nosniff"
    # A refused request gets the common headers too, and no file.
    refused = await client.get(url)
    assert refused.status_code == 401 and refused.headers["x-content-type-options"] == "nosniff"


async def test_app_pages_carry_a_content_security_policy(client):
    for path in ("/", "/projects/3/data", "/user/login"):
        r = await client.get(path)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        csp = r.headers["content-security-policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["frame-ancestors"] == "'self'" and directives["object-src"] == "'none'"
        sources = directives["script-src"].split()
        assert sources[0] == "'self'" and "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
        # Every inline script of the page (the import map, the theme snippet) is allowed by hash.
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", r.text, re.S)
        assert len(inline) >= 2
        for body in inline:
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in sources


async def test_api_responses_get_the_common_headers(client, admin):
    r = await client.get("/api/current-user/whoami", headers=admin.headers)
    assert r.headers["x-content-type-options"] == "nosniff" and r.headers["referrer-policy"] == "same-origin"
    assert "content-security-policy" not in r.headers

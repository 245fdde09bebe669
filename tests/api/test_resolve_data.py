"""Storage URIs in task data are resolved anywhere (nested objects and lists), other values are
left alone, and data with nothing to resolve is returned as is, uncopied."""

from __future__ import annotations

from labelloom.core.tasks.serialize import resolve_data


class FakeHost:
    """Resolves s3:// URIs to presigned-looking URLs, declines gs:// (None: left as is)."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, int]] = []

    def resolve_media_url(self, uri: str, project_id: int) -> str | None:
        self.asked.append((uri, project_id))
        return f"/resolved/{project_id}/{uri[5:]}" if uri.startswith("s3://") else None


def test_uris_resolve_at_any_depth_and_nothing_else_changes():
    host = FakeHost()
    nested = {"keep": 1}
    data = {
        "image": "s3://bucket/a.png",
        "text": "plain words, no scheme",
        "url": "https://example.com/x.png",
        "inline": "data:image/png;base64,AAAA",
        "local": "/data/upload/1/x.png",
        "declined": "gs://bucket/b.png",
        "late": "this sentence mentions s3://bucket/c.png past the scheme window",
        "n": 3, "f": 1.5, "flag": True, "none": None,
        "list": ["s3://bucket/d.png", 7, "word", ["s3://bucket/e.png"], {"deep": "s3://bucket/f.png"}],
        "untouched": nested,
    }
    out = resolve_data(data, host, 9)
    assert out == {
        **data,
        "image": "/resolved/9/bucket/a.png",
        "list": ["/resolved/9/bucket/d.png", 7, "word", ["/resolved/9/bucket/e.png"], {"deep": "/resolved/9/bucket/f.png"}],
    }
    assert out["untouched"] is nested  # unchanged members are shared, not copied
    assert data["image"] == "s3://bucket/a.png" and data["list"][0] == "s3://bucket/d.png"  # input untouched
    assert sorted(uri for uri, _ in host.asked) == [
        "gs://bucket/b.png", "s3://bucket/a.png", "s3://bucket/d.png", "s3://bucket/e.png", "s3://bucket/f.png"]


def test_data_with_nothing_to_resolve_is_returned_itself():
    host = FakeHost()
    data = {"text": "hello", "items": [1, "two", {"three": "https://x/y"}], "gs": "gs://declined/z"}
    assert resolve_data(data, host, 1) is data
    assert resolve_data("s3://bucket/top.png", host, 2) == "/resolved/2/bucket/top.png"

"""Issue 16: % and _ in the project search are literal characters, not SQL wildcards."""


async def test_project_search_matches_percent_and_underscore_literally(client, admin):
    titles = ["100% done", "1000 done", "a_b", "axb", "Plain"]
    for title in titles:
        r = await client.post("/api/projects/", headers=admin.headers, json={"title": title})
        assert r.status_code == 201, r.text

    async def search(text):
        r = await client.get("/api/projects/", params={"title": text}, headers=admin.headers)
        assert r.status_code == 200, r.text
        return sorted(p["title"] for p in r.json()["results"])

    assert await search("%") == ["100% done"]
    assert await search("0%") == ["100% done"]
    assert await search("_") == ["a_b"]
    assert await search("a_b") == ["a_b"]
    assert await search("\\") == []
    assert await search("/") == []
    assert await search("plain") == ["Plain"]  # still case-insensitive
    assert await search("done") == ["100% done", "1000 done"]

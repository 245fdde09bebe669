"""Media uploads become tasks; uploaded files are served to signed-in users with Range."""

import io

IMAGE_CONFIG = """
<View>
  <Image name="img" value="$image"/>
  <Choices name="kind" toName="img"><Choice value="cat"/><Choice value="dog"/></Choices>
</View>
"""
HTML_CONFIG = """
<View>
  <HyperText name="page" value="$html"/>
  <Choices name="kind" toName="page"><Choice value="spam"/><Choice value="ham"/></Choices>
</View>
"""
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e5279d5a0000000049454e44ae426082"
)


async def test_image_files_become_tasks_and_are_served(client, admin):
    project = (await client.post("/api/projects/", headers=admin.headers,
                                 json={"title": "img", "label_config": IMAGE_CONFIG})).json()
    files = [("file", ("a cat.png", io.BytesIO(PNG))), ("file", ("dog.png", io.BytesIO(PNG)))]
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers, files=files)
    assert r.status_code == 201, r.text
    assert r.json()["task_count"] == 2 and r.json()["found_formats"] == {".png": 2}
    tasks = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"]
    url = tasks[0]["data"]["image"]
    assert url.startswith(f"/data/upload/{project['id']}/") and url.endswith("-a_cat.png")

    assert (await client.get(url)).status_code == 401
    whole = await client.get(url, headers=admin.headers)
    assert whole.status_code == 200 and whole.content == PNG and whole.headers["content-type"] == "image/png"
    part = await client.get(url, headers={**admin.headers, "Range": "bytes=1-3"})
    assert part.status_code == 206 and part.content == PNG[1:4]
    assert part.headers["content-range"] == f"bytes 1-3/{len(PNG)}"
    assert (await client.get(url + "x", headers=admin.headers)).status_code == 404
    escape = await client.get("/data/upload/../secret_key", headers=admin.headers)
    assert escape.status_code == 404


async def test_media_the_config_cannot_show_is_refused(client, admin):
    project = (await client.post("/api/projects/", headers=admin.headers,
                                 json={"title": "img", "label_config": IMAGE_CONFIG})).json()
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          files=[("file", ("ok.png", io.BytesIO(PNG))), ("file", ("song.mp3", io.BytesIO(b"ID3")))])
    assert r.status_code == 400 and "song.mp3" in r.json()["detail"]
    assert (await client.get(f"/api/projects/{project['id']}/", headers=admin.headers)).json()["task_number"] == 0


async def test_html_and_xml_files_are_imported_inline(client, admin):
    project = (await client.post("/api/projects/", headers=admin.headers,
                                 json={"title": "html", "label_config": HTML_CONFIG})).json()
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          files=[("file", ("page.html", io.BytesIO(b"<p>Hello</p>"))),
                                 ("file", ("feed.xml", io.BytesIO(b"<item>News</item>")))])
    assert r.status_code == 201, r.text
    tasks = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"]
    assert [t["data"] for t in tasks] == [{"html": "<p>Hello</p>"}, {"html": "<item>News</item>"}]


async def test_an_object_without_a_control_still_takes_its_files(client, admin):
    """A player and no control (a listening task; labels may come later): the upload goes to it."""
    config = '<View><Header value="Listen"/><Audio name="a1" value="$audio"/></View>'
    project = (await client.post("/api/projects/", headers=admin.headers,
                                 json={"title": "players", "label_config": config})).json()
    r = await client.post(f"/api/projects/{project['id']}/import", headers=admin.headers,
                          files=[("file", ("call.wav", io.BytesIO(b"RIFF....WAVE"), "audio/wav"))])
    assert r.status_code == 201, r.text
    (task,) = (await client.get("/api/tasks", params={"project": project["id"]}, headers=admin.headers)).json()["tasks"]
    assert list(task["data"]) == ["audio"] and task["data"]["audio"].startswith("/data/upload/")

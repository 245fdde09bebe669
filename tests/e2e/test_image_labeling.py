"""Image labeling in Chromium: an uploaded PNG becomes a task; a box, a polygon, a key point, an
ellipse and a brush stroke are drawn with the mouse, edited and labelled; the submitted JSON is
compared with the Label Studio JSON the same actions produce (within rounding)."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
from PIL import Image, ImageDraw
from playwright.async_api import expect

from labelloom.plugins.image import rle
from labelloom.plugins.image.tags import SAMPLE_IMAGE
from tests.e2e.labeling import open_labeling

W, H = 800, 600
CONFIG = """<View>
  <Image name="img" value="$image" zoom="true" zoomControl="true" rotateControl="true" brightnessControl="true"/>
  <RectangleLabels name="box" toName="img"><Label value="Car" hotkey="1"/><Label value="Person" hotkey="2"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road" hotkey="3"/></PolygonLabels>
  <KeyPointLabels name="kp" toName="img"><Label value="Nose" hotkey="4"/></KeyPointLabels>
  <EllipseLabels name="ell" toName="img"><Label value="Wheel" hotkey="5"/></EllipseLabels>
  <BrushLabels name="mask" toName="img"><Label value="Sky" hotkey="6"/></BrushLabels>
</View>"""


def png_bytes() -> bytes:
    image = Image.new("RGB", (W, H), (205, 215, 225))
    draw = ImageDraw.Draw(image)
    draw.rectangle([80, 60, 320, 240], fill=(220, 80, 60))
    draw.ellipse([480, 300, 640, 420], fill=(60, 120, 200))
    draw.polygon([(100, 500), (400, 420), (700, 560)], fill=(90, 160, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def make_image_project(server: Any, admin: Any) -> tuple[dict[str, Any], int, str]:
    with httpx.Client(base_url=server.url, headers=admin.headers) as http:
        response = http.post("/api/projects/", json={"title": "Street scenes", "label_config": CONFIG})
        assert response.status_code == 201, response.text
        project = response.json()
        response = http.post(f"/api/projects/{project['id']}/import", files=[("file", ("street.png", png_bytes(), "image/png"))])
        assert response.status_code == 201, response.text
        (task,) = http.get("/api/tasks", params={"project": project["id"]}).json()["tasks"]
        url = task["data"]["image"]
        served = http.get(url)
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        return project, task["id"], url


async def image_ready(page: Any) -> None:
    """Wait for the shown image to be in: clicks and drags before that go nowhere."""
    await expect(page.locator(".li-stage")).to_have_attribute("aria-busy", "false")


async def stage_box(page: Any) -> dict[str, float]:
    box = await page.locator(".li-stage canvas").bounding_box()
    assert box
    return box


def at(box: dict[str, float], x: float, y: float, scale: float) -> tuple[float, float]:
    """Screen position of an image pixel (the image is fitted at the top-left)."""
    return box["x"] + x * scale, box["y"] + y * scale


async def drag(page: Any, a: tuple[float, float], b: tuple[float, float], steps: int = 8) -> None:
    await page.mouse.move(*a)
    await page.mouse.down()
    await page.mouse.move(*b, steps=steps)
    await page.mouse.up()



async def test_draw_every_region_type_and_submit(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id, url = make_image_project(server, signed_in)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await image_ready(page)
    stage = page.locator(".li-stage")
    await expect(stage).to_be_visible()
    await expect(page.locator(".li-status")).to_contain_text(f"{W}×{H}")
    box = await stage_box(page)
    scale = box["width"] / W
    assert abs(box["height"] - H * scale) < 2

    # Box: arm "Car" (hotkey 1 picks the box tool), drag.
    await page.keyboard.press("1")
    await expect(page.get_by_role("button", name="Rectangle")).to_have_attribute("aria-pressed", "true")
    await drag(page, at(box, 80, 60, scale), at(box, 320, 240, scale))
    # Polygon: arm "Road", click three points, close on the first.
    await page.keyboard.press("u")
    await page.keyboard.press("3")
    for x, y in [(100, 500), (400, 420), (700, 560)]:
        await page.mouse.click(*at(box, x, y, scale))
    await page.mouse.click(*at(box, 100, 500, scale))
    # Key point
    await page.keyboard.press("u")
    await page.keyboard.press("4")
    await page.mouse.click(*at(box, 200, 150, scale))
    # Ellipse from its centre
    await page.keyboard.press("u")
    await page.keyboard.press("5")
    await drag(page, at(box, 560, 360, scale), at(box, 640, 420, scale))
    # Brush stroke
    await page.keyboard.press("u")
    await page.keyboard.press("6")
    await drag(page, at(box, 450, 80, scale), at(box, 700, 80, scale), steps=12)
    await shot(page, "image-labeling-drawn")

    # Edit: select the box and nudge it right by 10 px (Shift+→), relabel it Person.
    await page.keyboard.press("v")
    await page.mouse.click(*at(box, 150, 100, scale))
    await page.keyboard.press("Shift+ArrowRight")
    await page.keyboard.press("2")
    await shot(page, "image-labeling-selected")
    await page.keyboard.press("Control+Enter")
    await expect(page.locator(".ll-blocker")).to_have_count(0)

    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        for _ in range(50):
            annotations = http.get(f"/api/tasks/{task_id}/annotations/").json()
            if annotations:
                break
            await page.wait_for_timeout(100)
    (annotation,) = annotations
    items = annotation["result"]
    by_type = {item["type"]: item for item in items}
    assert sorted(by_type) == ["brushlabels", "ellipselabels", "keypointlabels", "polygonlabels", "rectanglelabels"]
    common = {"to_name": "img", "origin": "manual", "original_width": W, "original_height": H, "image_rotation": 0}
    for item in items:
        assert re.fullmatch(r"[A-Za-z0-9_-]{4,}", item["id"])
        assert {k: item[k] for k in common} == common

    def near(value: dict[str, Any], expected: dict[str, Any], tol: float) -> None:
        assert list(value) == list(expected), (value, expected)
        for k, v in expected.items():
            if isinstance(v, (int, float)):
                assert abs(value[k] - v) <= tol, (k, value[k], v)
            elif k == "points":
                for p, q in zip(value[k], v, strict=True):
                    assert abs(p[0] - q[0]) <= tol and abs(p[1] - q[1]) <= tol, (p, q)
            else:
                assert value[k] == v, (k, value[k], v)

    tol = 0.6  # percent: one screen pixel at this scale is ~0.2 %
    rect = by_type["rectanglelabels"]
    assert rect["from_name"] == "box"
    near(rect["value"], {"x": 90 / W * 100, "y": 10.0, "width": 30.0, "height": 30.0, "rotation": 0, "rectanglelabels": ["Person"]}, tol)
    poly = by_type["polygonlabels"]
    assert poly["from_name"] == "poly"
    near(poly["value"], {"points": [[12.5, 83.333], [50.0, 70.0], [87.5, 93.333]], "closed": True, "polygonlabels": ["Road"]}, tol)
    kp = by_type["keypointlabels"]
    assert kp["from_name"] == "kp" and 0 < kp["value"]["width"] < 1
    near({k: v for k, v in kp["value"].items() if k != "width"}, {"x": 25.0, "y": 25.0, "keypointlabels": ["Nose"]}, tol)
    ell = by_type["ellipselabels"]
    near(ell["value"], {"x": 70.0, "y": 60.0, "radiusX": 10.0, "radiusY": 10.0, "rotation": 0, "ellipselabels": ["Wheel"]}, tol)
    brush = by_type["brushlabels"]
    assert list(brush["value"]) == ["format", "rle", "brushlabels"] and brush["value"]["brushlabels"] == ["Sky"]
    mask = rle.mask_from_rle(brush["value"]["rle"], W, H)
    painted = [i for i, v in enumerate(mask) if v]
    assert set(mask) == {0, 255}
    ys = {i // W for i in painted}
    xs = {i % W for i in painted}
    assert min(xs) <= 445 and max(xs) >= 700 and min(ys) >= 60 and max(ys) <= 100
    assert abs(sum(1 for i in painted if i // W == 80) - 260) < 25  # the stroke's centre row spans ~x 442..708


async def test_pan_zoom_keys_and_delete(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, _, _ = make_image_project(server, signed_in)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await image_ready(page)
    zoom = page.locator(".li-zoom")
    await expect(zoom).to_be_visible()
    before = await zoom.inner_text()
    await page.get_by_role("button", name="Zoom in").click()
    await expect(zoom).not_to_have_text(before)
    await page.keyboard.press("Shift+1")
    await expect(zoom).to_have_text(before)
    box = await stage_box(page)
    scale = box["width"] / W
    # Without a label, a *Labels tool explains what to do instead of drawing.
    await page.keyboard.press("r")
    await drag(page, at(box, 100, 100, scale), at(box, 200, 200, scale))
    await expect(page.locator(".li-hint")).to_contain_text("Pick a label first")
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("0 regions"))
    await page.keyboard.press("1")
    await drag(page, at(box, 100, 100, scale), at(box, 200, 200, scale))
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("1 region"))
    await page.keyboard.press("v")
    await page.mouse.click(*at(box, 150, 150, scale))
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("one selected"))
    await page.keyboard.press("Backspace")
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("0 regions"))
    await page.get_by_role("button", name="Rotate right").click()
    await shot(page, "image-labeling-rotated")


EDIT_CONFIG = """<View>
  <Image name="img" valueList="$pages" rotateControl="true"/>
  <Rectangle name="bbox" toName="img"/>
  <PolygonLabels name="poly" toName="img"><Label value="Road" hotkey="3"/></PolygonLabels>
  <Labels name="lab" toName="img"><Label value="Text" hotkey="1"/></Labels>
</View>"""


def data_uri() -> str:
    import base64

    return "data:image/png;base64," + base64.b64encode(png_bytes()).decode()



async def test_edit_resize_rotate_polygon_points_multi_image(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        project = http.post("/api/projects/", json={"title": "Pages", "label_config": EDIT_CONFIG}).json()
        # Values may be data: URIs and uploaded/served URLs alike.
        r = http.post(f"/api/projects/{project['id']}/import?return_task_ids=true", json=[{"pages": [data_uri(), data_uri()]}])
        assert r.status_code == 201, r.text
        (task_id,) = r.json()["task_ids"]
    await page.add_init_script("localStorage.setItem('labelloom.theme', 'dark')")
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await image_ready(page)
    await expect(page.locator(".li-pages")).to_contain_text("Image 1 of 2")
    box = await stage_box(page)
    scale = box["width"] / W

    # Plain Rectangle with the generic Labels armed: a rectangle item plus a labels item.
    await page.keyboard.press("1")
    await page.keyboard.press("r")
    await drag(page, at(box, 100, 100, scale), at(box, 300, 200, scale))
    await page.keyboard.press("v")
    await page.mouse.click(*at(box, 200, 150, scale))
    # Resize from the bottom-right handle, then rotate with the rotation handle (to 90°).
    await drag(page, at(box, 300, 200, scale), at(box, 400, 300, scale))
    centre = (250, 200)
    handle_y = 100 - 24 / scale  # the rotation handle sits 24 screen px above the top edge
    await drag(page, at(box, centre[0], handle_y, scale), at(box, centre[0] + 200, centre[1], scale), steps=12)
    await shot(page, "image-edit-rotated-dark")

    # Second image: a polygon, then drag a vertex, insert a point on an edge, delete one.
    await page.keyboard.press("Control+ArrowRight")
    await expect(page.locator(".li-pages")).to_contain_text("Image 2 of 2")
    await image_ready(page)
    await page.keyboard.press("3")
    for x, y in [(100, 100), (500, 100), (500, 400), (100, 400)]:
        await page.mouse.click(*at(box, x, y, scale))
    await page.keyboard.press("Enter")
    await page.keyboard.press("v")
    await page.mouse.click(*at(box, 300, 250, scale))
    await drag(page, at(box, 500, 400, scale), at(box, 600, 500, scale))
    await page.mouse.dblclick(*at(box, 300, 100, scale))
    await page.keyboard.down("Alt")
    await page.mouse.click(*at(box, 100, 400, scale))
    await page.keyboard.up("Alt")
    await shot(page, "image-edit-polygon-dark")
    await page.keyboard.press("Control+Enter")

    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        for _ in range(50):
            annotations = http.get(f"/api/tasks/{task_id}/annotations/").json()
            if annotations:
                break
            await page.wait_for_timeout(100)
    (annotation,) = annotations
    items = annotation["result"]
    rect = next(i for i in items if i["type"] == "rectangle")
    labels = next(i for i in items if i["type"] == "labels")
    poly = next(i for i in items if i["type"] == "polygonlabels")
    assert rect["id"] == labels["id"] and rect["item_index"] == 0 and poly["item_index"] == 1
    assert labels["value"]["labels"] == ["Text"]
    v = rect["value"]
    # Resized to 300x200 px, then turned 90° clockwise about its centre (250, 200): the stored
    # corner is the rotated top-left, (350, 50) px.
    assert abs(v["width"] - 37.5) < 0.6 and abs(v["height"] - 33.333) < 0.6
    assert abs(v["rotation"] - 90) < 0.01
    assert abs(v["x"] - 43.75) < 0.8 and abs(v["y"] - 8.333) < 0.8
    assert labels["value"]["rotation"] == v["rotation"] and labels["value"]["x"] == v["x"]
    points = poly["value"]["points"]
    expected = [[12.5, 16.667], [37.5, 16.667], [62.5, 16.667], [75.0, 83.333]]
    assert len(points) == 4, points
    for p, q in zip(points, expected):
        assert abs(p[0] - q[0]) < 0.6 and abs(p[1] - q[1]) < 0.6, (points, expected)


MOUNT = """
async ([config, data]) => {
  const { api } = await import("/static/core/app/api.js");
  const { mountLabeling } = await import("/static/core/labeling/runtime.js");
  window.__ll?.destroy();
  document.body.replaceChildren();
  const el = document.createElement("main");
  el.style.padding = "16px";
  document.body.append(el);
  window.__ll = await mountLabeling(el, { api, mode: "preview", labelConfig: config, task: data ? { data } : undefined });
}
"""


async def test_preview_of_a_template_and_loaded_regions(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    """The config editor's preview: the plugin's sample image (an SVG data: URI) and regions
    loaded into the store are drawn; a broken image URL says so instead of failing."""
    await page.goto(f"{server.url}/projects")
    # Let the projects page finish rendering before the body is replaced by the preview.
    await expect(page.get_by_role("heading", name="No projects yet")).to_be_visible()
    await page.wait_for_load_state("networkidle")
    config = CONFIG.replace('value="$image"', 'value="$image" crosshair="true" grid="true"')
    await page.evaluate(MOUNT, [config, {"image": SAMPLE_IMAGE}])
    await expect(page.locator(".li-status")).to_contain_text("640×480")
    await page.evaluate("""() => window.__ll.store.load([
      {id: "r1", from_name: "box", to_name: "img", type: "rectanglelabels", original_width: 640, original_height: 480, image_rotation: 0,
       value: {x: 10, y: 20, width: 30, height: 15, rotation: 30, rectanglelabels: ["Car"]}},
      {id: "r2", from_name: "ell", to_name: "img", type: "ellipselabels", original_width: 640, original_height: 480, image_rotation: 0,
       value: {x: 70, y: 60, radiusX: 10, radiusY: 5, rotation: 45, ellipselabels: ["Wheel"]}},
      {id: "r3", from_name: "kp", to_name: "img", type: "keypointlabels", original_width: 640, original_height: 480, image_rotation: 0,
       value: {x: 50, y: 50, width: 1, keypointlabels: ["Nose"]}}])""")
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("3 regions"))
    stage = page.locator(".li-stage")
    await stage.hover()
    await shot(page, "image-preview-template")
    await page.evaluate(MOUNT, [CONFIG, {"image": "/data/upload/1/missing.png"}])
    await expect(page.locator(".li-error")).to_contain_text("could not be loaded")
    await page.evaluate(MOUNT, ['<View><Pdf name="doc" value="$pdf"/></View>', {"pdf": "/static/core/missing.pdf"}])
    await expect(page.get_by_title("PDF document: doc")).to_have_attribute("src", "/static/core/missing.pdf")


async def test_brush_extend_and_erase(server: Any, page: Any, signed_in: Any, shot: Any) -> None:
    project, task_id, _ = make_image_project(server, signed_in)
    await open_labeling(page, f"{server.url}/projects/{project['id']}/label")
    await image_ready(page)
    await expect(page.locator(".li-status")).to_contain_text(f"{W}×{H}")
    box = await stage_box(page)
    scale = box["width"] / W
    await page.keyboard.press("6")
    await expect(page.get_by_role("button", name="Brush")).to_have_attribute("aria-pressed", "true")
    await page.keyboard.press("]")  # a bigger brush: 20 screen px
    await drag(page, at(box, 100, 300, scale), at(box, 500, 300, scale), steps=15)
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("1 region"))
    # The new mask is selected: a second stroke with the same label extends it.
    await drag(page, at(box, 300, 200, scale), at(box, 300, 400, scale), steps=10)
    await expect(page.locator(".li-stage")).to_have_attribute("aria-label", re.compile("1 region, one selected"))
    # Erase the left half of the first stroke.
    await page.keyboard.press("e")
    await drag(page, at(box, 60, 300, scale), at(box, 250, 300, scale), steps=12)
    await shot(page, "image-brush-erased")
    await page.keyboard.press("Control+Enter")
    with httpx.Client(base_url=server.url, headers=signed_in.headers) as http:
        for _ in range(50):
            annotations = http.get(f"/api/tasks/{task_id}/annotations/").json()
            if annotations:
                break
            await page.wait_for_timeout(100)
    (annotation,) = annotations
    (item,) = annotation["result"]
    assert item["type"] == "brushlabels" and item["value"]["brushlabels"] == ["Sky"]
    mask = rle.mask_from_rle(item["value"]["rle"], W, H)
    row = [mask[300 * W + x] for x in range(W)]
    assert not any(row[:240]), "erased part"
    assert all(row[320:480]), "kept part of the first stroke"
    column = [mask[y * W + 300] for y in range(H)]
    assert all(column[210:390]), "the second stroke extended the same mask"

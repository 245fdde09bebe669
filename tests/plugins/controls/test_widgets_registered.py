"""Every tag of the controls plugin that draws something names a widget module, `GET /api/plugins`
lists its URL, and the server serves the module (and the plugin's stylesheet) from there."""

from labelloom.plugins.controls.tags import CONTROL_TAGS, ITEM_TAGS, OBJECT_TAGS, VISUAL_TAGS

# Items (Choice, Label, Bucket, Panel ...) are drawn by their control, not by a widget of their own.
WIDGET_TAGS = sorted(spec.name for spec in (*CONTROL_TAGS, *VISUAL_TAGS, *OBJECT_TAGS))


def test_every_drawn_tag_names_a_widget_and_items_do_not():
    assert all(spec.widget for spec in (*CONTROL_TAGS, *VISUAL_TAGS, *OBJECT_TAGS))
    assert not any(spec.widget for spec in ITEM_TAGS)


async def test_widget_modules_are_listed_and_served(client, admin):
    response = await client.get("/api/plugins", headers=admin.headers)
    assert response.status_code == 200, response.text
    tags = response.json()["tags"]
    for tag in WIDGET_TAGS:
        entry = tags[tag]
        assert entry["plugin"] == "controls", tag
        module = entry["module"]
        assert module.startswith("/static/plugins/controls/widgets/") and ".js?v=" in module, (tag, module)
        served = await client.get(module)
        assert served.status_code == 200, (tag, module)
        assert "javascript" in served.headers["content-type"]
        assert "export default" in served.text, tag


async def test_stylesheet_and_logic_modules_are_served(client):
    css = await client.get("/static/plugins/controls/widgets/controls.css")
    assert css.status_code == 200 and ".llc-choices" in css.text
    logic = await client.get("/static/plugins/controls/lib/choices.js")
    assert logic.status_code == 200 and "export function resultValue" in logic.text

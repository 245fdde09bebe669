"""Project pages in the browser: list, create wizard (nothing created before Save), settings,
duplicate, delete."""

from __future__ import annotations

import re
from typing import Any

import httpx
from playwright.async_api import expect

TEXT_CONFIG = '<View><Text name="text" value="$text"/><Choices name="s" toName="text"><Choice value="Yes"/><Choice value="No"/></Choices></View>'


async def set_theme(page: Any, theme: str) -> None:
    await page.evaluate("t => { localStorage.setItem('labelloom.theme', t); document.documentElement.dataset.theme = t; }", theme)


async def both_themes(page: Any, shot: Any, name: str) -> None:
    await set_theme(page, "light")
    await shot(page, f"{name}-light")
    await set_theme(page, "dark")
    await shot(page, f"{name}-dark")
    await set_theme(page, "light")


def api(server: Any, admin: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(base_url=server.url, headers={"Authorization": f"Token {admin.token}"})


async def test_create_wizard_creates_nothing_before_save(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    await page.goto(server.url + "/projects")
    await expect(page.get_by_role("heading", name="No projects yet")).to_be_visible()
    await both_themes(page, shot, "projects-empty")
    await page.get_by_role("link", name="Create your first project").click()
    await expect(page).to_have_url(server.url + "/projects/new")

    # Save without a name is refused on the page.
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_role("alert")).to_have_text("Give the project a name.")
    await page.get_by_label("Project name").fill("Reviews")
    await page.get_by_label("Description").fill("Customer reviews, sentiment")
    await both_themes(page, shot, "wizard-name")
    await page.get_by_role("button", name="Data import").click()
    await expect(page.locator("ll-import-panel")).to_be_visible()
    await both_themes(page, shot, "wizard-import")
    await page.get_by_role("button", name="Labeling setup").click()
    await expect(page.locator("ll-labeling-setup")).to_be_visible()
    await both_themes(page, shot, "wizard-labeling")
    # Pick the first template of the gallery: its config is what Save sends.
    card = page.locator("ll-labeling-setup .ls-card").first
    template_name = await card.get_attribute("data-template")
    await card.click()
    await expect(page.locator("ll-labeling-setup .ls-card")).to_have_count(0)
    await both_themes(page, shot, "wizard-labeling-editor")

    async with api(server, signed_in) as http:
        assert (await http.get("/api/projects/")).json()["count"] == 0  # P5: nothing yet

    # Leaving asks first; staying keeps what was typed.
    await page.get_by_role("button", name="Cancel").click()
    dialog = page.get_by_role("dialog", name="Leave without saving?")
    await expect(dialog).to_be_visible()
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(page).to_have_url(server.url + "/projects/new")
    await page.get_by_role("button", name="Name & description").click()
    await expect(page.get_by_label("Project name")).to_have_value("Reviews")

    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/projects/\d+/data$"))
    async with api(server, signed_in) as http:
        listed = (await http.get("/api/projects/")).json()
    assert listed["count"] == 1
    project = listed["results"][0]
    assert project["title"] == "Reviews" and project["description"] == "Customer reviews, sentiment"
    assert page.url.endswith(f"/projects/{project['id']}/data")
    async with api(server, signed_in) as http:
        templates = (await http.get("/api/templates")).json()
    items = templates if isinstance(templates, list) else templates.get("templates", templates.get("results", []))
    chosen = next(t for t in items if t.get("name") == template_name)
    assert project["label_config"].strip() == chosen["config"].strip()
    assert project["label_config"] != "<View></View>"


async def test_projects_list_search_paging_duplicate_delete(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    async with api(server, signed_in) as http:
        for i in range(33):
            body = {"title": f"Batch {i:02d}", "description": f"Set number {i}", "color": "#51AAFD" if i % 3 == 0 else "#FFFFFF"}
            assert (await http.post("/api/projects/", json=body)).status_code == 201
        special = (await http.post("/api/projects/", json={"title": "Invoices", "label_config": TEXT_CONFIG,
                                                           "description": "Scanned invoices", "color": "#F52B4F"})).json()
        r = await http.post(f"/api/projects/{special['id']}/import", json=[{"text": "a"}, {"text": "b"}, {"text": "c"}])
        assert r.status_code == 201
        tasks = (await http.get(f"/api/tasks/?project={special['id']}")).json()["tasks"]
        await http.post(f"/api/tasks/{tasks[0]['id']}/annotations/", json={"result": [
            {"from_name": "s", "to_name": "text", "type": "choices", "value": {"choices": ["Yes"]}}]})

    await page.goto(server.url + "/projects")
    cards = page.locator(".project-card")
    await expect(cards).to_have_count(30)
    first = cards.first
    await expect(first).to_contain_text("Invoices")
    await expect(first).to_contain_text("1 / 3 tasks done")
    await expect(first.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "33")
    await both_themes(page, shot, "projects-cards")
    await expect(page.get_by_text("1–30 of 34")).to_be_visible()
    await page.get_by_role("button", name="Next").click()
    await expect(cards).to_have_count(4)
    await expect(page).to_have_url(re.compile(r"page=2"))

    # "/" focuses the search; the server filters by title.
    await page.locator("body").press("/")
    await expect(page.get_by_label("Search projects by title")).to_be_focused()
    await page.keyboard.type("invo")
    await expect(cards).to_have_count(1)
    await expect(page).to_have_url(re.compile(r"q=invo"))
    await page.get_by_label("Search projects by title").fill("nothing like this")
    await expect(page.get_by_role("heading", name="No project matches “nothing like this”")).to_be_visible()
    await page.get_by_role("button", name="Clear search").click()
    await expect(cards).to_have_count(30)

    await page.get_by_label("Sort projects").select_option("title")
    await expect(cards.first).to_contain_text("Batch 00")
    await page.get_by_role("button", name="List").click()
    await expect(page.get_by_role("table", name="Projects")).to_be_visible()
    await both_themes(page, shot, "projects-list")
    await page.get_by_role("button", name="Cards").click()

    # Duplicate from the … menu.
    await page.get_by_label("Search projects by title").fill("Invoices")
    await expect(cards).to_have_count(1)
    await page.get_by_label("Actions for Invoices").click()
    await page.get_by_role("menuitem", name="Duplicate").click()
    dialog = page.get_by_role("dialog")
    await expect(dialog.get_by_label("Title of the copy")).to_have_value("Invoices (copy)")
    await dialog.get_by_label("Settings and tasks").check()
    await shot(page, "projects-duplicate-light")
    await dialog.get_by_role("button", name="Duplicate").click()
    await expect(cards).to_have_count(2)
    copy_card = cards.filter(has_text="Invoices (copy)")
    await expect(copy_card).to_contain_text("0 / 3 tasks done")

    # Delete, with a confirmation first (Cancel keeps it).
    await page.get_by_label("Actions for Invoices (copy)").click()
    await page.get_by_role("menuitem", name="Delete").click()
    await expect(page.get_by_role("dialog")).to_contain_text("3 tasks")
    await page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
    await expect(cards).to_have_count(2)
    await page.get_by_label("Actions for Invoices (copy)").click()
    await page.get_by_role("menuitem", name="Delete").click()
    await page.get_by_role("dialog").get_by_role("button", name="Delete project").click()
    await expect(cards).to_have_count(1)
    async with api(server, signed_in) as http:
        titles = [p["title"] for p in (await http.get("/api/projects/?title=Invoices")).json()["results"]]
    assert titles == ["Invoices"]

    # Pin a project: it moves to a "Pinned" block on top and leaves the main list.
    await page.get_by_label("Search projects by title").fill("")
    await expect(cards).to_have_count(30)
    await page.get_by_label("Actions for Batch 05").click()
    await page.get_by_role("menuitem", name="Pin to top").click()
    pinned = page.get_by_role("list", name="Pinned projects")
    await expect(pinned.locator(".project-card")).to_have_count(1)
    await expect(pinned).to_contain_text("Batch 05")
    main_list = page.get_by_role("list", name="Projects", exact=True)
    await expect(main_list.locator(".project-card")).to_have_count(30)
    await expect(main_list.locator(".project-card", has_text="Batch 05")).to_have_count(0)
    await both_themes(page, shot, "projects-pinned")
    async with api(server, signed_in) as http:
        found = (await http.get("/api/projects/?filter=pinned_only")).json()["results"]
    assert [p["title"] for p in found] == ["Batch 05"] and found[0]["pinned_at"]


async def test_settings_persist_and_warn_before_leaving(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    async with api(server, signed_in) as http:
        project = (await http.post("/api/projects/", json={"title": "Cats", "label_config": TEXT_CONFIG})).json()
    pid = project["id"]
    base = f"{server.url}/projects/{pid}/settings"

    await page.goto(base + "/general")
    await expect(page.get_by_label("Project name")).to_have_value("Cats")
    await page.get_by_label("Project name").fill("Cats and dogs")
    await page.get_by_label("Green").check()
    await page.get_by_text("Uncertainty", exact=True).click()
    await expect(page.get_by_text("Unsaved changes")).to_be_visible()
    await both_themes(page, shot, "settings-general")
    # Another section: asked first; staying keeps the edits.
    await page.get_by_role("link", name="Annotation").click()
    dialog = page.get_by_role("dialog", name="Leave without saving?")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(page).to_have_url(base + "/general")
    await expect(page.get_by_label("Project name")).to_have_value("Cats and dogs")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_text("All changes saved")).to_be_visible()
    await expect(page.get_by_role("navigation", name="Breadcrumb")).to_contain_text("Cats and dogs")

    await page.get_by_role("link", name="Annotation").click()
    await expect(page).to_have_url(base + "/annotation")
    await page.get_by_label("Annotations per task").fill("0")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_text("A whole number, 1 or more.")).to_be_visible()
    await page.get_by_label("Annotations per task").fill("3")
    await page.get_by_label("Allow skipping tasks").uncheck()
    await page.get_by_label("Skipped tasks").select_option("IGNORE_SKIPPED")
    await page.get_by_label("Show annotation history").check()
    await both_themes(page, shot, "settings-annotation")
    await page.keyboard.press("Control+s")
    await expect(page.get_by_text("All changes saved")).to_be_visible()

    await page.get_by_role("link", name="Instructions").click()
    await page.get_by_label("Instructions for annotators").fill("<h3>Rules</h3><p>Label <b>every</b> cat.</p>")
    await expect(page.frame_locator("iframe[title='Instructions preview']").get_by_role("heading", name="Rules")).to_be_visible()
    await page.get_by_label("Show the instructions before labeling").check()
    await shot(page, "settings-instructions-light")
    await set_theme(page, "dark")  # the preview follows the theme
    preview = page.frame_locator("iframe[title='Instructions preview']").locator("body")
    await expect(preview).to_have_css("background-color", "rgb(35, 38, 47)")
    await shot(page, "settings-instructions-dark")
    await set_theme(page, "light")
    await page.get_by_role("button", name="Save", exact=True).click()
    await expect(page.get_by_text("All changes saved")).to_be_visible()

    await page.reload()
    await expect(page.get_by_label("Instructions for annotators")).to_have_value("<h3>Rules</h3><p>Label <b>every</b> cat.</p>")
    async with api(server, signed_in) as http:
        saved = (await http.get(f"/api/projects/{pid}")).json()
    assert saved["title"] == "Cats and dogs" and saved["color"] == "#9ACA4F" and saved["sampling"] == "Uncertainty sampling"
    assert saved["maximum_annotations"] == 3 and saved["show_skip_button"] is False
    assert saved["skip_queue"] == "IGNORE_SKIPPED" and saved["show_annotation_history"] is True
    assert saved["show_instruction"] is True and "every" in saved["expert_instruction"]

    await page.get_by_role("link", name="Labeling interface").click()
    await expect(page.locator("ll-labeling-setup, #set-config").first).to_be_visible()
    await both_themes(page, shot, "settings-labeling")


async def test_labeling_config_change_that_orphans_labels_is_not_saved_when_cancelled(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    async with api(server, signed_in) as http:
        project = (await http.post("/api/projects/", json={"title": "Live", "label_config": TEXT_CONFIG})).json()
        await http.post(f"/api/projects/{project['id']}/import", json=[{"text": "a"}])
        task = (await http.get(f"/api/tasks/?project={project['id']}")).json()["tasks"][0]
        await http.post(f"/api/tasks/{task['id']}/annotations/", json={"result": [
            {"from_name": "s", "to_name": "text", "type": "choices", "value": {"choices": ["Yes"]}}]})
    await page.goto(f"{server.url}/projects/{project['id']}/settings/labeling")
    await expect(page.locator("ll-labeling-setup, #set-config").first).to_be_visible()
    # Save a config without the "Yes" choice, through whichever editor is present.
    reduced = TEXT_CONFIG.replace('<Choice value="Yes"/>', "")
    await page.evaluate(
        """config => {
          const setup = document.querySelector('ll-labeling-setup');
          if (setup) { setup.dispatchEvent(new CustomEvent('config-change', {detail: {config, valid: true}, bubbles: true})); return; }
          const area = document.querySelector('#set-config');
          area.value = config; area.dispatchEvent(new Event('input', {bubbles: true}));
        }""",
        reduced,
    )
    await page.get_by_role("button", name="Save", exact=True).click()
    # A label that results use asks what it became (label changes); cancelling saves nothing.
    dialog = page.get_by_role("dialog")
    await expect(dialog).to_contain_text("Yes")
    await dialog.get_by_role("button", name="Cancel").click()
    await expect(page.locator(".server-error")).to_contain_text("Not saved: existing results use labels")
    # The banner's text starts at its padding (no blank line from the markup's whitespace).
    gap = await page.locator(".server-error").evaluate(
        "el => el.querySelector('strong').getBoundingClientRect().top - el.getBoundingClientRect().top")
    assert gap < 20, gap
    await both_themes(page, shot, "settings-config-refused")
    async with api(server, signed_in) as http:
        assert (await http.get(f"/api/projects/{project['id']}")).json()["label_config"] == TEXT_CONFIG


async def test_danger_zone_delete_needs_the_name(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    async with api(server, signed_in) as http:
        project = (await http.post("/api/projects/", json={"title": "Old stuff"})).json()
        view = await http.post("/api/dm/views/", json={"project": project["id"], "data": {"title": "Mine"}})
        assert view.status_code == 201
    await page.goto(f"{server.url}/projects/{project['id']}/settings/danger")
    await both_themes(page, shot, "settings-danger")
    await page.get_by_role("button", name="Drop all tabs").click()
    await page.get_by_role("dialog").get_by_role("button", name="Drop all tabs").click()
    await expect(page.get_by_text("All tabs dropped")).to_be_visible()
    async with api(server, signed_in) as http:
        assert (await http.get(f"/api/dm/views/?project={project['id']}")).json() == []

    await page.get_by_role("button", name="Delete project…").click()
    dialog = page.get_by_role("dialog")
    confirm = dialog.get_by_role("button", name="Delete project")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label("Type Old stuff to confirm").fill("Old")
    await expect(confirm).to_be_disabled()
    await dialog.get_by_label("Type Old stuff to confirm").fill("Old stuff")
    await shot(page, "settings-delete-light")
    await confirm.click()
    await expect(page).to_have_url(server.url + "/projects")
    async with api(server, signed_in) as http:
        assert (await http.get(f"/api/projects/{project['id']}")).status_code == 404


async def test_wizard_imports_pasted_tasks_after_creating(server: Any, signed_in: Any, page: Any) -> None:
    await page.goto(server.url + "/projects/new")
    await page.get_by_label("Project name").fill("Pasted")
    await page.get_by_role("button", name="Data import").click()
    await page.get_by_label("Or paste tasks").fill('[{"text": "one", "lang": "en"}, {"text": "two", "lang": "de"}]')
    await page.get_by_role("button", name="Add pasted data").click()
    # The labeling setup is offered the columns of the queued data, read in the browser.
    await page.get_by_role("button", name="Labeling setup").click()
    setup = page.locator("ll-labeling-setup")
    await expect(setup).to_be_visible()
    assert await setup.evaluate("el => el.dataColumns") == ["text", "lang"]
    # A template that fits previews the first queued task, not the template's sample.
    await setup.get_by_role("button", name=re.compile("^Fits your data")).click()
    await setup.locator(".ls-card").first.click()
    await expect(setup.locator(".ls-preview-head")).to_contain_text("with your data")
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("one")
    async with api(server, signed_in) as http:
        assert (await http.get("/api/projects/")).json()["count"] == 0
    await page.keyboard.press("Control+s")  # saves from any step
    await expect(page).to_have_url(re.compile(r"/projects/\d+/data$"))
    async with api(server, signed_in) as http:
        listed = (await http.get("/api/projects/")).json()
        assert listed["count"] == 1 and listed["results"][0]["task_number"] == 2
        tasks = (await http.get(f"/api/tasks/?project={listed['results'][0]['id']}")).json()["tasks"]
        assert sorted(t["data"]["lang"] for t in tasks) == ["de", "en"]


def png_1px() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00\xff")) + chunk(b"IEND", b""))


async def test_wizard_uploaded_images_fit_templates_and_formats_match_the_dialog(server: Any, signed_in: Any, page: Any, shot: Any) -> None:
    """Issue 15: uploaded images get "Fits your data" templates and preview the first image;
    the wizard lists the same accepted formats as the Import dialog."""
    await page.goto(server.url + "/projects/new")
    await page.get_by_label("Project name").fill("Photos")
    await page.get_by_role("button", name="Data import").click()
    await expect(page.locator("ll-import-panel .ip-formats")).to_contain_text(".webm")  # the catalogue's list arrived
    wizard_formats = await page.locator("ll-import-panel .ip-formats").inner_text()
    await page.get_by_label("Choose files to import").set_input_files(
        files=[{"name": "cat.png", "mimeType": "image/png", "buffer": png_1px()}])
    await expect(page.locator("ll-import-panel").get_by_text("cat.png")).to_be_visible()
    await page.get_by_role("button", name="Labeling setup").click()
    setup = page.locator("ll-labeling-setup")
    fits = setup.get_by_role("button", name=re.compile("^Fits your data"))
    await expect(fits).to_be_visible()
    await fits.click()
    cards = setup.locator(".ls-card")
    assert await cards.count() > 0
    await both_themes(page, shot, "wizard-fits-images")
    await cards.first.click()
    await expect(setup.locator(".ls-preview-head")).to_contain_text("with your data")
    # The image shown is the 1×1 file just queued (the image widget states the picture's size).
    await expect(setup.locator(".ls-preview-stage")).to_contain_text("1×1")
    await both_themes(page, shot, "wizard-preview-uploaded-image")
    # The Import dialog of a project shows the same list.
    async with api(server, signed_in) as http:
        project = (await http.post("/api/projects/", json={"title": "Other", "label_config": TEXT_CONFIG})).json()
    other = await page.context.new_page()
    await other.goto(f"{server.url}/projects/{project['id']}/data")
    await other.get_by_role("button", name="Import", exact=True).first.click()
    dialog = other.get_by_role("dialog", name="Import data")
    await expect(dialog.locator(".ip-formats")).to_contain_text(wizard_formats.split()[-1])
    assert (await dialog.locator(".ip-formats").inner_text()).split() == wizard_formats.split()
    await other.close()

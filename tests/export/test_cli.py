"""``labelloom export`` / ``labelloom import``: a round trip through a file."""

import asyncio
import json

from labelloom.core.cli import main

from .conftest import CONFIG
from .helpers import export


async def run(capsys, *argv):
    code = await asyncio.to_thread(main, list(argv))
    return code, capsys.readouterr()


async def test_export_import_round_trip(client, admin, project, data_dir, database_url, tmp_path, capsys):
    common = ("--data-dir", data_dir, "--database-url", database_url)
    target = tmp_path / "tasks.json"
    code, out = await run(capsys, "export", str(project["id"]), "--format", "JSON", "-o", str(target), *common)
    assert code == 0, out.err
    assert "exported 3 tasks" in out.out
    exported = json.loads(target.read_text())
    assert exported == (await export(client, admin, project["id"], "JSON", download_all_tasks="true")).json()

    response = await client.post("/api/projects/", headers=admin.headers, json={"title": "Copy", "label_config": CONFIG})
    copy_id = response.json()["id"]
    code, out = await run(capsys, "import", str(copy_id), str(target), *common)
    assert code == 0, out.err
    assert "imported 3 tasks, 2 annotations, 1 predictions" in out.out
    copied = (await export(client, admin, copy_id, "JSON", download_all_tasks="true")).json()
    assert [t["data"] for t in copied] == [t["data"] for t in exported]
    assert [[a["result"] for a in t["annotations"]] for t in copied] == [[a["result"] for a in t["annotations"]] for t in exported]
    assert [[p["result"] for p in t["predictions"]] for t in copied] == [[p["result"] for p in t["predictions"]] for t in exported]

    csv_file = tmp_path / "rows.csv"
    code, out = await run(capsys, "export", str(copy_id), "--format", "CSV", "--only-annotated", "-o", str(csv_file), *common)
    assert code == 0 and csv_file.read_text().count("\n") == 2  # header + the one submitted annotation

    code, out = await run(capsys, "export", "999999", *common)
    assert code == 1 and "not found" in out.err
    code, out = await run(capsys, "export", str(copy_id), "--format", "NOPE", *common)
    assert code == 1 and "NOPE" in out.err

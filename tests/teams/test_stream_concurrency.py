"""20 annotators at once through the label stream of a manually assigned project: every task is
assigned to two of them, yet none is served to two people and every task is labeled once."""

from __future__ import annotations

import asyncio
from collections import Counter

from .conftest import make_member


async def test_twenty_annotators_never_share_a_task(client, admin, project, people):
    pid = project["id"]
    ids = (await client.post(f"/api/projects/{pid}/import?return_task_ids=true", headers=admin.headers,
                             json=[{"text": f"t{i}"} for i in range(60)])).json()["task_ids"]
    annotators = [await make_member(client, admin, f"a{i}@example.com", "AN") for i in range(20)]
    await client.patch(f"/api/projects/{pid}/assignment-settings", headers=admin.headers,
                       json={"label_stream_task_distribution": "assigned_only"})
    # Two overlapping spreads: task n goes to annotators n mod 20 and (n + 7) mod 20.
    first = [a.id for a in annotators]
    second = first[7:] + first[:7]
    run = await client.post(f"/api/dm/actions?id=distribute_annotators&project={pid}", headers=admin.headers,
                            json={"selectedItems": {"all": True}, "users": first})
    assert run.status_code == 200 and run.json()["processed_items"] == 60, run.text
    for n, task_id in enumerate(ids):  # the second annotator of each task
        added = await client.post(f"/api/projects/{pid}/tasks/{task_id}/assignees/", headers=admin.headers,
                                  json={"type": "AN", "users": [second[n % 20]]})
        assert added.status_code == 201

    served: dict[int, list[int]] = {a.id: [] for a in annotators}

    async def work(annotator):
        while True:
            response = await client.get(f"/api/projects/{pid}/next", headers=annotator.headers)
            if response.status_code == 404:
                return
            assert response.status_code == 200, response.text
            task_id = response.json()["id"]
            served[annotator.id].append(task_id)
            done = await client.post(f"/api/tasks/{task_id}/annotations/", headers=annotator.headers, json={"result": []})
            assert done.status_code == 201, done.text

    await asyncio.gather(*(work(a) for a in annotators))
    counts = Counter(task for tasks in served.values() for task in tasks)
    assert sorted(counts) == sorted(ids), "every task was labeled"
    assert max(counts.values()) == 1, f"served twice: {[t for t, c in counts.items() if c > 1]}"
    mine = {a.id: set() for a in annotators}
    for n, task_id in enumerate(ids):
        mine[first[n % 20]].add(task_id)
        mine[second[n % 20]].add(task_id)
    for annotator_id, tasks in served.items():
        assert set(tasks) <= mine[annotator_id], "only assigned tasks are served"
    totals = (await client.get(f"/api/projects/{pid}", headers=admin.headers)).json()
    assert totals["num_tasks_with_annotations"] == 60 and totals["total_annotations_number"] == 60

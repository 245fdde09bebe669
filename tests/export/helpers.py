"""Shared helpers of the export tests."""


async def export(client, admin, project_id, export_type, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    response = await client.get(f"/api/projects/{project_id}/export?exportType={export_type}&{query}",
                                headers=admin.headers)
    assert response.status_code == 200, response.text
    return response


def times(task_json):
    """The database-set timestamps of the exported tasks' first annotations, by task id."""
    return {t["id"]: t["annotations"][0] if t["annotations"] else None for t in task_json}

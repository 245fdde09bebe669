"""label-studio-sdk 2.1's ML calls, unchanged, against a live Labelloom and label-studio-ml."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from label_studio_sdk import LabelStudio

from labelloom.core.testing import LiveServer

from .conftest import CONFIG, TEXTS


@pytest.fixture
def live(make_app: Any) -> Iterator[LiveServer]:
    with LiveServer(make_app(allow_private_urls=True)) as server:
        yield server


def test_sdk_ml_calls(live: LiveServer, model_server: Any) -> None:
    admin = live.sign_up_admin()
    ls = LabelStudio(base_url=live.url, api_key=admin.token)
    project = ls.projects.create(title="SDK ML", label_config=CONFIG)
    ls.projects.import_tasks(id=project.id, request=[{"text": t} for t in TEXTS])
    task_ids = sorted(t.id for t in ls.tasks.list(project=project.id))

    backend = ls.ml.create(url=model_server.url, project=project.id, title="tiny", is_interactive=True)
    assert backend.id and backend.state == "CO" and backend.model_version
    assert [b.id for b in ls.ml.list(project=project.id)] == [backend.id]
    assert ls.ml.get(id=backend.id).url == model_server.url

    updated = ls.ml.update(id=backend.id, title="tiny v2", auth_method="BASIC_AUTH", basic_auth_user="u", basic_auth_pass="p")
    assert updated.title == "tiny v2" and updated.basic_auth_pass_is_set is True

    context = {"result": [{"from_name": "ner", "to_name": "text", "type": "labels",
                           "value": {"start": 0, "end": 4, "text": "Acme", "labels": ["ORG"]}}]}
    ls.ml.predict_interactive(id=backend.id, task=task_ids[4], context=context)  # the SDK drops the body
    raw = ls.ml.with_raw_response.predict_interactive(id=backend.id, task=task_ids[4], context=context)
    assert raw.data is None  # 2xx: the SDK returns nothing

    ls.ml.train(id=backend.id, use_ground_truth=False)
    model_server.wait_for_event("START_TRAINING")

    versions = ls.ml.list_model_versions(id=backend.id)
    assert backend.model_version in versions.versions

    ls.ml.delete(id=backend.id)
    assert list(ls.ml.list(project=project.id)) == []

"""Records (what the JSON writers get with ``raw_json``) read and assign like the dicts they
replace, and encode as they would."""

import msgspec
import pytest

from labelloom.core.export.records import AnnotationRecord, TaskRecord


def _task() -> TaskRecord:
    annotation = AnnotationRecord(7, msgspec.Raw(b'[{"a":1}]'), 1, 2, 3, None, 3, False, True, 1.5,
                                  "2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000001Z", None, None, None, None, None, False)
    return TaskRecord(1, msgspec.Raw(b'{"text":"x"}'), [annotation], [], [], {}, "t", "u", 1, 1, 0, 0, 0, 0, None, 2,
                      None, None, [])


def test_a_record_reads_and_assigns_like_a_dict():
    task = _task()
    assert task["id"] == 1 and task.get("meta") == {} and task.get("nope", 5) == 5
    assert "annotations" in task and "history" not in task
    assert list(task.keys())[:3] == ["id", "data", "annotations"]
    task["annotations"][0]["result"] = [{"b": 2}]
    assert task.annotations[0].result == [{"b": 2}]
    with pytest.raises(KeyError):
        task["nope"]


def test_a_record_encodes_as_the_dict_of_its_fields():
    task = _task()
    as_dict = {name: getattr(task, name) for name in task.keys()}
    as_dict["annotations"] = [{name: getattr(a, name) for name in a.keys()} for a in task.annotations]
    assert msgspec.json.encode(task) == msgspec.json.encode(as_dict)
    assert msgspec.json.decode(msgspec.json.encode(task))["annotations"][0]["result"] == [{"a": 1}]

"""Changing a config must not orphan existing results: what is in use, what a new config removes."""

from __future__ import annotations

from labelloom.core.labelconfig import UsedLabels, parse_config, removed_in_use, used_in_results

from .test_results import EXAMPLE_12_1, EXAMPLE_12_3, EXAMPLE_VIDEO, VIDEO
from .valid_configs import VALID


def test_used_in_results_accumulates():
    used = used_in_results(EXAMPLE_12_1)
    used_in_results(EXAMPLE_12_3, into=used)
    used.add("not a list").add([None, {"type": "relation"}])
    assert used.controls["box"].labels == {"Car", "Person"}
    assert used.controls["box"].count == 2 and used.controls["box"].to_names == {"img"}
    assert used.controls["topic"].labels == {"Sports", "Football", "Politics"}
    assert used.controls["summary"].labels == set()  # free text is not a label
    assert "relation" not in used.controls


def test_json_round_trip_and_merge():
    used = used_in_results(EXAMPLE_12_1)
    again = UsedLabels.from_json(used.to_json())
    assert again.to_json() == used.to_json()
    merged = UsedLabels().merge(used).merge(again)
    assert merged.controls["box"].count == 4


def test_same_config_removes_nothing(registries):
    parsed = parse_config(VALID["worked-example-12-1"], registries)
    assert removed_in_use(parsed, used_in_results(EXAMPLE_12_1)) == []


def test_adding_labels_and_controls_is_fine(registries):
    xml = VALID["worked-example-12-1"].replace('<Label value="Person"/>', '<Label value="Person"/><Label value="Bus"/>')
    xml = xml.replace("</View>", '<TextArea name="note" toName="img"/></View>')
    assert removed_in_use(parse_config(xml, registries), used_in_results(EXAMPLE_12_1)) == []


def test_removed_label_control_and_object_are_named(registries):
    xml = (
        '<View><Image name="photo" value="$image"/>'
        '<RectangleLabels name="box" toName="photo"><Label value="Car"/></RectangleLabels>'
        '<Rating name="occluded" toName="photo"/></View>'
    )
    used = used_in_results(EXAMPLE_12_1)
    used.add(EXAMPLE_12_3)
    problems = removed_in_use(parse_config(xml, registries), used)
    assert problems == [
        'object "img" used by results of <RectangleLabels name="box"> is not among its targets any more',
        'label "Person" of <RectangleLabels name="box"> is used by existing results',
        '<Rating name="occluded"> no longer writes "choices" results, which existing results have',
        'object "img" used by results of <Rating name="occluded"> is not among its targets any more',
        'control "score" is used by 1 result(s) but is not in the new config',
        'control "sentiment" is used by 1 result(s) but is not in the new config',
        'control "stars" is used by 1 result(s) but is not in the new config',
        'control "summary" is used by 1 result(s) but is not in the new config',
        'control "topic" is used by 1 result(s) but is not in the new config',
        'control "when" is used by 1 result(s) but is not in the new config',
    ]


def test_taxonomy_and_video_labels_are_checked(registries):
    xml = VALID["worked-example-12-3"].replace('<Choice value="Football"/>', "")
    problems = removed_in_use(parse_config(xml, registries), used_in_results(EXAMPLE_12_3))
    assert problems == ['label "Football" of <Taxonomy name="topic"> is used by existing results']
    renamed = VIDEO.replace('value="Car"', 'value="Truck"')
    assert removed_in_use(parse_config(renamed, registries), used_in_results([EXAMPLE_VIDEO])) == [
        'label "Car" of <VideoRectangle name="box"> is used by existing results'
    ]


def test_dynamic_labels_are_never_orphaned(registries):
    used = used_in_results([{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["Anything"]}}])
    assert removed_in_use(parse_config(VALID["choices-dynamic"], registries), used) == []


def test_repeater_names_match_templates(registries):
    used = used_in_results([{"from_name": "box_2", "to_name": "img_2", "type": "rectanglelabels",
                             "value": {"rectanglelabels": ["Car"]}}])
    assert removed_in_use(parse_config(VALID["repeater"], registries), used) == []

"""Result validation per result type, from the worked examples of Label Studio's formats."""

from __future__ import annotations

import copy

import pytest

from labelloom.core.errors import ValidationFailed
from labelloom.core.labelconfig import parse_config, validate_results

from .valid_configs import VALID


def check(registries, xml, results, **kwargs):
    parsed = parse_config(xml, registries)
    return validate_results(parsed, copy.deepcopy(results), registries, **kwargs)


def refused(registries, xml, results, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        check(registries, xml, results, **kwargs)
    return caught.value.validation_errors


# -- worked examples (reference §12) --------------------------------------------------------------

EXAMPLE_12_1 = [
    {"id": "a1B2c3D4e5", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "origin": "manual",
     "original_width": 1920, "original_height": 1080, "image_rotation": 0,
     "value": {"x": 10.0, "y": 20.0, "width": 15.5, "height": 12.25, "rotation": 0, "rectanglelabels": ["Car"]}},
    {"id": "a1B2c3D4e5", "from_name": "occluded", "to_name": "img", "type": "choices", "origin": "manual",
     "original_width": 1920, "original_height": 1080, "image_rotation": 0,
     "value": {"x": 10.0, "y": 20.0, "width": 15.5, "height": 12.25, "rotation": 0, "choices": ["no"]}},
    {"id": "Zz9Yy8Xx7w", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "origin": "manual",
     "original_width": 1920, "original_height": 1080, "image_rotation": 0,
     "value": {"x": 5.0, "y": 25.0, "width": 4.0, "height": 18.0, "rotation": 0, "rectanglelabels": ["Person"]}},
    {"from_id": "Zz9Yy8Xx7w", "to_id": "a1B2c3D4e5", "type": "relation", "direction": "right", "labels": ["drives"]},
]


def test_12_1_image_detection_with_attribute_and_relation(registries):
    assert check(registries, VALID["worked-example-12-1"], EXAMPLE_12_1) == EXAMPLE_12_1


def test_12_2_ner_on_text(registries):
    xml = '<View><Labels name="ner" toName="txt"><Label value="PER"/><Label value="LOC"/></Labels><Text name="txt" value="$text"/></View>'
    results = [
        {"id": "r1", "from_name": "ner", "to_name": "txt", "type": "labels",
         "value": {"start": 0, "end": 4, "text": "Anna", "labels": ["PER"]}},
        {"id": "r2", "from_name": "ner", "to_name": "txt", "type": "labels",
         "value": {"start": 14, "end": 19, "text": "Paris", "labels": ["LOC"]}},
    ]
    assert check(registries, xml, results) == results


EXAMPLE_12_3 = [
    {"id": "c1", "from_name": "sentiment", "to_name": "txt", "type": "choices", "value": {"choices": ["Positive"]}},
    {"id": "c2", "from_name": "stars", "to_name": "txt", "type": "rating", "value": {"rating": 4}},
    {"id": "c3", "from_name": "summary", "to_name": "txt", "type": "textarea", "value": {"text": ["short summary"]}},
    {"id": "c4", "from_name": "topic", "to_name": "txt", "type": "taxonomy",
     "value": {"taxonomy": [["Sports", "Football"], ["Politics"]]}},
    {"id": "c5", "from_name": "score", "to_name": "txt", "type": "number", "value": {"number": 7}},
    {"id": "c6", "from_name": "when", "to_name": "txt", "type": "datetime", "value": {"datetime": "2024-05-01"}},
]


def test_12_3_classification_rating_transcription_taxonomy(registries):
    out = check(registries, VALID["worked-example-12-3"], EXAMPLE_12_3)
    assert out == EXAMPLE_12_3
    assert isinstance(out[4]["value"]["number"], int)  # integers stay integers


def test_12_4_audio_segment(registries):
    xml = '<View><Labels name="speaker" toName="audio"><Label value="Alice"/></Labels><Audio name="audio" value="$a"/></View>'
    item = {"id": "au1", "from_name": "speaker", "to_name": "audio", "type": "labels", "original_length": 61.2,
            "value": {"start": 3.52, "end": 7.01, "channel": 0, "labels": ["Alice"]}}
    assert check(registries, xml, [item]) == [item]


def test_12_4_time_series_range_with_formatted_times(registries):
    xml = ('<View><TimeSeriesLabels name="evt" toName="ts"><Label value="Spike"/></TimeSeriesLabels>'
           '<TimeSeries name="ts" value="$csv" timeFormat="%Y-%m-%d %H:%M:%S"><Channel column="v"/></TimeSeries></View>')
    item = {"id": "ts1", "from_name": "evt", "to_name": "ts", "type": "timeserieslabels",
            "value": {"start": "2024-01-01 00:00:10", "end": "2024-01-01 00:00:42", "instant": False,
                      "timeserieslabels": ["Spike"]}}
    assert check(registries, xml, [item]) == [item]


EXAMPLE_VIDEO = {
    "id": "v1", "from_name": "box", "to_name": "video", "type": "videorectangle",
    "value": {"framesCount": 750, "duration": 30.0, "labels": ["Car"], "sequence": [
        {"frame": 1, "enabled": True, "rotation": 0, "x": 10, "y": 10, "width": 20, "height": 15, "time": 0.04},
        {"frame": 40, "enabled": False, "rotation": 0, "x": 30, "y": 12, "width": 20, "height": 15, "time": 1.6}]},
}
VIDEO = ('<View><Video name="video" value="$video"/><VideoRectangle name="box" toName="video"/>'
         '<Labels name="vl" toName="video"><Label value="Car"/></Labels></View>')


def test_12_4_video_track_uses_labels_of_the_labels_control(registries):
    assert check(registries, VIDEO, [EXAMPLE_VIDEO]) == [EXAMPLE_VIDEO]


def test_12_5_prediction_without_id(registries):
    xml = '<View><Image name="img" value="$image"/><RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels></View>'
    item = {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "original_width": 640,
            "original_height": 480, "score": 0.93,
            "value": {"x": 1, "y": 2, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Car"]}}
    assert check(registries, xml, [item]) == [item]


# -- every other result type ----------------------------------------------------------------------

IMAGE_TOOLS = VALID["polygon"].replace("</View>", "") + (
    '<KeyPointLabels name="kp" toName="img"><Label value="Nose"/></KeyPointLabels>'
    '<EllipseLabels name="el" toName="img"><Label value="Cell"/></EllipseLabels>'
    '<BrushLabels name="br" toName="img"><Label value="Road"/></BrushLabels>'
    '<BitmaskLabels name="bm" toName="img"><Label value="A"/></BitmaskLabels>'
    '<VectorLabels name="vec" toName="img"><Label value="Line"/></VectorLabels></View>'
)


@pytest.mark.parametrize(
    "item",
    [
        {"from_name": "poly", "type": "polygonlabels",
         "value": {"points": [[1, 2], [30.5, 2], [15, 40]], "closed": True, "polygonlabels": ["Roof"]}},
        {"from_name": "p", "type": "polygon", "value": {"points": [[1, 2], [30, 2], [15, 40]]}},
        {"from_name": "kp", "type": "keypointlabels", "value": {"x": 40.1, "y": 22.0, "width": 0.7, "keypointlabels": ["Nose"]}},
        {"from_name": "el", "type": "ellipselabels",
         "value": {"x": 50, "y": 50, "radiusX": 10, "radiusY": 5, "rotation": 0, "ellipselabels": ["Cell"]}},
        {"from_name": "br", "type": "brushlabels", "original_width": 10, "original_height": 10,
         "value": {"format": "rle", "rle": [0, 0, 1, 144, 7, 255], "brushlabels": ["Road"]}},
        {"from_name": "bm", "type": "bitmasklabels", "value": {"imageDataURL": "data:image/png;base64,AAAA", "bitmasklabels": ["A"]}},
        {"from_name": "vec", "type": "vectorlabels",
         "value": {"vertices": [{"id": "a", "x": 1, "y": 2, "isBezier": False}, {"id": "b", "x": 5, "y": 6, "prevPointId": "a"}],
                   "closed": False, "vectorlabels": ["Line"]}},
    ],
    ids=lambda item: item["type"],
)
def test_image_region_types(item, registries):
    item = {"id": "r1", "to_name": "img", **item}
    assert check(registries, IMAGE_TOOLS, [item]) == [item]


def test_split_format_rectangle_plus_labels_share_an_id(registries):
    geometry = {"x": 1.0, "y": 2.0, "width": 3.0, "height": 4.0, "rotation": 0.0}
    results = [
        {"id": "r", "from_name": "rect", "to_name": "img", "type": "rectangle", "value": dict(geometry)},
        {"id": "r", "from_name": "lbl", "to_name": "img", "type": "labels", "value": {**geometry, "labels": ["Car"]}},
    ]
    assert check(registries, VALID["rectangle-plus-labels"], results) == results


def test_span_types_on_html_and_paragraphs(registries):
    html = {"id": "h", "from_name": "ner", "to_name": "html", "type": "hypertextlabels",
            "value": {"start": "/div[1]/p[2]/text()[1]", "startOffset": 3, "end": "/div[1]/p[3]/text()[1]",
                      "endOffset": 8, "globalOffsets": {"start": 120, "end": 190}, "text": "x",
                      "hypertextlabels": ["Person"]}}
    assert check(registries, VALID["hypertext"], [html]) == [html]
    paragraph = {"id": "p", "from_name": "pl", "to_name": "dlg", "type": "paragraphlabels",
                 "value": {"start": "0", "startOffset": 5, "end": "2", "endOffset": 11, "text": "t", "paragraphlabels": ["Question"]}}
    assert check(registries, VALID["paragraphs-dialogue"], [paragraph]) == [paragraph]


def test_pairwise_ranker_timeline_chat(registries):
    pairwise = {"id": "p", "from_name": "cmp", "to_name": "cmp", "type": "pairwise", "value": {"selected": "left"}}
    assert check(registries, VALID["pairwise"], [pairwise]) == [pairwise]
    joined = dict(pairwise, to_name="a,b")
    assert check(registries, VALID["pairwise"], [joined]) == [joined]
    ranked = {"id": "k", "from_name": "rank", "to_name": "items", "type": "ranker", "value": {"ranker": {"rank": ["3", "1", "2"]}}}
    assert check(registries, VALID["ranker-list"], [ranked]) == [ranked]
    buckets = {"id": "k", "from_name": "rank", "to_name": "items", "type": "ranker",
               "value": {"ranker": {"best": ["1"], "ads": ["2"], "_": ["3"]}}}
    assert check(registries, VALID["ranker-buckets"], [buckets]) == [buckets]
    timeline = {"id": "t", "from_name": "tl", "to_name": "v", "type": "timelinelabels",
                "value": {"ranges": [{"start": 10, "end": 42}], "timelinelabels": ["Jump"]}}
    assert check(registries, VALID["video-timeline"], [timeline]) == [timeline]
    message = {"id": "m", "from_name": "chat", "to_name": "chat", "type": "chatmessage",
               "value": {"chatmessage": {"role": "user", "content": "Hi", "createdAt": 1710000000000}}}
    assert check(registries, VALID["chat"], [message]) == [message]


def test_per_region_transcription_on_audio(registries):
    results = [
        {"id": "s", "from_name": "l", "to_name": "a", "type": "labels", "value": {"start": 1, "end": 2, "labels": ["Speech"]}},
        {"id": "s", "from_name": "tr", "to_name": "a", "type": "textarea", "value": {"start": 1, "end": 2, "text": ["hello"]}},
    ]
    out = check(registries, VALID["audio-transcription-per-region"], results)
    assert out[1]["value"] == {"start": 1.0, "end": 2.0, "text": ["hello"]}


def test_repeater_results_use_expanded_names(registries):
    item = {"id": "r", "from_name": "box_3", "to_name": "img_3", "type": "rectanglelabels",
            "value": {"x": 1, "y": 1, "width": 1, "height": 1, "rotation": 0, "rectanglelabels": ["Car"]}}
    assert check(registries, VALID["repeater"], [item]) == [item]
    assert refused(registries, VALID["repeater"], [dict(item, to_name="img_4")]) == {
        "result[0].to_name": ['must be "img_3" or "box_3" for <RectangleLabels name="box_{{idx}}">, not \'img_4\''],
    }


def test_dynamic_labels_accept_any_label(registries):
    item = {"id": "c", "from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["From task"]}}
    assert check(registries, VALID["choices-dynamic"], [item]) == [item]


def test_nested_choices(registries):
    item = {"id": "c", "from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": [["Animal", "Cat"], ["Plant"]]}}
    assert check(registries, VALID["choices-nested"], [item]) == [item]


# -- normalisation --------------------------------------------------------------------------------


def test_percentages_are_clamped_and_boxes_made_canonical(registries):
    xml = VALID["rectangle-labels"]
    item = {"id": 7, "from_name": "box", "to_name": "img", "type": "rectanglelabels",
            "value": {"x": 100.4, "y": -0.2, "width": 5, "height": 101, "rectanglelabels": ["Car"], "extra": 1}}
    (out,) = check(registries, xml, [item])
    assert out["id"] == "7"
    assert out["value"] == {"x": 100.0, "y": 0.0, "width": 0.0, "height": 100.0, "rotation": 0.0,
                            "rectanglelabels": ["Car"], "extra": 1}


def test_negative_sizes_are_flipped_and_rotation_wrapped(registries):
    item = {"id": "r", "from_name": "box", "to_name": "img", "type": "rectanglelabels",
            "value": {"x": 50, "y": 50, "width": -10, "height": -20, "rotation": 0, "rectanglelabels": ["Car"]}}
    assert check(registries, VALID["rectangle-labels"], [item])[0]["value"]["x"] == 40.0
    rotated = copy.deepcopy(item)
    rotated["value"].update(width=10, height=20, rotation=370)
    assert check(registries, VALID["rectangle-labels"], [rotated])[0]["value"]["rotation"] == 10.0


def test_shorthand_values_become_canonical(registries):
    text = {"id": "c", "from_name": "summary", "to_name": "txt", "type": "textarea", "value": {"text": "one line"}}
    assert check(registries, VALID["worked-example-12-3"], [text])[0]["value"] == {"text": ["one line"]}
    paragraph = {"id": "p", "from_name": "pl", "to_name": "dlg", "type": "paragraphlabels",
                 "value": {"start": 0, "startOffset": 0, "end": 1, "endOffset": 2, "paragraphlabels": ["Question"]}}
    out = check(registries, VALID["paragraphs-dialogue"], [paragraph])[0]["value"]
    assert (out["start"], out["end"]) == ("0", "1")


def test_normalisation_is_idempotent(registries):
    once = check(registries, VALID["worked-example-12-1"], EXAMPLE_12_1)
    assert check(registries, VALID["worked-example-12-1"], once) == once


def test_input_is_not_modified(registries):
    results = copy.deepcopy(EXAMPLE_12_1)
    results[0]["value"]["x"] = 100.3
    validate_results(parse_config(VALID["worked-example-12-1"], registries), results, registries)
    assert results[0]["value"]["x"] == 100.3


# -- refusals name the item and the field ---------------------------------------------------------

T12_3 = VALID["worked-example-12-3"]


def item(from_name, type_, value, **extra):
    return {"id": "x", "from_name": from_name, "to_name": "txt", "type": type_, "value": value, **extra}


@pytest.mark.parametrize(
    ("results", "errors"),
    [
        ("nope", {"result": ["must be a list"]}),
        ([42], {"result[0]": ["must be an object with from_name, to_name, type and value"]}),
        ([item("ghost", "choices", {"choices": ["Positive"]})],
         {"result[0].from_name": ['"ghost" is not the name of a control in the labeling config']}),
        ([item("sentiment", "labels", {"choices": ["Positive"]})],
         {"result[0].type": ['must be "choices" for <Choices name="sentiment">, not \'labels\'']}),
        ([dict(item("sentiment", "choices", {"choices": ["Positive"]}), to_name="elsewhere")],
         {"result[0].to_name": ['must be "txt" or "sentiment" for <Choices name="sentiment">, not \'elsewhere\'']}),
        ([item("sentiment", "choices", {"choices": ["Meh"]})],
         {"result[0].value.choices[0]": ["'Meh' is not a label of <Choices name=\"sentiment\"> (declared: Positive, Negative)"]}),
        ([item("sentiment", "choices", None)], {"result[0].value": ["must be an object"]}),
        ([item("sentiment", "choices", {})], {"result[0].value.choices": ["is required"]}),
        ([item("stars", "rating", {"rating": 9})], {"result[0].value.rating": ["must be between 0 and 5 (maxRating)"]}),
        ([item("stars", "rating", {"rating": "four"})], {"result[0].value.rating": ["must be a whole number, not a string"]}),
        ([item("when", "datetime", {"datetime": "yesterday"})],
         {"result[0].value.datetime": ["must be an ISO date or time such as 2024-05-01T13:45"]}),
        ([item("topic", "taxonomy", {"taxonomy": [["Sports", "Chess"]]})],
         {"result[0].value.taxonomy[0]": ['"Sports / Chess" is not a path of the taxonomy']}),
        ([item("summary", "textarea", {"text": [1]})], {"result[0].value.text[0]": ["must be a string, not a whole number"]}),
        ([item("score", "number", {"number": 1}, score="high")], {"result[0].score": ["must be a number or null, not a string"]}),
        ([item("score", "number", {"number": 1}, original_width=-5)], {"result[0].original_width": ["must be a positive number of pixels"]}),
        ([item("stars", "rating", {"rating": 9}), item("ghost", "x", {})],
         {"result[0].value.rating": ["must be between 0 and 5 (maxRating)"],
          "result[1].from_name": ['"ghost" is not the name of a control in the labeling config']}),
    ],
    ids=["not-a-list", "not-an-object", "unknown-control", "wrong-type", "wrong-object", "undeclared-choice",
         "value-not-object", "value-missing-field", "rating-too-high", "rating-not-number", "bad-datetime",
         "taxonomy-path", "textarea-item", "score-type", "image-size", "several-items"],
)
def test_refusals(results, errors, registries):
    assert refused(registries, T12_3, results) == errors


@pytest.mark.parametrize(
    ("xml", "value", "type_", "from_name", "to_name", "errors"),
    [
        (VALID["rectangle-labels"], {"x": 150, "y": 1, "width": 1, "height": 1, "rectanglelabels": ["Car"]},
         "rectanglelabels", "box", "img", {"result[0].value.x": ["must be between 0 and 100 (percent of the image), not 150"]}),
        (VALID["rectangle-labels"], {"x": 1, "y": 1, "width": 1, "height": 1, "rectanglelabels": ["Truck"]},
         "rectanglelabels", "box", "img",
         {"result[0].value.rectanglelabels[0]": ["'Truck' is not a label of <RectangleLabels name=\"box\"> (declared: Car)"]}),
        (VALID["polygon"], {"points": [[1, 1], [2, 2]]}, "polygon", "p", "img",
         {"result[0].value.points": ["needs at least 3 points"]}),
        (VALID["polygon"], {"points": [[1, 1], [2, "x"], [3, 3]]}, "polygon", "p", "img",
         {"result[0].value.points[1][1]": ["must be a number, not a string"]}),
        (VALID["brush-and-magic-wand"], {"format": "rle", "rle": [1, 300]}, "brush", "b", "img",
         {"result[0].value.rle": ["must hold bytes (0-255) of the run-length encoded mask"]}),
        (VALID["ner-word-granularity"], {"start": 5, "end": 2, "labels": ["PER"]}, "labels", "ner", "t",
         {"result[0].value.end": ["must not be before start (5)"]}),
        (VALID["audio-attributes"], {"start": -1, "end": 2, "labels": ["Speech"]}, "labels", "l", "a",
         {"result[0].value.start": ["must not be negative"]}),
        (VALID["video-timeline"], {"ranges": [{"start": 9, "end": 3}], "timelinelabels": ["Jump"]}, "timelinelabels", "tl", "v",
         {"result[0].value.ranges[0].end": ["must not be before start (9)"]}),
        (VIDEO, {"sequence": [{"frame": 5, "x": 1, "y": 1, "width": 1, "height": 1}, {"frame": 2, "x": 1, "y": 1, "width": 1, "height": 1}]},
         "videorectangle", "box", "video", {"result[0].value.sequence[1].frame": ["keyframes must be in frame order"]}),
        (VALID["pairwise"], {"selected": "middle"}, "pairwise", "cmp", "a,b", {"result[0].value.selected": ['must be "left" or "right"']}),
        (VALID["ranker-buckets"], {"ranker": {"worst": ["1"]}}, "ranker", "rank", "items",
         {"result[0].value.ranker.worst": ['"worst" is not a bucket of this ranker (expected _, ads, best)']}),
        (VALID["number"], {"number": 11}, "number", "n", "t", {"result[0].value.number": ["must be at most 10 (max)"]}),
        (VALID["choices-single-radio-inline"], {"choices": [["A", "b"]]}, "choices", "c", "t",
         {"result[0].value.choices[0]": ['nested choices need allowNested="true" on the tag']}),
        (VALID["chat"], {"chatmessage": {"role": "user"}}, "chatmessage", "chat", "chat",
         {"result[0].value.chatmessage.content": ["must be a string"]}),
        (VALID["brush-and-magic-wand"], {"format": "rle", "rle": [1]}, "brush", "wand", "img",
         {"result[0].from_name": ['<MagicWand name="wand"> writes no results of its own']}),
    ],
    ids=["out-of-image", "undeclared-label", "polygon-points", "polygon-point-type", "brush-rle", "text-span",
         "audio-start", "timeline-range", "keyframe-order", "pairwise", "ranker-bucket", "number-max",
         "nested-choice", "chat-message", "tool-without-results"],
)
def test_region_refusals(xml, value, type_, from_name, to_name, errors, registries):
    results = [{"id": "r", "from_name": from_name, "to_name": to_name, "type": type_, "value": value}]
    assert refused(registries, xml, results) == errors


def test_relation_refusals(registries):
    xml = VALID["worked-example-12-1"]
    region = EXAMPLE_12_1[0]
    unknown_end = {"from_id": "a1B2c3D4e5", "to_id": "nowhere", "type": "relation", "direction": "right"}
    assert refused(registries, xml, [region, unknown_end]) == {
        "result[1].to_id": ['"nowhere" is not the id of a region in this result']
    }
    bad_label = dict(unknown_end, to_id="a1B2c3D4e5", labels=["owns"])
    assert refused(registries, xml, [region, bad_label]) == {"result[1].labels[0]": ["'owns' is not a declared relation label"]}
    bad_direction = dict(unknown_end, to_id="a1B2c3D4e5", direction="up")
    assert refused(registries, xml, [region, bad_direction]) == {"result[1].direction": ['must be "right", "left" or "bi"']}
    assert refused(registries, xml, [region, {"type": "relation", "to_id": "a1B2c3D4e5"}]) == {
        "result[1].from_id": ["is required"]
    }


def test_where_prefixes_the_field_and_detail(registries):
    with pytest.raises(ValidationFailed) as caught:
        check(registries, T12_3, [item("stars", "rating", {"rating": 9})], where="annotations[2].result")
    assert caught.value.validation_errors == {"annotations[2].result[0].value.rating": ["must be between 0 and 5 (maxRating)"]}
    assert caught.value.detail == "annotations[2].result[0].value.rating: must be between 0 and 5 (maxRating)"


def test_empty_result_is_valid(registries):
    assert check(registries, T12_3, []) == []


def test_generic_labels_need_a_region_shape(registries):
    results = [{"id": "r", "from_name": "lbl", "to_name": "img", "type": "labels", "value": {"labels": ["Car"]}}]
    errors = refused(registries, VALID["rectangle-plus-labels"], results)
    assert list(errors) == ["result[0].value"]
    assert errors["result[0].value"][0].startswith('must describe a region of <Image name="img"> (with the fields of one of: ')


def test_nested_values_of_the_input_are_not_modified(registries):
    track = copy.deepcopy(EXAMPLE_VIDEO)
    track["value"]["sequence"][0]["x"] = 100.5
    before = copy.deepcopy(track)
    (out,) = validate_results(parse_config(VIDEO, registries), [track], registries)
    assert track == before and out["value"]["sequence"][0]["x"] == 100.0

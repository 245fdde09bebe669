"""Valid configs parse; invalid ones are refused with the exact sentence, tag, attribute and line."""

from __future__ import annotations

import pytest

from labelloom.core.errors import ValidationFailed
from labelloom.core.labelconfig import ConfigInvalid, parse_config

from .valid_configs import VALID


@pytest.mark.parametrize("xml", list(VALID.values()), ids=list(VALID))
def test_valid_config_parses(xml, registries):
    parsed = parse_config(xml, registries)
    assert parsed.root.tag == "View"
    assert parsed.to_json()["tree"]["tag"] == "View"


def test_there_are_enough_valid_configs():
    assert len(VALID) >= 60


INVALID = {
    "not-xml": (
        '<View><Text name="t" value="$text"></View>',
        ["line 1: the XML is not well-formed: Opening and ending tag mismatch: Text line 1 and View (column 43)"],
    ),
    "empty": ("   ", ["the labeling config is empty"]),
    "root-not-view": ('<Text name="t" value="$text"/>', ["line 1: the root tag must be <View>, not <Text>"]),
    "unknown-tag": ('<View><Text name="t" value="$text"/><Sparkle name="s"/></View>', ["line 1: unknown tag <Sparkle>"]),
    "doctype": (
        '<!DOCTYPE View [<!ENTITY x "boom">]><View><Header value="&x;"/></View>',
        ["DTD and entity declarations are not allowed in a labeling config"],
    ),
    "undefined-entity": (
        '<View><Header value="&nbsp;"/></View>',
        ["line 1: the XML is not well-formed: Entity 'nbsp' not defined (column 28)"],
    ),
    "duplicate-name": (
        '<View>\n<Text name="t" value="$a"/>\n<Text name="t" value="$b"/>\n</View>',
        ['line 3: <Text name="t">: the name "t" is already used by <Text> at line 2'],
    ),
    "missing-name": ('<View><Text value="$a"/></View>', ['line 1: <Text>: the attribute "name" is required']),
    "missing-toname": (
        '<View><Text name="t" value="$a"/><Choices name="c"><Choice value="A"/></Choices></View>',
        ['line 1: <Choices name="c">: the attribute "toName" is required'],
    ),
    "toname-unknown": (
        '<View><Text name="t" value="$a"/>\n<Choices name="c" toName="x"><Choice value="A"/></Choices></View>',
        ['line 2: <Choices name="c">: toName="x" does not match the name of any tag'],
    ),
    "toname-not-object": (
        '<View><Text name="t" value="$a"/><Labels name="l" toName="t"><Label value="A"/></Labels>'
        '<Choices name="c" toName="l"><Choice value="A"/></Choices></View>',
        ['line 1: <Choices name="c">: toName="l" must name an object tag, but <Labels name="l"> is not one'],
    ),
    "wrong-object-kind": (
        '<View><Text name="t" value="$a"/><RectangleLabels name="b" toName="t"><Label value="A"/></RectangleLabels></View>',
        [
            'line 1: <RectangleLabels name="b">: cannot be used with <Text name="t">, '
            "which has no rectangle regions; it works with <Image>"
        ],
    ),
    "ranker-needs-list": (
        '<View><Text name="t" value="$a"/><Ranker name="r" toName="t"/></View>',
        ['line 1: <Ranker name="r">: cannot be used with <Text name="t">; it works with <List>'],
    ),
    "no-choices": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName="t"/></View>',
        ['line 1: <Choices name="c">: needs at least one <Choice> inside (or value="$field" to take them from the task)'],
    ),
    "no-labels": (
        '<View><Image name="i" value="$a"/><RectangleLabels name="b" toName="i"></RectangleLabels></View>',
        [
            'line 1: <RectangleLabels name="b">: needs at least one <Label> inside '
            '(or value="$field" to take them from the task)'
        ],
    ),
    "label-outside": (
        '<View><Text name="t" value="$a"/><Label value="A"/></View>',
        [
            "line 1: <Label>: can only be placed inside <BitmaskLabels>, <BrushLabels>, <EllipseLabels>, "
            "<HyperTextLabels>, <KeyPointLabels>, <Labels>, ..."
        ],
    ),
    "choice-in-labels": (
        '<View><Text name="t" value="$a"/><Labels name="l" toName="t"><Choice value="A"/></Labels></View>',
        [
            'line 1: <Labels name="l">: needs at least one <Label> inside (or value="$field" to take them from the task)',
            "line 1: <Choice>: can only be placed inside <Choice>, <Choices>, <Taxonomy>",
        ],
    ),
    "label-without-value": (
        '<View><Text name="t" value="$a"/><Labels name="l" toName="t"><Label/></Labels></View>',
        ['line 1: <Label>: the attribute "value" is required'],
    ),
    "bad-enum": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName="t" choice="several"><Choice value="A"/></Choices></View>',
        ['line 1: <Choices name="c">: choice="several" must be one of: single, single-radio, multiple'],
    ),
    "bad-int": (
        '<View><Text name="t" value="$a"/><Rating name="r" toName="t" maxRating="many"/></View>',
        ['line 1: <Rating name="r">: maxRating="many" must be a whole number'],
    ),
    "bad-bool": (
        '<View><Image name="i" value="$a" zoom="maybe"/></View>',
        ['line 1: <Image name="i">: zoom="maybe" must be "true" or "false"'],
    ),
    "object-without-data": (
        '<View><Image name="i"/></View>',
        ['line 1: <Image name="i">: needs value="$field" or valueList="$field" to show task data'],
    ),
    "nested-control": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName="t"><Choice value="A"/>'
        '<TextArea name="x" toName="t"/></Choices></View>',
        ['line 1: <TextArea name="x">: cannot be placed inside <Choices name="c">'],
    ),
    "repeater-on-not-variable": (
        '<View><Repeater on="images"><Image name="i_{{idx}}" value="$images[{{idx}}]"/></Repeater></View>',
        ['line 1: <Repeater>: on="images" must be a task variable such as "$items"'],
    ),
    "repeater-without-on": (
        '<View><Repeater><Text name="t" value="$a"/></Repeater></View>',
        ['line 1: <Repeater>: the attribute "on" is required'],
    ),
    "pairwise-one-target": (
        '<View><Text name="a" value="$a"/><Pairwise name="p" toName="a"/></View>',
        ['line 1: <Pairwise name="p">: toName must name exactly two objects, e.g. toName="left,right"'],
    ),
    "number-min-above-max": (
        '<View><Text name="t" value="$a"/><Number name="n" toName="t" min="5" max="1"/></View>',
        ['line 1: <Number name="n">: min (5) is greater than max (1)'],
    ),
    "timeseries-without-channel": (
        '<View><TimeSeries name="ts" value="$ts"/></View>',
        ['line 1: <TimeSeries name="ts">: needs at least one <Channel> inside'],
    ),
    "channel-outside-timeseries": (
        '<View><Channel column="a"/></View>',
        ["line 1: <Channel>: can only be placed inside <MultiChannel>, <TimeSeries>"],
    ),
    "video-playback-speeds": (
        '<View><Video name="v" value="$v" defaultPlaybackSpeed="0.5" minPlaybackSpeed="1"/></View>',
        ['line 1: <Video name="v">: defaultPlaybackSpeed must not be below minPlaybackSpeed'],
    ),
    "when-tag-unknown": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName="t" visibleWhen="choice-selected" '
        'whenTagName="zzz"><Choice value="A"/></Choices></View>',
        ['line 1: <Choices name="c">: whenTagName="zzz" does not match the name of any tag'],
    ),
    "namespaced-tag": (
        '<View xmlns:x="urn:x"><x:Text name="t" value="$a"/></View>',
        ["line 1: <x:Text>: namespaced tags are not supported"],
    ),
    "attribute-twice-in-two-spellings": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName="t" toname="t"><Choice value="A"/></Choices></View>',
        ['line 1: <Choices name="c">: the attribute "toName" is given more than once'],
    ),
    "visible-when-unknown": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName="t" visibleWhen="sometimes"><Choice value="A"/></Choices></View>',
        [
            'line 1: <Choices name="c">: visibleWhen="sometimes" must be one of: region-selected, '
            "no-region-selected, choice-selected, choice-unselected"
        ],
    ),
    "videorectangle-on-image": (
        '<View><Image name="i" value="$a"/><VideoRectangle name="v" toName="i"/></View>',
        ['line 1: <VideoRectangle name="v">: cannot be used with <Image name="i">; it works with <Video>'],
    ),
    "labels-on-table": (
        '<View><Table name="tb" value="$a"/><Labels name="l" toName="tb"><Label value="A"/></Labels></View>',
        ['line 1: <Labels name="l">: cannot be used with <Table name="tb">, which has no regions to label'],
    ),
    "filter-unknown-target": (
        '<View><Filter name="f" toName="nothing"/><Text name="t" value="$a"/></View>',
        ['line 1: <Filter name="f">: toName="nothing" does not match the name of any tag'],
    ),
    "empty-toname": (
        '<View><Text name="t" value="$a"/><Choices name="c" toName=""><Choice value="A"/></Choices></View>',
        ['line 1: <Choices name="c">: toName must name an object tag'],
    ),
}


@pytest.mark.parametrize(("xml", "expected"), list(INVALID.values()), ids=list(INVALID))
def test_invalid_config_is_refused_with_exact_errors(xml, expected, registries):
    with pytest.raises(ConfigInvalid) as caught:
        parse_config(xml, registries)
    assert caught.value.validation_errors == {"label_config": expected}


def test_there_are_enough_invalid_configs():
    assert len(INVALID) >= 20


def test_issue_carries_tag_attribute_and_line(registries):
    xml = '<View>\n  <Text name="t" value="$a"/>\n  <Rating name="r" toName="t" maxRating="x"/>\n</View>'
    with pytest.raises(ConfigInvalid) as caught:
        parse_config(xml, registries)
    (issue,) = caught.value.issues
    assert (issue.tag, issue.attribute, issue.line) == ("Rating", "maxRating", 3)
    assert isinstance(caught.value, ValidationFailed)
    body = caught.value.to_dict()
    assert body["status_code"] == 400
    assert body["detail"].startswith("Invalid labeling config: line 3: ")


def test_all_problems_are_reported_in_source_order(registries):
    xml = "<View>\n<Bogus/>\n<Text name='t'/>\n<Choices name='c' toName='t'/>\n</View>"
    with pytest.raises(ConfigInvalid) as caught:
        parse_config(xml, registries)
    lines = [issue.line for issue in caught.value.issues]
    assert lines == sorted(lines) and len(lines) == 3
    assert "(and 2 more)" in caught.value.detail


def test_non_string_config_is_refused(registries):
    with pytest.raises(ConfigInvalid):
        parse_config(None, registries)  # type: ignore[arg-type]

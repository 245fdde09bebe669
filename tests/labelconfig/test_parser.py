"""Safe XML, variables, case-insensitive spelling, Repeater, plugin ownership of tags."""

from __future__ import annotations

import pytest

from labelloom.core.labelconfig import ConfigInvalid, parse_config, resolve
from labelloom.core.labelconfig import variables as v
from labelloom.core.labelconfig.xmlparse import MAX_CONFIG_BYTES, MAX_DEPTH, MAX_ELEMENTS

from .conftest import registries_of


def refused(xml, registries) -> list[str]:
    with pytest.raises(ConfigInvalid) as caught:
        parse_config(xml, registries)
    return caught.value.validation_errors["label_config"]


# -- safety ---------------------------------------------------------------------------------------


def test_billion_laughs_is_refused_before_expansion(registries):
    xml = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        '<View><Header value="&lol2;"/></View>'
    )
    assert refused(xml, registries) == ["DTD and entity declarations are not allowed in a labeling config"]


def test_external_entity_is_refused(registries):
    xml = '<!DOCTYPE View [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><View><Header value="&xxe;"/></View>'
    assert refused(xml, registries) == ["DTD and entity declarations are not allowed in a labeling config"]


def test_size_limit(registries):
    xml = "<View>" + "<!-- padding -->" * (MAX_CONFIG_BYTES // 16 + 1) + "</View>"
    assert refused(xml, registries) == [f"the labeling config is larger than {MAX_CONFIG_BYTES} bytes"]


def test_depth_limit(registries):
    xml = "<View>" * (MAX_DEPTH + 1) + "</View>" * (MAX_DEPTH + 1)
    assert refused(xml, registries) == [f"line 1: tags are nested deeper than {MAX_DEPTH} levels"]


def test_element_count_limit(registries):
    xml = "<View>" + "<View/>" * MAX_ELEMENTS + "</View>"
    assert refused(xml, registries) == [f"the labeling config has more than {MAX_ELEMENTS} tags"]


def test_encoding_declaration_and_processing_instructions_are_harmless(registries):
    xml = '<?xml version="1.0" encoding="ISO-8859-1"?><?xml-stylesheet href="x"?><View><Header value="é"/></View>'
    parsed = parse_config(xml, registries)
    assert parsed.root.children[0].attrs["value"] == "é"


def test_sample_hint_comment_is_kept(registries):
    xml = '<!-- {"data": {"text": "from comment"}} --><View><Text name="t" value="$text"/></View>'
    parsed = parse_config(xml, registries)
    assert parsed.sample_hint == {"data": {"text": "from comment"}}


def test_source_lines_are_kept(registries):
    xml = '<View>\n\n  <Text name="t" value="$a"/>\n  <Header value="x"/>\n</View>'
    tree = parse_config(xml, registries).to_json()["tree"]
    assert [child["line"] for child in tree["children"]] == [3, 4]


# -- variables ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "exact", "keys"),
    [
        ("$text", True, ["text"]),
        ("$a.b.c", True, ["a"]),
        ("$items[0].url", True, ["items"]),
        ("$images[{{idx}}]", True, ["images"]),
        ("Title: $title and $meta.author", False, ["title", "meta"]),
        ("Price $16,935", False, []),
        ("no variables", False, []),
        (" $padded ", True, ["padded"]),
    ],
)
def test_variable_rules(value, exact, keys):
    assert v.is_variable(value) is exact
    assert [v.data_key(x) for x in v.variables_in(value)] == keys


def test_resolve_exact_variable_returns_raw_structure():
    data = {"items": [{"url": "a.jpg"}, {"url": "b.jpg"}], "meta": {"tags": ["x", "y"]}}
    assert resolve("$items[1].url", data) == "b.jpg"
    assert resolve("$meta.tags", data) == ["x", "y"]
    assert resolve("$missing", data) is None


def test_resolve_embedded_variables_substitutes_text():
    data = {"title": "Hello", "n": 3}
    assert resolve("Title: $title ($n) $missing!", data) == "Title: Hello (3) !"


def test_path_of_and_set_path_build_nested_data():
    data: dict = {}
    v.set_path(data, v.path_of("$a.list[1].url"), "x")
    assert data == {"a": {"list": [None, {"url": "x"}]}}


def test_data_keys_and_data_types(registries):
    xml = (
        '<View><Header value="$title"/><Image name="i" value="$image"/><Text name="t" value="$doc.body"/>'
        '<Choices name="c" toName="t" value="$options"/><Labels name="l" toName="t"><Label value="$notakey"/></Labels></View>'
    )
    parsed = parse_config(xml, registries)
    assert parsed.data_keys == ["title", "image", "doc", "options"]
    assert parsed.data_types == {"image": "Image", "doc": "Text"}


# -- spelling -------------------------------------------------------------------------------------


def test_tag_and_attribute_names_are_case_insensitive(registries):
    xml = '<VIEW><image NAME="img" VALUE="$image" ZOOM="TRUE"/><rectanglelabels name="b" toname="img"><label value="Car"/></rectanglelabels></VIEW>'
    parsed = parse_config(xml, registries)
    tree = parsed.to_json()["tree"]
    image = tree["children"][0]
    assert image["tag"] == "Image" and image["attrs"]["zoom"] is True and image["attrs"]["name"] == "img"
    assert parsed.summary()["b"]["type"] == "RectangleLabels"


def test_enumerated_values_are_matched_case_insensitively(registries):
    xml = '<View><Text name="t" value="$a"/><Choices name="c" toName="t" choice="Multiple"><Choice value="A"/></Choices></View>'
    assert parse_config(xml, registries).to_json()["tree"]["children"][1]["attrs"]["choice"] == "multiple"


def test_variable_in_a_numeric_attribute_stays_a_variable(registries):
    xml = '<View><Video name="v" value="$video" frameRate="$fps"/></View>'
    attrs = parse_config(xml, registries).to_json()["tree"]["children"][0]["attrs"]
    assert attrs["frameRate"] == "$fps"


# -- repeater -------------------------------------------------------------------------------------


REPEATER = (
    '<View><Repeater on="$images" indexFlag="{{idx}}">'
    '<Image name="img_{{idx}}" value="$images[{{idx}}].url"/>'
    '<RectangleLabels name="box_{{idx}}" toName="img_{{idx}}"><Label value="Car"/></RectangleLabels>'
    "</Repeater></View>"
)


def test_repeater_keeps_templates_in_summary(registries):
    summary = parse_config(REPEATER, registries).summary()
    assert summary["box_{{idx}}"]["regex"] == {"{{idx}}": ".*"}
    assert summary["box_{{idx}}"]["inputs"] == [{"type": "Image", "valueType": None, "value": "images[{{idx}}].url"}]


def test_repeater_is_expanded_with_task_data(registries):
    parsed = parse_config(REPEATER, registries)
    tree = parsed.to_json({"images": [{"url": "a"}, {"url": "b"}]})["tree"]
    repeater = tree["children"][0]
    copies = repeater["children"]
    assert len(copies) == 2
    assert copies[1]["children"][0]["attrs"]["name"] == "img_1"
    assert copies[1]["children"][0]["attrs"]["value"] == "$images[1].url"
    assert copies[1]["children"][1]["attrs"]["toName"] == "img_1"


def test_repeater_control_is_found_by_expanded_name(registries):
    parsed = parse_config(REPEATER, registries)
    control, index = parsed.find_control("box_12")
    assert control.name == "box_{{idx}}" and index == "12"
    assert parsed.find_control("box_x") == (None, None)


# -- plugins own tags -----------------------------------------------------------------------------


def test_tag_of_a_disabled_plugin_names_the_plugin():
    without_image = registries_of("controls", "text")
    xml = '<View><Image name="i" value="$i"/><RectangleLabels name="b" toName="i"><Label value="A"/></RectangleLabels></View>'
    assert refused(xml, without_image) == [
        'line 1: tag <Image> needs plugin "image", which is not enabled',
        'line 1: tag <RectangleLabels> needs plugin "image", which is not enabled',
    ]


def test_labels_need_the_controls_plugin():
    only_text = registries_of("text")
    xml = '<View><Text name="t" value="$t"/><Labels name="l" toName="t"><Label value="A"/></Labels></View>'
    assert refused(xml, only_text) == [
        'line 1: tag <Labels> needs plugin "controls", which is not enabled',
        'line 1: tag <Label> needs plugin "controls", which is not enabled',
    ]


def test_structural_tags_need_no_plugin():
    nothing = registries_of()
    assert parse_config('<View><View><Repeater on="$x"/></View></View>', nothing).data_keys == ["x"]

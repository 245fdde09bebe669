"""Whatever XML or result JSON arrives, the only failure is a clean validation error (never a 500)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from labelloom.core.errors import ValidationFailed
from labelloom.core.labelconfig import (
    ConfigInvalid,
    parse_config,
    sample_results,
    sample_task,
    validate_results,
)

from .conftest import BUILT_IN, registries_of
from .valid_configs import VALID

REGISTRIES = registries_of(*BUILT_IN)
TAGS = sorted({s.name for s in REGISTRIES.tags} | {s.name for s in REGISTRIES.data_types} | {"View", "Repeater", "Foo"})
ATTRS = ["name", "toName", "value", "valueList", "choice", "on", "indexFlag", "perRegion", "maxRating", "min", "max",
         "whenTagName", "alias", "column", "frameRate", "apiUrl", "TONAME", "Value", "region"]
VALUES = st.one_of(
    st.sampled_from(["a", "b", "t", "img", "$text", "$a.b[0]", "$x[{{idx}}]", "{{idx}}", "a,b", "true", "false",
                     "5", "-1", "1e400", "nan", "", " ", "$", "multiple", "single", "region-selected", "<", "&amp;"]),
    st.text(max_size=8),
)
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def xml_attribute_text(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


@st.composite
def elements(draw, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    attrs = draw(st.dictionaries(st.sampled_from(ATTRS), VALUES, max_size=4))
    text = "".join(f' {k}="{xml_attribute_text(v)}"' for k, v in attrs.items())
    children = draw(st.lists(elements(depth + 1), max_size=3)) if depth < 3 else []
    return f"<{tag}{text}>{''.join(children)}</{tag}>"


@st.composite
def mutated_configs(draw) -> str:
    xml = draw(st.sampled_from(list(VALID.values())))
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(xml)))
        action = draw(st.sampled_from(["delete", "insert", "tag", "duplicate"]))
        if action == "delete":
            xml = xml[:position] + xml[position + draw(st.integers(1, 12)):]
        elif action == "insert":
            xml = xml[:position] + draw(st.text(alphabet='<>/="$ &;abcxyz{}[]', max_size=6)) + xml[position:]
        elif action == "tag":
            xml = xml[:position] + draw(elements(depth=2)) + xml[position:]
        else:
            end = min(len(xml), position + draw(st.integers(1, 40)))
            xml = xml[:end] + xml[position:end] + xml[end:]
    return xml


def exercise(xml: str) -> None:
    try:
        parsed = parse_config(xml, REGISTRIES)
    except ConfigInvalid as invalid:
        assert invalid.issues and all(str(issue) for issue in invalid.issues)
        return
    parsed.summary()
    parsed.to_json()
    data = sample_task(parsed, REGISTRIES)
    parsed.to_json(data)
    try:
        validate_results(parsed, sample_results(parsed), REGISTRIES)
    except ValidationFailed:
        pass


@SETTINGS
@given(st.text(max_size=200))
def test_random_text_never_crashes(text):
    exercise(text)


@settings(SETTINGS, max_examples=120)
@given(elements())
def test_random_tag_trees_never_crash(xml):
    exercise(f"<View>{xml}</View>")


@SETTINGS
@given(mutated_configs())
def test_mutated_configs_never_crash(xml):
    exercise(xml)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)
PARSED = [parse_config(VALID[k], REGISTRIES) for k in ("worked-example-12-1", "worked-example-12-3", "video-tracking",
                                                      "paragraphs-dialogue", "ranker-buckets", "repeater", "chat")]


@st.composite
def result_items(draw):
    parsed = draw(st.sampled_from(PARSED))
    base = draw(st.sampled_from(sample_results(parsed) or [{}]))
    item = dict(base)
    for key in draw(st.lists(st.sampled_from(["from_name", "to_name", "type", "value", "id", "score"]), max_size=3)):
        item[key] = draw(JSON)
    if isinstance(item.get("value"), dict) and draw(st.booleans()):
        value = dict(item["value"])
        value[draw(st.sampled_from(sorted(value) or ["x"]))] = draw(JSON)
        item["value"] = value
    return parsed, [item, {"type": "relation", "from_id": draw(JSON), "to_id": "sample0"}]


@SETTINGS
@given(result_items())
def test_random_results_never_crash(case):
    parsed, results = case
    try:
        validate_results(parsed, results, REGISTRIES)
    except ValidationFailed as refused:
        assert refused.validation_errors

"""Conformance of the built-in tag specs: every region example validates and is canonical, every
labelled control's example uses a declared label, object samples have data."""

from __future__ import annotations

import importlib

import msgspec
import pytest

from labelloom.core.plugin import ResultContext

BUILT_IN = ("controls", "image", "text", "audio", "timeseries", "video")
MODULES = {name: importlib.import_module(f"labelloom.plugins.{name}") for name in BUILT_IN}


def data_type_specs():
    from labelloom.core.manager import build_plugin_host

    registries = build_plugin_host(modules=MODULES).register_all()
    return registries


REGISTRIES = data_type_specs()
REGIONS = [(dt.name, region) for dt in REGISTRIES.data_types for region in dt.regions]


@pytest.mark.parametrize(("owner", "region"), REGIONS, ids=[f"{o}-{r.name}" for o, r in REGIONS])
def test_region_example_is_valid_and_canonical(owner, region):
    value = msgspec.convert(dict(region.example), region.value, strict=False)
    ctx = ResultContext(item={})
    once = msgspec.to_builtins(region.normalize(value, ctx) if region.normalize else value)
    again = msgspec.convert(once, region.value, strict=False)
    assert msgspec.to_builtins(region.normalize(again, ctx) if region.normalize else again) == once
    assert region.identifying_keys() <= set(region.example)


def test_region_names_are_unique_per_object():
    for spec in REGISTRIES.data_types:
        names = [r.name for r in spec.regions]
        assert len(names) == len(set(names)), spec.name


def test_controls_name_regions_some_object_offers():
    offered = {r.name for dt in REGISTRIES.data_types for r in dt.regions}
    for spec in REGISTRIES.tags:
        if spec.region not in (None, "*"):
            assert spec.region in offered, spec.name


def test_item_tags_are_accepted_somewhere():
    hosts = {i.lower() for s in [*REGISTRIES.tags, *REGISTRIES.data_types] for i in s.items}
    for spec in REGISTRIES.tags:
        if spec.kind == "item":
            assert spec.name.lower() in hosts, spec.name


def test_result_types_are_lower_case_and_unique():
    types = [s.result_type for s in REGISTRIES.tags if s.result_type]
    assert all(t == t.lower() for t in types)
    assert len(types) == len(set(types))


def test_every_data_type_offers_a_sample_value():
    for spec in REGISTRIES.data_types:
        assert spec.sample_value is not None, spec.name


def test_file_imports_map_extensions_to_data_types():
    owners = {}
    for spec in REGISTRIES.data_types:
        for extension in spec.extensions:
            assert extension.startswith(".")
            owners.setdefault(extension, spec.name)
    assert owners[".jpg"] == "Image" and owners[".txt"] == "Text" and owners[".wav"] == "Audio"

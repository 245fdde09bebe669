"""The labeling config language: parse, validate, summarise; check results against a config.

Core knows the language's structure (``View``, ``Repeater``, ``$variables``, ``name``/``toName``
references) and nothing else: every tag is a spec a plugin registered. Public API::

    parsed = parse_config(xml, registries)          # raises ConfigInvalid
    parsed.summary(); parsed.to_json(); parsed.data_keys; parsed.result_types
    canonical = validate_results(parsed, results, registries, where="result")
    used = used_in_results(results)                 # accumulate, then:
    removed_in_use(new_parsed, used)                # -> ["label \"Car\" of ... is used ...", ...]
    sample_task(parsed, registries)
"""

from .issues import ConfigInvalid, ConfigIssue
from .model import ControlInfo, ObjectInfo
from .parse import ParsedConfig, parse_config
from .results import validate_results
from .samples import sample_results, sample_task
from .tree import Node
from .usage import ControlUse, UsedLabels, removed_in_use, used_in_many, used_in_results
from .variables import resolve

__all__ = [
    "ConfigInvalid",
    "ConfigIssue",
    "ControlInfo",
    "ControlUse",
    "Node",
    "ObjectInfo",
    "ParsedConfig",
    "UsedLabels",
    "parse_config",
    "removed_in_use",
    "resolve",
    "sample_results",
    "sample_task",
    "used_in_many",
    "used_in_results",
    "validate_results",
]

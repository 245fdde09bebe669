"""Label Studio's shorthands for prediction results, expanded into full result items.

- ``{"choices": ["Positive"]}``: a value dict, for the first control whose result type is a key.
- ``"Positive"``: a bare label, for the first control (in config order) that declares it.
"""

from __future__ import annotations

from typing import Any

from ..labelconfig import ParsedConfig


def expand_prediction_result(result: Any, parsed: ParsedConfig) -> Any:
    if isinstance(result, list):
        return result
    controls = parsed.summary()
    if isinstance(result, dict):
        for name, control in controls.items():
            result_type = str(control.get("type", "")).lower()
            if result_type in result:
                return [_item(name, control, result_type, result)]
        return result
    if isinstance(result, str):
        for name, control in controls.items():
            if result in control.get("labels", []):
                result_type = str(control.get("type", "")).lower()
                return [_item(name, control, result_type, {result_type: [result]})]
    return result


def _item(name: str, control: dict[str, Any], result_type: str, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "from_name": name,
        "to_name": ",".join(control.get("to_name", [])),
        "type": result_type,
        "value": value,
    }

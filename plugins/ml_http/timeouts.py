"""Label Studio's ML timeouts, tunable by environment as there (reference §13).

Each is read from ``LABELLOOM_<NAME>``, then Label Studio's own ``<NAME>`` /
``LABEL_STUDIO_<NAME>``, so an existing deployment's settings keep working.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULTS = {
    "ML_TIMEOUT_PREDICT": 100.0,
    "ML_TIMEOUT_SETUP": 3.0,
    "ML_TIMEOUT_HEALTH": 1.0,
    "ML_TIMEOUT_TRAIN": 30.0,
    "ML_CONNECTION_TIMEOUT": 1.0,
}


def _seconds(name: str) -> float:
    for key in (f"LABELLOOM_{name}", name, f"LABEL_STUDIO_{name}"):
        raw = os.environ.get(key)
        if raw:
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{key}={raw!r} is not a number of seconds") from None
            if value <= 0:
                raise ValueError(f"{key}={raw!r} must be positive")
            return value
    return DEFAULTS[name]


@dataclass(frozen=True)
class Timeouts:
    predict: float
    setup: float
    health: float
    train: float
    connect: float

    @classmethod
    def from_env(cls) -> Timeouts:
        return cls(
            predict=_seconds("ML_TIMEOUT_PREDICT"),
            setup=_seconds("ML_TIMEOUT_SETUP"),
            health=_seconds("ML_TIMEOUT_HEALTH"),
            train=_seconds("ML_TIMEOUT_TRAIN"),
            connect=_seconds("ML_CONNECTION_TIMEOUT"),
        )

"""Core's own registrations, made as a plugin through the same hooks as every other (as pytest's
default plugins are): the data-manager actions every project has and core's background jobs.

It is always loaded, under the name ``core``, and its registration hooks run first
(``tryfirst``), so a plugin may replace one of its entries on purpose (``replace=True``).
"""

from __future__ import annotations

from .registries import ActionRegistry, JobRegistry
from .specs import hookimpl


@hookimpl(tryfirst=True)
def labelloom_register_actions(registry: ActionRegistry) -> None:
    from .datamanager.builtin_actions import core_action_specs

    from .ml.actions import ml_action_specs

    for spec in [*core_action_specs(), *ml_action_specs()]:
        registry.add(spec)


@hookimpl(tryfirst=True)
def labelloom_register_jobs(registry: JobRegistry) -> None:
    from .builtin_jobs import core_job_specs

    for spec in core_job_specs():
        registry.add(spec)

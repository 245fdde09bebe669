"""Every hook a Labelloom plugin may implement.

All hooks take keyword arguments; an implementation may accept any subset of a hook's
parameters. Registration hooks run once, in ``create_app``, each plugin's implementation on its
own so that errors and duplicate names can be attributed to the plugin. Runtime hooks run while
the app serves requests.
"""

from __future__ import annotations

from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from .specs import PluginRouter
    from .registries import (
        ActionRegistry,
        DataTypeRegistry,
        ExportRegistry,
        JobRegistry,
        MetricRegistry,
        MLBackendRegistry,
        SettingsPanelRegistry,
        StorageRegistry,
        TagRegistry,
        TemplateRegistry,
    )
    from .settings import Settings

hookspec = pluggy.HookspecMarker("labelloom")


# ---------------------------------------------------------------------------------------------
# Registration: called once per application, at start-up
# ---------------------------------------------------------------------------------------------


@hookspec
def labelloom_register_data_types(registry: DataTypeRegistry) -> None:
    """Register object tags (data types) such as ``Image`` or ``Text``.

    Called once per application at start-up, before :func:`labelloom_register_tags`.

    :param registry: add one :class:`~labelloom.core.plugin.DataTypeSpec` per object tag with
        ``registry.add(spec)``. A name already registered by another plugin fails start-up
        naming both plugins; pass ``replace=True`` to override deliberately.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_tags(registry: TagRegistry) -> None:
    """Register control and visual tags (``Choices``, ``RectangleLabels``, ``Header`` ...).

    Called once per application at start-up, after :func:`labelloom_register_data_types`.

    :param registry: add one :class:`~labelloom.core.plugin.TagSpec` per tag.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_exporters(registry: ExportRegistry) -> None:
    """Register export formats (``JSON``, ``CSV``, ``COCO`` ...).

    Called once per application at start-up. A format is offered for a project only when its
    ``supports`` set covers the result types of the project's config.

    :param registry: add one :class:`~labelloom.core.plugin.ExporterSpec` per format.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_storages(registry: StorageRegistry) -> None:
    """Register cloud storage connector kinds (``s3``, ``gcs`` ...).

    Called once per application at start-up. Connections themselves are rows of a core table
    whose JSON config is checked against the spec's ``config`` struct, so plugins need no
    database migrations.

    :param registry: add one :class:`~labelloom.core.plugin.StorageSpec` per kind.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_ml_backends(registry: MLBackendRegistry) -> None:
    """Register kinds of ML backends (the Label Studio HTTP protocol, ...).

    Called once per application at start-up.

    :param registry: add one :class:`~labelloom.core.plugin.MLBackendSpec` per kind.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_templates(registry: TemplateRegistry) -> None:
    """Register labeling templates for the template gallery (``GET /api/templates``).

    Called once per application at start-up. Every template must be a valid config whose
    sample task fits it; the test kit checks this for every registered template.

    :param registry: add one :class:`~labelloom.core.plugin.TemplateSpec` per template.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_jobs(registry: JobRegistry) -> None:
    """Register background job functions, named ``<plugin>.<job>``.

    Called once per application (and once per worker process) at start-up. The same functions
    run in the web process (embedded mode) and in ``labelloom worker`` processes.

    :param registry: add one :class:`~labelloom.core.plugin.JobSpec` per job.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_settings_panels(registry: SettingsPanelRegistry) -> None:
    """Register sections of the project settings page, each drawn by the plugin's ES module.

    Called once per application at start-up. A section appears while its plugin is enabled
    (ML backends, cloud storages ...) and is listed by ``GET /api/plugins``.

    :param registry: add one :class:`~labelloom.core.plugin.SettingsPanelSpec` per section.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_actions(registry: ActionRegistry) -> None:
    """Register data-manager actions (``POST /api/dm/actions/?id=<name>``).

    Called once per application at start-up, after core has added its own actions (delete
    tasks, annotations, predictions, drafts; ground truth). Actions run on the tasks the
    request selects and must work set-based, keeping task counters exact.

    :param registry: add one :class:`~labelloom.core.plugin.ActionSpec` per action.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_metrics(registry: MetricRegistry) -> None:
    """Register agreement metrics: how two result items of a geometry or result type compare.

    Called once per application at start-up, after the settings panels. Each data-type plugin
    registers the metrics of the regions it defines (``rectangle``, ``textspan`` ...); core
    pairs items, combines their scores into task agreement, annotator-pair and ground-truth
    scores, and stores them (docs/quality.md). Items with no metric are left out of scores.

    :param registry: add one :class:`~labelloom.core.plugin.MetricSpec` per geometry or type.
    :return: nothing; the registry is the output.
    """


@hookspec
def labelloom_register_routes(router: PluginRouter) -> None:
    """Add HTTP route handlers, mounted under ``/api/plugins/<plugin name>/``.

    Called once per application at start-up, with a router of the implementing plugin's own.
    Routes require authentication like every other API route.

    :param router: call ``router.add(handler_or_controller, ...)`` with Litestar handlers.
    :return: nothing; the router is the output.
    """


# ---------------------------------------------------------------------------------------------
# Lifetime
# ---------------------------------------------------------------------------------------------


@hookspec
def labelloom_lifespan(settings: Settings) -> AbstractAsyncContextManager[Any] | None:
    """Own clients or resources for the lifetime of the application (HTTP clients, pools).

    Called once when the application starts. Core enters every returned context manager in
    one ``AsyncExitStack`` and exits them, in reverse order, when the application stops.

    :param settings: the application's settings.
    :return: an async context manager, or None when the plugin needs no resources.
    """


# ---------------------------------------------------------------------------------------------
# Runtime
# ---------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def labelloom_resolve_media_url(url: str, project_id: int) -> str | None:
    """Say who serves a media URL such as ``s3://bucket/key`` or ``gs://bucket/key``.

    Called when a task's data is sent to a client, once per URL that is not plain HTTP(S).
    Stops at the first non-None result. Decide synchronously: return a string or None, never
    a coroutine.

    :param url: the URL found in the task's data.
    :param project_id: the project the task belongs to.
    :return: the URL the browser should load instead, or None if this plugin does not serve it.
    """


@hookspec
def labelloom_on_event(event: str, payload: dict[str, Any]) -> None:
    """React to a domain event (``ANNOTATION_CREATED``, ``PROJECT_UPDATED`` ...).

    Called after the transaction that caused the event has committed, once per event. An
    implementation must not block: enqueue a background job for slow work. An exception is
    logged with the plugin's name and does not affect the request.

    :param event: the event name, as in Label Studio's webhook actions.
    :param payload: the event's JSON payload (Label Studio's webhook shape).
    :return: nothing.
    """

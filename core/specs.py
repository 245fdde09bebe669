"""The plugin contract's building blocks: the ``hookimpl`` marker and the spec classes that
registration hooks add to registries. Plugins import them from :mod:`labelloom.core.plugin`, the
public surface; core imports them from here (so the public module can re-export core helpers
without import cycles).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import pluggy

from .labelconfig.specs import ConfigProblem, RegionSpec, ResultContext

PROJECT_NAME = "labelloom"

hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for hook implementations: ``@hookimpl def labelloom_register_tags(registry): ...``"""

PREVIEWS = ("text", "html", "image", "video", "audio", "timeseries", "pdf", "dialogue", "table", "list")
"""The values of :attr:`DataTypeSpec.preview`."""


# ---------------------------------------------------------------------------------------------
# Config language: object tags (data types), control and visual tags, templates
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class DataTypeSpec:
    """An object tag (``Image``, ``Text`` ...): what data it shows and how regions on it look.

    :param name: the tag name as written in configs (matched case-insensitively).
    :param attrs: msgspec Struct of the tag's attributes (converted with ``strict=False``);
        derive from :class:`ObjectAttrs`.
    :param data_attrs: attributes that point at task data; a config must set one of them.
    :param regions: the geometries regions on this object can have (checked by core for every
        result item that targets the object).
    :param items: child tags this object accepts (e.g. channels of a plot).
    :param validate: ``validate(tag, config) -> list[ConfigProblem]``, as for :class:`TagSpec`.
    :param self_control: name of a control tag this object also acts as (results name the object
        as both ``from_name`` and ``to_name``); None for ordinary objects.
    :param mime_types: media types a file import turns into a task for this tag.
    :param extensions: file extensions (with dot) a file import accepts for this tag.
    :param sample_value: ``sample_value(node) -> value`` for the tag's data key (previews,
        template sample tasks); ``node.attrs`` holds the converted attributes.
    :param widget: ES module path relative to the plugin's ``static/`` folder.
    :param preview: how the web app previews this data outside the labeling interface (data
        manager cells and cards, gallery thumbnails): one of :data:`PREVIEWS`. ``image``,
        ``video``, ``audio``, ``timeseries`` and ``pdf`` count as visual data (cards show them
        first); any other value is shown as text.
    """

    name: str
    attrs: type | None = None
    preview: str = "text"
    data_attrs: tuple[str, ...] = ("value",)
    regions: tuple[RegionSpec, ...] = ()
    items: tuple[str, ...] = ()
    validate: Callable[[Any, Any], list[ConfigProblem]] | None = None
    self_control: str | None = None
    mime_types: tuple[str, ...] = ()
    extensions: tuple[str, ...] = ()
    sample_value: Callable[[Any], Any] | None = None
    widget: str | None = None


@dataclass(frozen=True, kw_only=True)
class TagSpec:
    """A control tag (produces results), an item declared inside another tag, or a visual tag.

    :param name: the tag name as written in configs (matched case-insensitively).
    :param kind: ``"control"`` (has ``name`` + ``toName``, writes results), ``"item"`` (only
        inside a tag whose ``items`` list it: labels, choices, channels ...) or ``"visual"``.
    :param attrs: msgspec Struct of the tag's attributes (controls derive from
        :class:`ControlAttrs`).
    :param to: object tag names a control may target; empty = any object that offers the
        control's ``region`` (or any object at all when ``region`` is None).
    :param result_type: the ``type`` of result items the control writes.
    :param region: geometry the control draws: a :class:`RegionSpec` name, ``"*"`` for whatever
        geometry its object offers, or None for classifications (per-region items may still
        carry a copy of a region's geometry, which is then checked too).
    :param value: msgspec Struct of the control's own fields inside a result ``value``.
    :param labels_key: the ``value`` field listing labels; core checks they are declared.
    :param shared_labels: the control uses the labels of every control on the same object.
    :param normalize: ``normalize(value_struct, ctx) -> value_struct``; raise
        :class:`ResultProblem` to refuse a value.
    :param items: item tags accepted inside this tag (``Label``, ``Choice`` ...).
    :param items_required: a config must declare at least one item (unless labels come from
        the task with ``value="$field"``).
    :param label: for items: the item declares a label of its control (``alias`` or ``value``).
    :param top_level: results of this type are top-level items without ``from_name``.
    :param check_item: ``check_item(item, ctx) -> item`` for top-level items.
    :param validate: ``validate(tag, config) -> list[ConfigProblem]`` for checks beyond types;
        ``tag`` has ``typed`` (the attrs Struct), ``raw``, ``children``, ``descendants()``,
        ``line``; ``config`` has ``by_name`` and ``targets_of(tag)``.
    :param example: ``example(control) -> dict``: a valid control part of a result value.
    :param sample_value: ``sample_value(node) -> value`` for task data the tag reads through
        ``value="$field"`` (e.g. options from the task).
    :param widget: ES module path relative to the plugin's ``static/`` folder.
    """

    name: str
    kind: str = "control"
    attrs: type | None = None
    to: tuple[str, ...] = ()
    result_type: str | None = None
    region: str | None = None
    value: type | None = None
    labels_key: str | None = None
    shared_labels: bool = False
    normalize: Callable[[Any, ResultContext], Any] | None = None
    items: tuple[str, ...] = ()
    items_required: bool = False
    label: bool = False
    top_level: bool = False
    check_item: Callable[[dict[str, Any], ResultContext], dict[str, Any]] | None = None
    validate: Callable[[Any, Any], list[ConfigProblem]] | None = None
    example: Callable[[Any], dict[str, Any]] | None = None
    sample_value: Callable[[Any], Any] | None = None
    widget: str | None = None


@dataclass(frozen=True, kw_only=True)
class TemplateSpec:
    """A labeling template for the gallery: a config and a sample task that fits it.

    :param name: unique id, by convention ``<plugin>.<slug>``.
    :param group: gallery category (``"Computer Vision"``, ``"Natural Language Processing"`` ...).
    :param sample_task: task data for the preview; empty = generated from the data types.
    """

    name: str
    title: str
    group: str
    config: str
    sample_task: Mapping[str, Any] = field(default_factory=dict)
    description: str = ""


# ---------------------------------------------------------------------------------------------
# Export formats
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ExporterSpec:
    """An export format.

    :param name: the ``exportType`` value (``JSON``, ``COCO`` ...).
    :param supports: result types the format can express; empty = any project.
    :param requires: result types of which the config must produce at least one (COCO needs a
        box, polygon or key point tool); empty = no such condition.
    :param requires_objects: object tags of which the config must have one (the ASR manifest
        needs ``Audio``); empty = no such condition.
    :param write: ``write(context)`` yields the file's bytes chunk by chunk (streamed); the
        context is an :class:`~labelloom.core.plugin.ExportContext`. A multi-file format
        yields a zip stream and says ``media_type="application/zip"``.
    :param link: documentation URL shown next to the format.
    :param tags: short labels shown next to the format (``["image segmentation"]``).
    """

    name: str
    title: str
    description: str = ""
    media_type: str = "application/octet-stream"
    file_extension: str = ""
    supports: frozenset[str] = frozenset()
    requires: frozenset[str] = frozenset()
    requires_objects: frozenset[str] = frozenset()
    write: Callable[[Any], AsyncIterator[bytes]] | None = None
    link: str = ""
    tags: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Storage connectors, ML backends, jobs, routes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StorageObject:
    """One object a storage lists: its key (relative to the bucket or folder) and size in bytes."""

    key: str
    size: int | None = None


@dataclass(frozen=True)
class StorageRead:
    """An open object: ``chunks`` yields its bytes (or the requested range of them).

    :param size: bytes in ``chunks``; ``total`` the object's whole size (for ``Content-Range``).
    :param start: first byte offset served (0 unless a range was asked for).
    :param close: releases the underlying connection; core calls it when done, even on errors.
    """

    chunks: Iterator[bytes]
    size: int | None
    total: int | None
    content_type: str | None = None
    start: int = 0
    close: Callable[[], None] = lambda: None


class StorageConnector(Protocol):
    """What :attr:`StorageSpec.connector` builds from a validated config.

    Calls are blocking (boto3, google-cloud-storage); core runs them in worker threads. They
    raise :class:`StorageError` with a message a user can act on ("bucket 'x' does not exist",
    "access denied for key ..."); anything else is reported as an unexpected storage failure.
    """

    def validate(self) -> None:
        """Check that the bucket or folder exists and can be listed (the *Check connection*)."""

    def iter_objects(self, *, recursive: bool) -> Iterator[StorageObject]:
        """Every object under the configured prefix, page by page (never the whole listing
        in memory); with ``recursive=False`` only the prefix's direct children."""

    def open(self, key: str, *, start: int | None = None, end: int | None = None) -> StorageRead:
        """Read an object, or bytes ``start..end`` (inclusive) of it."""

    def presign(self, key: str, *, ttl: int) -> str | None:
        """A URL the browser can fetch for ``ttl`` seconds, or None if the kind has none."""

    def write(self, key: str, data: bytes, *, content_type: str = "application/json") -> None:
        """Create or replace an object (target storages)."""

    def delete(self, key: str) -> None:
        """Remove an object; a missing object is not an error."""

    def uri(self, key: str) -> str:
        """The object's URI as task data holds it (``s3://bucket/key``)."""

    def key_of(self, uri: str) -> str | None:
        """The key inside this storage that ``uri`` names, or None if it is elsewhere."""


@dataclass(frozen=True, kw_only=True)
class StorageSpec:
    """A cloud storage connector kind (``s3``, ``gcs`` ...).

    :param name: the kind used in ``/api/storages/<name>/``.
    :param schemes: URL schemes whose media this connector can serve (``s3``, ``gs``).
    :param config: msgspec Struct of the kind's own connection settings (bucket, prefix,
        credentials ...); its fields, with ``msgspec.Meta(title=..., description=...)``,
        generate the settings dialog.
    :param secret_fields: config fields never returned by the API.
    :param connector: builds a :class:`StorageConnector` from a validated config.
    :param url_fields: config fields holding endpoint URLs (``s3_endpoint``); core checks them
        with the SSRF guard on save, on *Check connection* and before each connector is built
        (``LABELLOOM_ALLOW_PRIVATE_URLS=1`` allows private addresses, e.g. a MinIO server).
    :param served_at: a path of this server the kind's URIs point at instead of a scheme
        (``/data/local-files/`` for local files); core answers GET requests there with the
        object of the storage whose connector's ``key_of`` claims the URL (path and query).
    """

    name: str
    title: str
    schemes: tuple[str, ...] = ()
    config: type | None = None
    secret_fields: tuple[str, ...] = ()
    connector: Callable[[Any], StorageConnector] | None = None
    url_fields: tuple[str, ...] = ()
    served_at: str = ""


@dataclass(frozen=True, kw_only=True)
class MLConnection:
    """How to reach one ML backend: what core passes :attr:`MLBackendSpec.connector`.

    :param url: the backend's base URL (as the user saved it).
    :param basic_auth: ``(user, password)`` when the backend uses HTTP basic auth, else None.
    :param extra_params: the backend's ``extra_params`` (sent with ``/setup``).
    :param timeout: seconds one predict call may take (the backend's own ``timeout``; 0 = the
        connector's default).
    :param allow_private: ``LABELLOOM_ALLOW_PRIVATE_URLS``: loopback and private addresses allowed.
    """

    url: str
    basic_auth: tuple[str, str] | None = None
    extra_params: Mapping[str, Any] = field(default_factory=dict)
    timeout: float = 0.0
    allow_private: bool = False


class MLConnector(Protocol):
    """What :attr:`MLBackendSpec.connector` builds from an :class:`MLConnection`.

    Every call is a coroutine taking and returning Label Studio's JSON bodies (reference §6), and
    raises :class:`~labelloom.core.plugin.MLBackendError` with a message a user can act on
    ("timed out after 1 s", "HTTP 500: ...", "answered malformed JSON"). Core builds a connector
    per use and closes it with ``aclose()``.
    """

    async def health(self) -> dict[str, Any]:
        """``GET /health``: the backend is up (any 2xx JSON)."""

    async def setup(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /setup`` with ``{project, schema, hostname, access_token, extra_params}``;
        answers ``{"model_version": ...}``."""

    async def predict(self, body: Mapping[str, Any], *, interactive: bool = False) -> dict[str, Any]:
        """``POST /predict`` with ``{tasks, project, label_config, params}``; answers
        ``{"results": [...], "model_version"?}``. ``interactive``: a smart-tool round trip."""

    async def train(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /train`` (Label Studio's legacy training body)."""

    async def webhook(self, body: Mapping[str, Any]) -> dict[str, Any]:
        """``POST /webhook`` (``{"action": "START_TRAINING", "project": {...}}``)."""

    async def aclose(self) -> None:
        """Release connections."""


@dataclass(frozen=True, kw_only=True)
class MLBackendSpec:
    """A kind of ML backend; the connector offers ``health``, ``setup``, ``predict``, ``train``.

    :param name: the kind stored on the backend row (``http`` for Label Studio's protocol).
    :param connector: builds an :class:`MLConnector` from an :class:`MLConnection`.
    """

    name: str
    title: str
    config: type | None = None
    connector: Callable[[MLConnection], MLConnector] | None = None


@dataclass(frozen=True, kw_only=True)
class JobSpec:
    """A background job function ``async def fn(ctx, **kwargs)``, named ``<plugin>.<job>``.

    The function gets SAQ's context dict with ``settings``, ``host``, ``sessionmaker`` (sessions
    whose commits dispatch domain events), ``jobs`` (to enqueue more work) and ``job`` (report
    progress with ``labelloom.core.plugin.set_progress(ctx, 0.5, "halfway")``). Keyword arguments
    and the return value must be JSON-serialisable.

    :param timeout: seconds one attempt may run (0 = no limit).
    :param retries: attempts in total, including the first (SAQ's meaning of ``retries``).
    :param retry_delay: seconds before the second attempt; doubled for each further attempt.
    :param retry_backoff: the longest delay between attempts, in seconds.
    :param heartbeat: seconds without a sign of life after which the job counts as interrupted
        (its worker was killed) and is retried or failed. Beats are sent automatically.
    :param track: keep a row in the ``jobs`` table, readable at ``GET /api/jobs/{id}``
        (imports, exports, syncs, training: jobs a user waits for).
    """

    name: str
    function: Callable[..., Any]
    timeout: int = 600
    retries: int = 3
    retry_delay: float = 2.0
    retry_backoff: float = 300.0
    heartbeat: int = 60
    track: bool = False


@dataclass(frozen=True, kw_only=True)
class ActionSpec:
    """A data-manager action (``POST /api/dm/actions/?id=<name>``) on the selected tasks.

    :param name: the action id (Label Studio's: ``delete_tasks``, ``delete_tasks_annotations`` ...).
    :param function: ``async def run(context) -> dict``; ``context`` is a
        :class:`~labelloom.core.plugin.ActionContext` (``db``, ``project``, ``user``,
        ``selected_ids()`` a subquery of the selected task ids, ``params`` the request body).
        Return ``{"processed_items": n, "detail": "...", "reload": bool}``. Work set-based and
        call ``labelloom.core.plugin.refresh_tasks`` after changing annotations.
    :param dialog: Label Studio's confirmation dialog (``{"title", "text", "type", "form"}``).
    :param form: ``async form(db, project) -> list`` for actions that take parameters: Label
        Studio's form schema (``[{"columnCount": 1, "fields": [{"type", "name", "label",
        "options"}]}]``), served by ``GET /api/dm/actions/<name>/form/``; the submitted values
        arrive in ``context.params``.
    """

    name: str
    title: str
    function: Callable[[Any], Awaitable[dict[str, Any]]]
    order: int = 100
    permission: str = "tasks.change"
    experimental: bool = False
    dialog: Mapping[str, Any] | None = None
    hidden: bool = False
    form: Callable[[Any, Any], Awaitable[list[dict[str, Any]]]] | None = None


@dataclass(frozen=True, kw_only=True)
class SettingsPanelSpec:
    """A section of a project's settings page, rendered by the plugin's own ES module.

    ``/projects/<id>/settings/<name>`` shows it; the module's default export is called as
    ``render({el, project, api, ctx})`` and may return a cleanup function. ``project`` is the
    project JSON, ``api`` the app's API client (``get``/``post``/``patch``/``delete`` with the
    session's CSRF header), ``ctx.toast(message, {kind})`` shows a notice,
    ``ctx.setDirty(bool)`` marks unsaved edits (the page asks before leaving) and
    ``ctx.reloadProject()`` fetches the project again. Use it for settings that belong to a
    plugin: model connections, cloud storages, quality rules.

    :param name: the URL segment; unique, and not one of core's sections (``general``,
        ``labeling``, ``instructions``, ``annotation``, ``danger``).
    :param title: the section's label in the settings navigation.
    :param module: the ES module, a path inside the plugin's ``static/`` folder.
    :param icon: an icon name of the app's set (``settings``, ``cloud``, ``cpu`` ...).
    :param order: sections sort by it, after core's own (ties by title).
    """

    name: str
    title: str
    module: str
    icon: str = "settings"
    order: int = 100


METRIC_KINDS = ("region", "classification")
"""The values of :attr:`MetricSpec.kind`."""


@dataclass(frozen=True, kw_only=True)
class MetricSpec:
    """How to compare two result items of one kind, for agreement and ground-truth scores.

    Core groups an annotation's items by control (``from_name``, ``to_name``, ``type``), pairs
    items of two annotations greedily by best score and combines the scores (docs/quality.md).

    :param name: what the metric scores: a region geometry (a :class:`RegionSpec` name such as
        ``"rectangle"``) when ``kind`` is ``"region"``, else a result ``type`` (``"choices"``).
    :param kind: ``"region"``: items are regions; the score is their overlap, labels are compared
        by core; ``"classification"``: the score compares the whole value.
    :param compare: ``compare(a, b) -> float`` in [0, 1] (1 = identical), given two items' values,
        or what ``prepare`` made of them. Must be symmetric.
    :param prepare: ``prepare(item) -> object``: an expensive form of an item computed once per
        item, not once per pair (a decoded brush mask, a polygon's vertices); it receives the
        whole result item (``original_width`` lives outside ``value``). None: the ``value``.
    :param title: short human name shown on the dashboard (``"Box IoU"``).
    :param description: one sentence of what the score means.
    """

    name: str
    kind: str
    compare: Callable[[Any, Any], float]
    prepare: Callable[[dict[str, Any]], Any] | None = None
    title: str = ""
    description: str = ""


class PluginRouter:
    """Collects a plugin's extra Litestar route handlers; mounted under ``/api/plugins/<name>/``."""

    def __init__(self, plugin: str) -> None:
        self.plugin = plugin
        self.handlers: list[Any] = []

    def add(self, *handlers: Any) -> None:
        self.handlers.extend(handlers)

"""The public plugin surface: the one Labelloom module a plugin imports.

A plugin is a module (or package) registered in the ``labelloom`` entry-point group::

    [project.entry-points.labelloom]
    my_plugin = "my_package.labelloom_plugin"

It implements hooks from :mod:`labelloom.core.hookspecs` with the :data:`hookimpl` marker.
Registration hooks receive a registry and add the specs defined here; at run time core calls
methods of those specs directly, never pluggy in a loop.

Everything a plugin may use is re-exported here and listed in ``__all__`` (and documented in
``docs/plugins.md``; a test fails when a name is missing there). The rest of ``labelloom.core``
is private: it may change in any release, and a test fails when a plugin imports it.
"""

from __future__ import annotations

from .datamanager.actions import ActionContext
from .errors import BadRequest, LabelloomError, MLBackendError, NotFound, PluginError, StorageError, ValidationFailed
from .net import UnsafeURL, guarded_request
from .export.context import ExportContext
from .export.items import IMAGE_SIZE_KEYS, annotation_fields, annotator, converter_items, result_outputs, submitted_newest_first
from .export.media import MediaReader, downloaded_name, url_file_name
from .export.writer import write_tasks_json
from .export.zipstream import ZipStream
from .jobs.worker import set_progress
from .labelconfig.specs import (
    ConfigProblem,
    ControlAttrs,
    LabelItemAttrs,
    LabelsFamilyAttrs,
    ObjectAttrs,
    RegionSpec,
    ResultContext,
    ResultProblem,
    TagAttrs,
    label_list_value,
)
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
from .specs import (
    PREVIEWS,
    PROJECT_NAME,
    ActionSpec,
    DataTypeSpec,
    ExporterSpec,
    JobSpec,
    METRIC_KINDS,
    MetricSpec,
    MLBackendSpec,
    MLConnection,
    MLConnector,
    PluginRouter,
    SettingsPanelSpec,
    StorageConnector,
    StorageObject,
    StorageRead,
    StorageSpec,
    TagSpec,
    TemplateSpec,
    hookimpl,
)
from .quality.measures import exact_match, interval_iou, ranges_iou, text_similarity
from .storage.buckets import BucketConnector
from .tasks.counters import refresh_tasks

__all__ = [
    "PREVIEWS",
    "PROJECT_NAME",
    "ActionContext",
    "ActionRegistry",
    "ActionSpec",
    "BadRequest",
    "ConfigProblem",
    "ControlAttrs",
    "DataTypeRegistry",
    "DataTypeSpec",
    "ExportContext",
    "ExportRegistry",
    "ExporterSpec",
    "IMAGE_SIZE_KEYS",
    "JobRegistry",
    "JobSpec",
    "LabelItemAttrs",
    "LabelloomError",
    "LabelsFamilyAttrs",
    "MLBackendError",
    "METRIC_KINDS",
    "MetricRegistry",
    "MetricSpec",
    "MLBackendRegistry",
    "MLBackendSpec",
    "MLConnection",
    "MLConnector",
    "MediaReader",
    "NotFound",
    "ObjectAttrs",
    "PluginError",
    "PluginRouter",
    "RegionSpec",
    "ResultContext",
    "ResultProblem",
    "SettingsPanelRegistry",
    "SettingsPanelSpec",
    "StorageRegistry",
    "BucketConnector",
    "StorageConnector",
    "StorageError",
    "StorageObject",
    "StorageRead",
    "StorageSpec",
    "TagAttrs",
    "TagRegistry",
    "TagSpec",
    "TemplateRegistry",
    "TemplateSpec",
    "UnsafeURL",
    "ValidationFailed",
    "ZipStream",
    "annotation_fields",
    "annotator",
    "converter_items",
    "downloaded_name",
    "exact_match",
    "guarded_request",
    "hookimpl",
    "interval_iou",
    "label_list_value",
    "ranges_iou",
    "refresh_tasks",
    "result_outputs",
    "set_progress",
    "submitted_newest_first",
    "text_similarity",
    "url_file_name",
    "write_tasks_json",
]

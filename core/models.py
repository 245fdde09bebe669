"""Imports every core model so ``Base.metadata`` is complete (migrations, tests).

It names a model of every package, so it sits on top; ``db`` itself (the declarative base,
engine, migrations runner) imports no domain."""

from .annotations.models import Annotation, Draft
from .datamanager.models import View
from .export.models import Export
from .imports.models import FileUpload
from .jobs.models import JobRecord, QueueJob
from .predictions.models import Prediction
from .projects.models import Project, ProjectCounters
from .tasks.models import Task, TaskLock
from .users.models import ApiToken, BrowserSession, PersonalAccessToken, User
from .webhooks.models import Webhook, WebhookDelivery
from .db.base import Base

__all__ = [
    "Annotation",
    "ApiToken",
    "Base",
    "BrowserSession",
    "Draft",
    "Export",
    "FileUpload",
    "JobRecord",
    "PersonalAccessToken",
    "Prediction",
    "Project",
    "ProjectCounters",
    "QueueJob",
    "Task",
    "TaskLock",
    "User",
    "View",
    "Webhook",
    "WebhookDelivery",
]

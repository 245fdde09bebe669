"""Imports every core model so ``Base.metadata`` is complete (migrations, tests)."""

from ..annotations.models import Annotation, Draft
from ..jobs.models import JobRecord, QueueJob
from ..predictions.models import Prediction
from ..projects.models import Project
from ..tasks.models import Task, TaskLock
from ..users.models import ApiToken, BrowserSession, PersonalAccessToken, User
from ..webhooks.models import Webhook, WebhookDelivery
from .base import Base

__all__ = [
    "Annotation",
    "ApiToken",
    "Base",
    "BrowserSession",
    "Draft",
    "JobRecord",
    "PersonalAccessToken",
    "Prediction",
    "Project",
    "QueueJob",
    "Task",
    "TaskLock",
    "User",
    "Webhook",
    "WebhookDelivery",
]

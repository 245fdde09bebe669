"""Imports every core model so ``Base.metadata`` is complete (migrations, tests).

It names a model of every package, so it sits on top; ``db`` itself (the declarative base,
engine, migrations runner) imports no domain."""

from .annotations.models import Annotation, Draft
from .comments.models import Comment, CommentRead
from .history.models import AnnotationHistory
from .review.models import AnnotationReview, ReviewReservation, ReviewSettings
from .datamanager.models import View
from .datamanager.tuning import DataKeyTuning
from .export.models import Export
from .imports.models import FileUpload
from .jobs.models import JobRecord, QueueJob
from .ml.models import MLBackend
from .predictions.models import Prediction
from .quality.models import QualityRollup, QualitySettings, QualityTask
from .projects.models import Project, ProjectCounters
from .storage.models import Storage, StorageLink
from .tasks.models import Task, TaskLock
from .teams.models import (
    OrganizationMembership,
    OrganizationSettings,
    ProjectAssignmentSettings,
    ProjectMember,
    TaskAssignment,
)
from .users.models import ApiToken, BrowserSession, PersonalAccessToken, User
from .webhooks.models import Webhook, WebhookDelivery
from .db.base import Base
from .db.epochs import CacheEpoch

__all__ = [
    "Annotation",
    "AnnotationHistory",
    "AnnotationReview",
    "ApiToken",
    "Base",
    "DataKeyTuning",
    "BrowserSession",
    "CacheEpoch",
    "Comment",
    "CommentRead",
    "Draft",
    "Export",
    "FileUpload",
    "JobRecord",
    "MLBackend",
    "OrganizationMembership",
    "OrganizationSettings",
    "PersonalAccessToken",
    "Prediction",
    "Project",
    "ProjectAssignmentSettings",
    "ProjectCounters",
    "ReviewReservation",
    "ReviewSettings",
    "ProjectMember",
    "QualityRollup",
    "QualitySettings",
    "QualityTask",
    "QueueJob",
    "Storage",
    "StorageLink",
    "Task",
    "TaskAssignment",
    "TaskLock",
    "User",
    "View",
    "Webhook",
    "WebhookDelivery",
]

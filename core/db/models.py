"""Imports every core model so ``Base.metadata`` is complete (migrations, tests)."""

from ..annotations.models import Annotation, Draft
from ..predictions.models import Prediction
from ..projects.models import Project
from ..tasks.models import Task, TaskLock
from ..users.models import ApiToken, BrowserSession, PersonalAccessToken, User
from .base import Base

__all__ = [
    "Annotation",
    "ApiToken",
    "Base",
    "BrowserSession",
    "Draft",
    "PersonalAccessToken",
    "Prediction",
    "Project",
    "Task",
    "TaskLock",
    "User",
]

"""Database models, one module per aggregate; import them from here."""

from taskweb.models.base import UTCDateTime, utcnow
from taskweb.models.filters import SavedFilter
from taskweb.models.idempotency import IdempotencyKey
from taskweb.models.projects import Membership, Project, Role
from taskweb.models.tasks import PRIORITY_RANK, Task, TaskLabel, TaskPriority, TaskStatus
from taskweb.models.tokens import BrowserSession, RefreshToken, RevokedAccessToken
from taskweb.models.users import User

__all__ = [
    "PRIORITY_RANK", "BrowserSession", "IdempotencyKey", "Membership", "Project", "RefreshToken",
    "RevokedAccessToken", "Role", "SavedFilter", "Task", "TaskLabel", "TaskPriority", "TaskStatus",
    "UTCDateTime", "User", "utcnow",
]

"""Database models, one module per aggregate; import them from here."""

from taskweb.models.base import UTCDateTime, utcnow
from taskweb.models.filters import SavedFilter
from taskweb.models.history import TaskEvent, TaskEventKind
from taskweb.models.idempotency import IdempotencyKey
from taskweb.models.notifications import EmailState, Notification, NotificationKind
from taskweb.models.projects import Membership, Project, Role
from taskweb.models.reminders import Reminder
from taskweb.models.sync import SyncEvent, SyncEventKind
from taskweb.models.tasks import (
    PRIORITY_RANK,
    Task,
    TaskLabel,
    TaskPriority,
    TaskStatus,
)
from taskweb.models.tokens import (
    BrowserSession,
    PasswordReset,
    PersonalAccessToken,
    RefreshToken,
    RevokedAccessToken,
)
from taskweb.models.users import User
from taskweb.models.webhooks import (
    DeliveryStatus,
    OutboxEvent,
    Webhook,
    WebhookDelivery,
)

__all__ = [
    "PRIORITY_RANK", "BrowserSession", "EmailState", "IdempotencyKey", "Membership",
    "Notification", "NotificationKind", "PasswordReset", "PersonalAccessToken", "Project", "RefreshToken", "Reminder",
    "RevokedAccessToken", "Role", "SavedFilter", "Task", "TaskEvent", "TaskEventKind",
    "TaskLabel", "TaskPriority", "TaskStatus", "UTCDateTime", "User", "utcnow",
    "DeliveryStatus", "OutboxEvent", "Webhook", "WebhookDelivery",
]
__all__ += ["SyncEvent", "SyncEventKind"]

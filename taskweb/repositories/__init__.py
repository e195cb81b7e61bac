"""Every database query lives here, one module per aggregate. Task queries always take
who is asking."""

from taskweb.repositories.browser_sessions import BrowserSessionRepository
from taskweb.repositories.idempotency import IdempotencyRepository
from taskweb.repositories.labels import LabelRepository
from taskweb.repositories.personal_tokens import PersonalTokenRepository
from taskweb.repositories.positions import PositionRepository
from taskweb.repositories.projects import ProjectRepository
from taskweb.repositories.saved_filters import SavedFilterRepository
from taskweb.repositories.tasks import TaskRepository
from taskweb.repositories.tokens import TokenRepository
from taskweb.repositories.users import UserRepository

__all__ = [
    "BrowserSessionRepository", "IdempotencyRepository", "LabelRepository", "ProjectRepository",
    "TaskRepository", "TokenRepository", "UserRepository",
    "SavedFilterRepository",
]
__all__ += ["PersonalTokenRepository", "PositionRepository"]

"""The unit of work: one database session and the repositories that share it.

``with uow:`` commits when the block ends normally and rolls back when it raises. A
uniqueness violation becomes a domain ``Conflict`` naming the field, read from the
violated constraint's name (the naming convention gives every constraint a stable one),
and a versioned write that matched no row (another transaction changed it first)
becomes ``ChangedMeanwhile``: services never see SQLAlchemy's exceptions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from types import TracebackType

from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from taskweb.errors import ChangedMeanwhile, Conflict
from taskweb.extensions import db
from taskweb.repositories import (
    BrowserSessionRepository,
    IdempotencyRepository,
    LabelRepository,
    PersonalTokenRepository,
    PositionRepository,
    ProjectRepository,
    SavedFilterRepository,
    TaskRepository,
    TokenRepository,
    UserRepository,
)
from taskweb.repositories.bulk import BulkTaskRepository
from taskweb.repositories.history import HistoryRepository
from taskweb.repositories.live_updates import LiveUpdateRepository
from taskweb.repositories.notifications import NotificationRepository
from taskweb.repositories.outbox import OutboxRepository
from taskweb.repositories.reminders import ReminderRepository
from taskweb.repositories.sync import SyncRepository
from taskweb.repositories.trash import TrashRepository
from taskweb.repositories.webhooks import WebhookRepository

# The field each unique constraint guards, and what a person is told when it fires.
_EMAIL = ("email", "This email, or one that looks the same, is already registered.")
_USERNAME = ("username", "This username, or one that looks the same, is already taken.")
UNIQUE_FIELDS: dict[str, tuple[str, str]] = {
    "uq_users_email_lower": _EMAIL,
    "uq_users_email_skeleton": _EMAIL,
    "uq_users_username_lower": _USERNAME,
    "uq_users_username_skeleton": _USERNAME,
    "pk_idempotency_keys": ("Idempotency-Key", "This key has just been used by another request."),
    "uq_projects_owner_name": ("name", "You already have a project with this name."),
    "pk_memberships": ("user", "This person is already a member of the project."),
    "uq_saved_filters_user_name": ("name", "You already have a filter with this name."),
}
# SQLite names an index ("index 'uq_…'") or the columns ("table.a, table.b"), never a
# constraint: the columns are matched against the model's constraints instead.
_SQLITE_INDEX_RE = re.compile(r"UNIQUE constraint failed: index '(?P<name>\w+)'")
_SQLITE_COLUMNS_RE = re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)")


def violated_constraint(error: IntegrityError) -> str | None:
    """The name of the constraint ``error`` reports, on PostgreSQL and on SQLite."""
    diag = getattr(error.orig, "diag", None)
    if diag is not None and getattr(diag, "constraint_name", None):
        return diag.constraint_name
    message = str(error.orig)
    if match := _SQLITE_INDEX_RE.search(message):
        return match.group("name")
    if match := _SQLITE_COLUMNS_RE.search(message):
        return _constraint_on_columns(match.group("columns"))
    return None


def _constraint_on_columns(listed: str) -> str | None:
    columns = {part.strip() for part in listed.split(",")}
    for table in db.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, (PrimaryKeyConstraint, UniqueConstraint)):
                names = {f"{table.name}.{column.name}" for column in constraint.columns}
                if names == columns:
                    return str(constraint.name)
    return None


def conflict_for(error: IntegrityError) -> Conflict | None:
    """The domain Conflict for a uniqueness violation we know, else None."""
    name = violated_constraint(error)
    if name not in UNIQUE_FIELDS:
        return None
    field, message = UNIQUE_FIELDS[name]
    return Conflict(message, {field: [message]})


class UnitOfWork:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.users = UserRepository(session)
        self.tasks = TaskRepository(session)
        self.tokens = TokenRepository(session)
        self.idempotency = IdempotencyRepository(session)
        self.browser_sessions = BrowserSessionRepository(session)
        self.projects = ProjectRepository(session)
        self.labels = LabelRepository(session)
        self.positions = PositionRepository(session)
        self.saved_filters = SavedFilterRepository(session)
        self.trash = TrashRepository(session)
        self.bulk = BulkTaskRepository(session)
        self.notifications = NotificationRepository(session)
        self.history = HistoryRepository(session)
        self.reminders = ReminderRepository(session)
        self.personal_tokens = PersonalTokenRepository(session)
        self.sync = SyncRepository(session)
        self.live_updates = LiveUpdateRepository(session)
        self.webhooks = WebhookRepository(session)
        self.outbox = OutboxRepository(session)

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.commit()
            return
        self.rollback()
        # A flush inside the block (a repository's own, or an autoflush before a query)
        # reports a uniqueness violation the same way a commit does.
        if isinstance(exc, IntegrityError) and (conflict := conflict_for(exc)) is not None:
            raise conflict from None

    def commit(self) -> None:
        self._translating(self.session.commit)

    def flush(self) -> None:
        self._translating(self.session.flush)

    def rollback(self) -> None:
        self.session.rollback()

    def _translating(self, action: Callable[[], None]) -> None:
        try:
            action()
        except StaleDataError:
            self.session.rollback()
            raise ChangedMeanwhile() from None
        except IntegrityError as error:
            self.session.rollback()
            conflict = conflict_for(error)
            if conflict is None:
                raise
            raise conflict from None

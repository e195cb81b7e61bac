"""In-memory stand-ins for the unit of work and its repositories, the token encoder,
the clock and the security event sink: the service tests run on these, with no
database and no Flask app (the repositories' SQL is tested in tests/integration/)."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any

from taskweb.domain.live_updates import ProjectVersion
from taskweb.domain.lookalikes import skeleton
from taskweb.domain.projects import ProjectView
from taskweb.domain.task_query import TaskPage, TaskQuery
from taskweb.errors import Conflict, PreconditionFailed
from taskweb.models import (
    BrowserSession,
    EmailState,
    IdempotencyKey,
    Membership,
    Notification,
    NotificationKind,
    PasswordReset,
    PersonalAccessToken,
    Project,
    RefreshToken,
    RevokedAccessToken,
    Role,
    SavedFilter,
    Task,
    TaskEvent,
    TaskEventKind,
    TaskLabel,
    TaskPriority,
    TaskStatus,
    User,
)
from taskweb.repositories.history import HistoryEntry
from taskweb.security import PasswordHasher
from taskweb.services.auth import AuthService
from taskweb.services.tokens import TokenIssuer
from tests.unit.reminder_fakes import FakeReminderRepository
from tests.unit.webhook_fakes import FakeOutboxRepository, FakeWebhookRepository

START = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


class FakeClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class RecordedEvents:
    events: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def __call__(self, event: str, **fields: Any) -> None:
        self.events.append((event, fields))

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.events]


class FakeEncoder:
    """'Signs' a token as readable JSON, so tests can read the claims back."""

    def access_token(self, identity: str, lifetime: timedelta, claims: dict[str, Any]) -> str:
        return json.dumps({"sub": identity, "type": "access", "ttl": lifetime.total_seconds(),
                           **claims})

    def refresh_token(self, identity: str, lifetime: timedelta, claims: dict[str, Any]) -> str:
        return json.dumps({"sub": identity, "type": "refresh", **claims})


def claims_of(token: str) -> dict[str, Any]:
    return json.loads(token)


class FakeUserRepository:
    def __init__(self, clock: FakeClock) -> None:
        self.rows: dict[int, User] = {}
        self.ids = itertools.count(1)
        self.clock = clock

    def add(self, user: User) -> None:
        user.id = next(self.ids)
        user.is_active = True if user.is_active is None else user.is_active
        user.session_version = user.session_version or 1
        user.created_at = user.updated_at = self.clock()
        self.rows[user.id] = user

    def get(self, user_id: int) -> User | None:
        return self.rows.get(user_id)

    def get_by_email(self, email: str) -> User | None:
        return next((u for u in self.rows.values() if u.email.lower() == email.lower()), None)

    def get_with_token_revocation(self, user_id: int, jti: str) -> tuple[User | None, bool]:
        raise NotImplementedError  # read by the adapter's token check, not by a use case

    def email_taken(self, email: str, except_user_id: int | None = None) -> bool:
        return any(u.email_skeleton == skeleton(email) and u.id != except_user_id
                   for u in self.rows.values())

    def username_taken(self, username: str, except_user_id: int | None = None) -> bool:
        return any(u.username_skeleton == skeleton(username) and u.id != except_user_id
                   for u in self.rows.values())


class FakeTokenRepository:
    def __init__(self, clock: FakeClock) -> None:
        self.refresh: dict[str, RefreshToken] = {}
        self.revoked_access: dict[str, RevokedAccessToken] = {}
        self.resets: dict[str, PasswordReset] = {}
        self.clock = clock

    def add_refresh(self, token: RefreshToken) -> None:
        self.refresh[token.jti] = token

    def get_refresh(self, jti: str) -> RefreshToken | None:
        return self.refresh.get(jti)

    def claim_refresh(self, jti: str, at: datetime) -> bool:
        token = self.refresh.get(jti)
        if token is None or token.revoked_at is not None:
            return False
        token.revoked_at = at
        return True

    def revoke_refresh_family(self, family_id: str) -> None:
        for token in self.refresh.values():
            if token.family_id == family_id and token.revoked_at is None:
                token.revoked_at = self.clock()

    def revoke_refresh_tokens_of_user(self, user_id: int) -> None:
        for token in self.refresh.values():
            if token.user_id == user_id and token.revoked_at is None:
                token.revoked_at = self.clock()

    def revoke_access(self, jti: str, expires_at: datetime) -> None:
        self.revoked_access.setdefault(jti, RevokedAccessToken(jti=jti, expires_at=expires_at))

    def add_password_reset(self, reset: PasswordReset) -> None:
        self.resets[reset.token_hash] = reset

    def claim_password_reset(self, token_hash: str, now: datetime) -> int | None:
        reset = self.resets.get(token_hash)
        if reset is None or reset.used_at is not None or reset.expires_at <= now:
            return None
        reset.used_at = now
        return reset.user_id

    def password_reset_usable(self, token_hash: str, now: datetime) -> bool:
        reset = self.resets.get(token_hash)
        return reset is not None and reset.used_at is None and reset.expires_at > now

    def use_password_resets_of_user(self, user_id: int, now: datetime) -> None:
        for reset in self.resets.values():
            if reset.user_id == user_id and reset.used_at is None:
                reset.used_at = now

    def purge_expired(self, now: datetime) -> int:
        gone = [jti for jti, t in self.revoked_access.items() if t.expires_at < now]
        gone_refresh = [jti for jti, t in self.refresh.items() if t.expires_at < now]
        for jti in gone:
            del self.revoked_access[jti]
        for jti in gone_refresh:
            del self.refresh[jti]
        return len(gone) + len(gone_refresh)


class FakeProjectRepository:
    """Projects and memberships in dicts: ``members[(project_id, user_id)] = role``."""

    def __init__(self) -> None:
        self.rows: dict[int, Project] = {}
        self.members: dict[tuple[int, int], Role] = {}
        self.ids = itertools.count(1)

    def add(self, project: Project) -> None:
        project.id = next(self.ids)
        self.rows[project.id] = project
        self.members[(project.id, project.owner_id)] = Role.OWNER

    def inbox_of(self, user_id: int) -> Project | None:
        return next((p for p in self.rows.values() if p.owner_id == user_id and p.is_inbox),
                    None)

    def role_of(self, user_id: int, project_id: int) -> Role | None:
        return self.members.get((project_id, user_id))

    def is_member(self, user_id: int, project_id: int) -> bool:
        return (project_id, user_id) in self.members

    def get(self, user_id: int, project_id: int, *, to_write: bool = False
            ) -> ProjectView | None:
        role = self.members.get((project_id, user_id))
        return ProjectView(self.rows[project_id], role, 0, 0) if role else None

    def named(self, user_id: int, name: str) -> list[tuple[Project, Role]]:
        found = [(p, self.members[(p.id, user_id)]) for p in self.rows.values()
                 if (p.id, user_id) in self.members and p.name.lower() == name.lower()]
        return sorted(found, key=lambda row: (bool(row[0].archived),
                                              row[0].owner_id != user_id, row[0].id))


class FakeTaskRepository:
    def __init__(self, clock: FakeClock, projects: FakeProjectRepository) -> None:
        self.rows: dict[int, Task] = {}
        self.ids = itertools.count(1)
        self.clock = clock
        self.projects = projects

    def add(self, task: Task) -> None:
        task.id = next(self.ids)
        task.status = task.status or TaskStatus.TODO
        task.priority = task.priority or TaskPriority.MEDIUM
        task.version = task.version or 1
        task.created_at = task.updated_at = self.clock()
        self.rows[task.id] = task

    def delete(self, task: Task) -> None:
        del self.rows[task.id]

    def _seen(self, user_id: int, task: Task) -> Task | None:
        role = self.projects.role_of(user_id, task.project_id)
        if role is None or task.deleted_at is not None:
            return None
        task.caller_role = role
        subtasks = [t for t in self.rows.values()
                    if t.parent_id == task.id and t.deleted_at is None]
        task.subtasks_total = len(subtasks)
        task.subtasks_completed = sum(t.status is TaskStatus.COMPLETED for t in subtasks)
        return task

    def get(self, user_id: int, task_id: int, *, to_write: bool = False) -> Task | None:
        task = self.rows.get(task_id)
        return self._seen(user_id, task) if task is not None else None

    def subtasks_of(self, task: Task) -> list[Task]:
        return [t for t in self.rows.values() if t.parent_id == task.id]

    def set_labels(self, task: Task, names: list[str], keys: list[str]) -> None:
        task.labels = [TaskLabel(key=key, name=name, position=index)
                       for index, (name, key) in enumerate(zip(names, keys, strict=True))]

    def list(self, user_id: int, query: TaskQuery) -> TaskPage:
        """Membership, status and priority filters in Python; newest first."""
        tasks = [t for t in self.rows.values() if self._seen(user_id, t) is not None
                 and (not query.statuses or t.status in query.statuses)
                 and (not query.priorities or t.priority in query.priorities)]
        tasks.sort(key=lambda t: t.id, reverse=True)
        page = tasks[query.offset:query.offset + query.limit]
        return TaskPage(page, len(tasks), query.limit, query.offset, query)

    def _open_due_before(self, user_id: int, before: datetime) -> list[Task]:
        return [t for t in self.rows.values() if self._seen(user_id, t) is not None
                and t.due_date is not None and t.due_date < before
                and t.status is not TaskStatus.COMPLETED and t.parent_id is None
                and t.deleted_at is None]

    def open_due_before(self, user_id: int, before: datetime, limit: int) -> list[Task]:
        """Soonest first, then by priority (high first), then by id, as in SQL."""
        tasks = self._open_due_before(user_id, before)
        tasks.sort(key=lambda t: (t.due_date, -t.priority.rank, t.id))
        return tasks[:limit]

    def count_open_due_before(self, user_id: int, before: datetime) -> int:
        return len(self._open_due_before(user_id, before))


class FakeTrashRepository:
    """The trash over the fake task repository's rows (``deleted_at`` set)."""

    def __init__(self, tasks: FakeTaskRepository) -> None:
        self.tasks = tasks

    def put(self, task_ids: Any, at: datetime) -> None:
        for task in list(self.tasks.rows.values()):
            if (task.id in task_ids or task.parent_id in task_ids) and task.deleted_at is None:
                task.deleted_at, task.version = at, task.version + 1

    def page(self, user_id: int, roles: Any, limit: int, offset: int
             ) -> tuple[list[Task], int]:
        rows = self.tasks.rows
        trashed = [t for t in rows.values() if t.deleted_at is not None
                   and self.tasks.projects.role_of(user_id, t.project_id) in roles
                   and not (t.parent_id in rows and rows[t.parent_id].deleted_at == t.deleted_at)]
        trashed.sort(key=lambda t: (t.deleted_at, t.id), reverse=True)
        return trashed[offset:offset + limit], len(trashed)

    def get(self, user_id: int, task_id: int, *, to_write: bool = False) -> Task | None:
        task = self.tasks.rows.get(task_id)
        if task is None or task.deleted_at is None:
            return None
        role = self.tasks.projects.role_of(user_id, task.project_id)
        if role is None:
            return None
        task.caller_role = role
        return task

    def get_many(self, user_id: int, task_ids: Any, *, to_write: bool = False) -> list[Task]:
        found = [self.get(user_id, task_id) for task_id in sorted(set(task_ids))]
        return [task for task in found if task is not None]

    def restore(self, tasks: Any, at: datetime) -> None:
        for root_id, at_deleted in [(root.id, root.deleted_at) for root in tasks]:
            for task in list(self.tasks.rows.values()):
                if task.id == root_id or (task.parent_id == root_id
                                          and task.deleted_at == at_deleted):
                    task.deleted_at, task.version = None, task.version + 1

    def delete_forever(self, task: Task) -> None:
        for row in list(self.tasks.rows.values()):
            if row.id == task.id or row.parent_id == task.id:
                del self.tasks.rows[row.id]

    def empty(self, user_id: int, roles: Any) -> int:
        doomed = [t for t in self.tasks.rows.values() if t.deleted_at is not None
                  and self.tasks.projects.role_of(user_id, t.project_id) in roles]
        for task in doomed:
            self.tasks.rows.pop(task.id, None)
        return len(doomed)

    def purge_older_than(self, cutoff: datetime) -> int:
        doomed = [t for t in self.tasks.rows.values()
                  if t.deleted_at is not None and t.deleted_at < cutoff]
        for task in doomed:
            self.tasks.rows.pop(task.id, None)
        return len(doomed)


class FakeBulkTaskRepository:
    """Bulk writes over the fake task repository's rows; ``writes`` counts them."""

    def __init__(self, tasks: FakeTaskRepository) -> None:
        self.tasks = tasks
        self.writes = 0

    def lock(self, user_id: int, ids: Any) -> list[Task]:
        found = [self.tasks.get(user_id, task_id) for task_id in sorted(ids)]
        return [task for task in found if task is not None]

    def read(self, user_id: int, ids: Any, *, trashed: bool = False) -> list[Task]:
        if trashed:
            return [t for t in self.tasks.rows.values() if t.id in ids and t.deleted_at]
        return self.lock(user_id, ids)

    def projects_with_member(self, user_id: int, project_ids: Any) -> set[int]:
        return {p for p in project_ids if self.tasks.projects.is_member(user_id, p)}

    def update(self, ids: Any, at: datetime, **values: Any) -> None:
        self.writes += 1
        for task_id in ids:
            task = self.tasks.rows[task_id]
            for name, value in values.items():
                setattr(task, name, value)
            task.version += 1
            task.updated_at = at

    def move(self, ids: Any, project_id: int, at: datetime) -> list[tuple[int, int | None]]:
        self.writes += 1
        moved = []
        for task in self.tasks.rows.values():
            if task.id in ids or task.parent_id in ids:
                moved.append((task.id, task.parent_id))
                task.project_id = project_id
                if task.assignee_id and not self.tasks.projects.is_member(task.assignee_id,
                                                                          project_id):
                    task.assignee_id = None
        return moved

    def advance(self, values: dict[int, dict[str, Any]], at: datetime) -> None:
        if values:
            self.update([], at)  # one write, like the one UPDATE it stands for
        for task_id, row in values.items():
            task = self.tasks.rows[task_id]
            task.due_date, task.recurrence = row["due_date"], row["recurrence"]
            task.status, task.completed_at = TaskStatus.TODO, None
            task.version += 1
            task.updated_at = at

    def add_labels(self, rows: Any) -> None:
        self.writes += 1
        for row in rows:
            self.tasks.rows[row["task_id"]].labels.append(TaskLabel(**row))

    def remove_labels(self, ids: Any, keys: Any) -> None:
        self.writes += 1
        for task_id in ids:
            task = self.tasks.rows[task_id]
            task.labels = [label for label in task.labels if label.key not in keys]


class FakeHistoryRepository:
    """Task events in a list, oldest first; ``inserts`` counts the writes."""

    def __init__(self, tasks: FakeTaskRepository) -> None:
        self.tasks = tasks
        self.events: list[TaskEvent] = []
        self.inserts = 0

    def record(self, task_id: int, user_id: int | None, kind: TaskEventKind, at: datetime,
               changes: dict[str, list[Any]] | None = None) -> None:
        self.record_many([{"task_id": task_id, "user_id": user_id, "kind": kind, "at": at,
                           "changes": changes or {}}])

    def record_many(self, events: Any) -> None:
        if events:
            self.inserts += 1
        self.events.extend(TaskEvent(id=len(self.events) + 1, **event) for event in events)

    def of(self, task_id: int) -> list[tuple[TaskEventKind, dict[str, Any]]]:
        """The task's events as (kind, changes), oldest first."""
        return [(e.kind, e.changes) for e in self.events if e.task_id == task_id]

    def page(self, user_id: int, task_id: int, limit: int, offset: int) -> Any:
        if self.tasks.get(user_id, task_id) is None:
            return None
        events = [e for e in reversed(self.events) if e.task_id == task_id]
        return [HistoryEntry(e, None) for e in events[offset:offset + limit]], len(events)


class FakeIdempotencyRepository:
    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], IdempotencyKey] = {}

    def get(self, user_id: int, key: str) -> IdempotencyKey | None:
        return self.rows.get((user_id, key))

    def add(self, record: IdempotencyKey) -> None:
        self.rows[(record.user_id, record.key)] = record

    def purge_older_than(self, cutoff: datetime) -> int:
        return 0


class FakeBrowserSessionRepository:
    def __init__(self) -> None:
        self.rows: dict[str, BrowserSession] = {}

    def add(self, browser_session: BrowserSession) -> None:
        self.rows[browser_session.id_hash] = browser_session

    def revoke(self, user_id: int, id_hash: str, at: datetime) -> None:
        row = self.rows.get(id_hash)
        if row is not None and row.user_id == user_id and row.revoked_at is None:
            row.revoked_at = at

    def revoke_all_of_user(self, user_id: int, at: datetime) -> None:
        for row in self.rows.values():
            if row.user_id == user_id and row.revoked_at is None:
                row.revoked_at = at

    def purge_older_than(self, cutoff: datetime) -> int:
        return 0


class FakePersonalTokenRepository:
    def __init__(self, users: FakeUserRepository) -> None:
        self.users = users
        self.rows: list[PersonalAccessToken] = []

    def add(self, token: PersonalAccessToken) -> None:
        token.id = len(self.rows) + 1
        self.rows.append(token)

    def get_active(self, user_id: int, token_id: int) -> PersonalAccessToken | None:
        return next((t for t in self.rows if t.id == token_id and t.user_id == user_id
                     and t.revoked_at is None), None)

    def list_active(self, user_id: int) -> list[PersonalAccessToken]:
        mine = [t for t in self.rows if t.user_id == user_id and t.revoked_at is None]
        return sorted(mine, key=lambda t: (t.created_at, t.id), reverse=True)

    def usable_with_user(self, token_hash: str, now: datetime
                         ) -> tuple[PersonalAccessToken, User] | None:
        for token in self.rows:
            if (token.token_hash == token_hash and token.revoked_at is None
                    and (token.expires_at is None or token.expires_at > now)):
                user = self.users.get(token.user_id)
                return None if user is None else (token, user)
        return None

    def note_use(self, token_id: int, at: datetime, if_older_than: datetime) -> None:
        for token in self.rows:
            if token.id == token_id and (token.last_used_at is None
                                         or token.last_used_at < if_older_than):
                token.last_used_at = at


class FakeSavedFilterRepository:
    def __init__(self, clock: FakeClock) -> None:
        self.rows: dict[int, SavedFilter] = {}
        self.ids = itertools.count(1)
        self.clock = clock

    def add(self, saved: SavedFilter) -> None:
        saved.id = next(self.ids)
        saved.created_at = saved.updated_at = self.clock()
        self.rows[saved.id] = saved

    def delete(self, saved: SavedFilter) -> None:
        del self.rows[saved.id]

    def get(self, user_id: int, filter_id: int) -> SavedFilter | None:
        saved = self.rows.get(filter_id)
        return saved if saved is not None and saved.user_id == user_id else None

    def list(self, user_id: int) -> list[SavedFilter]:
        return sorted((f for f in self.rows.values() if f.user_id == user_id),
                      key=lambda f: (f.name.lower(), f.id))

    def name_taken(self, user_id: int, name: str, except_id: int | None = None) -> bool:
        return any(f.user_id == user_id and f.name.lower() == name.lower()
                   and f.id != except_id for f in self.rows.values())


class FakeNotificationRepository:
    """Notifications in a list; the outbox's claims are tested against PostgreSQL."""

    def __init__(self, users: FakeUserRepository, projects: FakeProjectRepository) -> None:
        self.users = users
        self.projects = projects
        self.rows: list[Notification] = []
        self.inserts = 0
        self.ids = itertools.count(1)

    def add(self, user_id: int, kind: NotificationKind, message: str, now: datetime, *,
            email_owed: bool, task_id: int | None = None, project_id: int | None = None,
            reminder_id: int | None = None) -> Notification:
        notification = Notification(
            id=next(self.ids), user_id=user_id, kind=kind, message=message[:300],
            created_at=now, task_id=task_id, project_id=project_id, reminder_id=reminder_id,
            email_state=EmailState.OWED if email_owed else EmailState.NONE,
            email_next_at=now if email_owed else None, email_attempts=0, read_at=None)
        self.rows.append(notification)
        self.inserts += 1
        return notification

    def add_many(self, rows: Any, now: datetime) -> None:
        for row in rows:
            self.add(row.user_id, row.kind, row.message, now, email_owed=row.email_owed,
                     task_id=row.task_id, project_id=row.project_id)
        self.inserts -= max(len(rows) - 1, 0)  # one INSERT for them all

    def of(self, user_id: int) -> list[Notification]:
        return [row for row in reversed(self.rows) if row.user_id == user_id]

    def page(self, user_id: int, *, unread_only: bool, limit: int, offset: int
             ) -> list[Notification]:
        rows = [row for row in self.of(user_id) if not unread_only or row.read_at is None]
        return rows[offset:offset + limit]

    def unread_state(self, user_id: int) -> tuple[int, int]:
        unread = [row.id for row in self.of(user_id) if row.read_at is None]
        return len(unread), max(unread, default=0)

    def mark_read(self, user_id: int, notification_id: int, now: datetime
                  ) -> Notification | None:
        row = next((row for row in self.of(user_id) if row.id == notification_id), None)
        if row is not None and row.read_at is None:
            row.read_at = now
        return row

    def mark_all_read(self, user_id: int, now: datetime) -> int:
        unread = [row for row in self.of(user_id) if row.read_at is None]
        for row in unread:
            row.read_at = now
        return len(unread)

    def project_names(self, project_ids: Any) -> dict[int, str]:
        return {pid: self.projects.rows[pid].name for pid in set(project_ids)
                if pid in self.projects.rows}

    def email_wanted(self, user_id: int) -> bool:
        user = self.users.get(user_id)
        return bool(user is not None and user.email_notifications is not False)

    def stop_emails_of(self, user_id: int) -> None:
        for row in self.of(user_id):
            if row.email_state is EmailState.OWED:
                row.email_state, row.email_next_at = EmailState.NONE, None


class FakeLiveUpdateRepository:
    """Project versions (``changes[project_id]``, what the database triggers number),
    seen by members only, as the real query scopes them."""

    def __init__(self, projects: FakeProjectRepository) -> None:
        self.projects = projects
        self.changes: dict[int, int] = {}

    def project_version(self, user_id: int, project_id: int) -> ProjectVersion | None:
        if not self.projects.is_member(user_id, project_id):
            return None
        return ProjectVersion(project_id, self.changes.get(project_id, 0), 0)


class FakeUnitOfWork:
    """Counts commits and rollbacks; ``conflict_on_commit`` plays a unique index firing
    (Conflict) or a versioned write that matched no row (ChangedMeanwhile) once."""

    def __init__(self, clock: FakeClock | None = None) -> None:
        self.clock = clock or FakeClock()
        self.users = FakeUserRepository(self.clock)
        self.projects = FakeProjectRepository()
        self.tasks = FakeTaskRepository(self.clock, self.projects)
        self.trash = FakeTrashRepository(self.tasks)
        self.bulk = FakeBulkTaskRepository(self.tasks)
        self.history = FakeHistoryRepository(self.tasks)
        self.tokens = FakeTokenRepository(self.clock)
        self.idempotency = FakeIdempotencyRepository()
        self.browser_sessions = FakeBrowserSessionRepository()
        self.saved_filters = FakeSavedFilterRepository(self.clock)
        self.notifications = FakeNotificationRepository(self.users, self.projects)
        self.reminders = FakeReminderRepository(self.tasks, self.projects, self.users)
        self.personal_tokens = FakePersonalTokenRepository(self.users)
        self.live_updates = FakeLiveUpdateRepository(self.projects)
        self.webhooks = FakeWebhookRepository()
        self.outbox = FakeOutboxRepository()
        self.commits = 0
        self.rollbacks = 0
        self.conflict_on_commit: PreconditionFailed | Conflict | None = None

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.rollback()

    def commit(self) -> None:
        if self.conflict_on_commit is not None:
            conflict, self.conflict_on_commit = self.conflict_on_commit, None
            self.rollback()
            raise conflict
        self.commits += 1

    def flush(self) -> None:
        pass

    def rollback(self) -> None:
        self.rollbacks += 1


def fake_auth_service(uow: FakeUnitOfWork) -> AuthService:
    """Registration and sign-in on the fakes (cheap hashes), for tests that need people."""
    issuer = TokenIssuer(FakeEncoder(), uow.clock, timedelta(minutes=30), timedelta(days=7))
    return AuthService(uow, PasswordHasher(rounds=4), issuer, uow.clock, RecordedEvents())


class FakeAccountRepository:
    """What an account owns, read from the fake unit of work's repositories (the import
    and export use cases; deleting an account is tested against PostgreSQL)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    def owned_projects(self, user_id: int, *, to_change: bool = False) -> list[Project]:
        owned = [p for p in self.uow.projects.rows.values() if p.owner_id == user_id]
        return sorted(owned, key=lambda p: (not p.is_inbox, p.name, p.id))

    def memberships_of(self, project_ids: Any) -> list[tuple[Membership, str]]:
        return [(Membership(project_id=project_id, user_id=user_id, role=role, joined_at=START),
                 self.uow.users.rows[user_id].username)
                for (project_id, user_id), role in sorted(self.uow.projects.members.items())
                if project_id in project_ids]

    def tasks_in(self, project_ids: Any) -> list[Task]:
        return [t for t in self.uow.tasks.rows.values() if t.project_id in project_ids]

    def usernames(self, user_ids: Any) -> dict[int, str]:
        return {i: self.uow.users.rows[i].username for i in user_ids}

    def member_ids_by_username(self, project_ids: Any,
                               usernames: Any) -> dict[tuple[int, str], int]:
        wanted = {name.lower() for name in usernames}
        return {(project_id, self.uow.users.rows[user_id].username.lower()): user_id
                for (project_id, user_id) in self.uow.projects.members
                if project_id in project_ids
                and self.uow.users.rows[user_id].username.lower() in wanted}

"""Every database query lives here. Task queries always take the owner."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    case,
    delete,
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from taskweb.models import (
    PRIORITY_RANK,
    IdempotencyKey,
    RefreshToken,
    RevokedAccessToken,
    Task,
    TaskPriority,
    TaskStatus,
    User,
    utcnow,
)

SORT_FIELDS = ("created_at", "updated_at", "due_date", "priority", "title", "status")
DEFAULT_SORT = "-created_at"


@dataclass(frozen=True)
class TaskQuery:
    """Filters, sort and page of a task list, already validated."""

    statuses: tuple[TaskStatus, ...] = ()
    priorities: tuple[TaskPriority, ...] = ()
    due_before: datetime | None = None
    due_after: datetime | None = None
    text: str | None = None
    sort: str = DEFAULT_SORT
    limit: int = 20
    offset: int = 0


@dataclass
class TaskPage:
    items: list[Task]
    total: int
    limit: int
    offset: int
    query: TaskQuery = field(default_factory=TaskQuery)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


_PRIORITY_RANK_SQL = case(
    {priority.value: rank for priority, rank in PRIORITY_RANK.items()},
    value=Task.__table__.c.priority,
)
# Status sorts in workflow order (todo, in_progress, completed), like priority by rank.
_STATUS_RANK_SQL = case(
    {status.value: rank for rank, status in enumerate(TaskStatus, start=1)},
    value=Task.__table__.c.status,
)
_SORT_COLUMNS = {
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
    "due_date": Task.due_date,
    "priority": _PRIORITY_RANK_SQL,
    "title": func.lower(Task.title),
    "status": _STATUS_RANK_SQL,
}


# The statements every authenticated request runs, built once rather than per request.
_TASK_OF_OWNER = select(Task).where(
    Task.id == bindparam("task_id"), Task.owner_id == bindparam("owner_id")
)
_TOKEN_HOLDER = select(
    User,
    exists().where(RevokedAccessToken.jti == bindparam("jti")).label("revoked"),
).where(User.id == bindparam("user_id"))


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, task: Task) -> None:
        self.session.add(task)

    def delete(self, task: Task) -> None:
        self.session.delete(task)

    def get(self, owner_id: int, task_id: int) -> Task | None:
        return self.session.scalar(
            _TASK_OF_OWNER, {"task_id": task_id, "owner_id": owner_id}
        )

    def list(self, owner_id: int, query: TaskQuery) -> TaskPage:
        """One page of the owner's tasks and the number matching the filters.

        Without a text search: an index-only count and a page read in index order (two
        statements, neither reading more than it returns). With one, every candidate row
        must be read to match the text anyway, so the count rides along on the page
        (``count(*) OVER ()``, one statement) instead of matching it all twice.
        """
        conditions = self._conditions(owner_id, query)
        if query.text:
            return self._searched_page(query, conditions)
        total = self._count(conditions)
        items = list(self.session.scalars(self._page_of(select(Task), conditions, query)))
        return TaskPage(
            items=items, total=total, limit=query.limit, offset=query.offset, query=query
        )

    def _searched_page(self, query: TaskQuery, conditions: list[ColumnElement[bool]]) -> TaskPage:
        counted = select(Task, func.count().over().label("total"))
        rows = self.session.execute(self._page_of(counted, conditions, query)).all()
        if rows:
            total = rows[0].total
        elif query.offset:  # past the end: no row carries the count, so ask for it
            total = self._count(conditions)
        else:
            total = 0
        return TaskPage(items=[row[0] for row in rows], total=total, limit=query.limit,
                        offset=query.offset, query=query)

    def _count(self, conditions: list[ColumnElement[bool]]) -> int:
        return self.session.scalar(select(func.count()).select_from(Task).where(*conditions)) or 0

    def _page_of(self, statement: Select, conditions: list[ColumnElement[bool]],
                 query: TaskQuery) -> Select:
        return (
            statement.where(*conditions)
            .order_by(*self._order_by(query.sort))
            .limit(query.limit)
            .offset(query.offset)
        )

    @staticmethod
    def _conditions(owner_id: int, query: TaskQuery) -> list[ColumnElement[bool]]:
        conditions = [Task.owner_id == owner_id]
        if query.statuses:
            conditions.append(Task.status.in_(query.statuses))
        if query.priorities:
            conditions.append(Task.priority.in_(query.priorities))
        if query.due_before is not None:
            conditions.append(Task.due_date <= query.due_before)
        if query.due_after is not None:
            conditions.append(Task.due_date >= query.due_after)
        if query.text:
            pattern = f"%{_escape_like(query.text)}%"
            conditions.append(
                or_(
                    Task.title.ilike(pattern, escape="\\"),
                    Task.description.ilike(pattern, escape="\\"),
                )
            )
        return conditions

    @staticmethod
    def _order_by(sort: str) -> list:
        descending = sort.startswith("-")
        column = _SORT_COLUMNS[sort.lstrip("-")]
        ordered = column.desc() if descending else column.asc()
        tie_breaker = Task.id.desc() if descending else Task.id.asc()
        if sort.lstrip("-") == "due_date":
            # Tasks without a due date go last whichever way the list is sorted.
            return [Task.due_date.is_(None), ordered, tie_breaker]
        return [ordered, tie_breaker]


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def get_with_token_revocation(self, user_id: int, jti: str) -> tuple[User | None, bool]:
        """The user and whether the access token ``jti`` is revoked, in one statement."""
        row = self.session.execute(_TOKEN_HOLDER, {"user_id": user_id, "jti": jti}).first()
        return (row[0], bool(row[1])) if row is not None else (None, False)

    def get_by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(func.lower(User.email) == email.lower()))

    def email_taken(self, email: str, except_user_id: int | None = None) -> bool:
        return self._taken(func.lower(User.email) == email.lower(), except_user_id)

    def username_taken(self, username: str, except_user_id: int | None = None) -> bool:
        return self._taken(func.lower(User.username) == username.lower(), except_user_id)

    def _taken(self, condition, except_user_id: int | None) -> bool:
        statement = select(exists().where(condition))
        if except_user_id is not None:
            statement = select(exists().where(condition, User.id != except_user_id))
        return bool(self.session.scalar(statement))


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_refresh(self, token: RefreshToken) -> None:
        self.session.add(token)

    def get_refresh(self, jti: str) -> RefreshToken | None:
        return self.session.get(RefreshToken, jti)

    def revoke_refresh_family(self, family_id: str) -> None:
        self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    def revoke_refresh_tokens_of_user(self, user_id: int) -> None:
        self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    def revoke_access(self, jti: str, expires_at: datetime) -> None:
        if self.session.get(RevokedAccessToken, jti) is None:
            self.session.add(RevokedAccessToken(jti=jti, expires_at=expires_at))

    def purge_expired(self, now: datetime) -> int:
        """Drop records of tokens that have expired anyway; returns how many rows went."""
        removed = self.session.execute(
            delete(RevokedAccessToken).where(RevokedAccessToken.expires_at < now)
        ).rowcount
        removed += self.session.execute(
            delete(RefreshToken).where(RefreshToken.expires_at < now)
        ).rowcount
        return removed


class IdempotencyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: int, key: str) -> IdempotencyKey | None:
        return self.session.get(IdempotencyKey, (user_id, key))

    def add(self, record: IdempotencyKey) -> None:
        self.session.add(record)

    def purge_older_than(self, cutoff: datetime) -> int:
        return self.session.execute(
            delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)
        ).rowcount

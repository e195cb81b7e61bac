"""Task queries. Every one takes the owner: there is no way to fetch a task by id alone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from taskweb.domain.task_query import TaskPage, TaskQuery
from taskweb.models import PRIORITY_RANK, Task, TaskStatus


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_matches(text: str) -> ColumnElement[bool]:
    pattern = f"%{_escape_like(text)}%"
    return or_(
        Task.title.ilike(pattern, escape="\\"),
        Task.description.ilike(pattern, escape="\\"),
    )


# The SQL of each filter of domain.task_query.FILTERS, by TaskQuery attribute.
FILTER_SQL: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "statuses": lambda statuses: Task.status.in_(statuses),
    "priorities": lambda priorities: Task.priority.in_(priorities),
    "due_before": lambda moment: Task.due_date <= moment,
    "due_after": lambda moment: Task.due_date >= moment,
    "text": _text_matches,
}

_PRIORITY_RANK_SQL = case(
    {priority.value: rank for priority, rank in PRIORITY_RANK.items()},
    value=Task.__table__.c.priority,
)
# Status sorts in workflow order (todo, in_progress, completed), like priority by rank.
_STATUS_RANK_SQL = case(
    {status.value: rank for rank, status in enumerate(TaskStatus, start=1)},
    value=Task.__table__.c.status,
)
SORT_SQL = {
    "created_at": Task.created_at,
    "updated_at": Task.updated_at,
    "due_date": Task.due_date,
    "priority": _PRIORITY_RANK_SQL,
    "title": func.lower(Task.title),
    "status": _STATUS_RANK_SQL,
}

# Every authenticated request that reads one task runs this: built once, not per request.
_TASK_OF_OWNER = select(Task).where(
    Task.id == bindparam("task_id"), Task.owner_id == bindparam("owner_id")
)
# Read to write: the row stays locked until the commit, and the values are the ones the
# lock protects, even if this session had loaded the task before.
_TASK_OF_OWNER_TO_WRITE = _TASK_OF_OWNER.with_for_update().execution_options(
    populate_existing=True
)


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, task: Task) -> None:
        self.session.add(task)

    def delete(self, task: Task) -> None:
        self.session.delete(task)

    def get(self, owner_id: int, task_id: int, *, to_write: bool = False) -> Task | None:
        """The owner's task; ``to_write`` locks its row until the unit of work ends, so
        writers of one task queue up instead of overwriting each other."""
        statement = _TASK_OF_OWNER_TO_WRITE if to_write else _TASK_OF_OWNER
        return self.session.scalar(statement, {"task_id": task_id, "owner_id": owner_id})

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
        return [
            Task.owner_id == owner_id,
            *(FILTER_SQL[name](value) for name, value in query.active_filters.items()),
        ]

    @staticmethod
    def _order_by(sort: str) -> list[ColumnElement[Any]]:
        descending = sort.startswith("-")
        column = SORT_SQL[sort.lstrip("-")]
        ordered = column.desc() if descending else column.asc()
        tie_breaker = Task.id.desc() if descending else Task.id.asc()
        if sort.lstrip("-") == "due_date":
            # Tasks without a due date go last whichever way the list is sorted.
            return [Task.due_date.is_(None), ordered, tie_breaker]
        return [ordered, tie_breaker]

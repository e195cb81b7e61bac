"""Task queries. Every one takes who is asking and joins their memberships: there is no
way to fetch a task by id alone, and a task of a project one does not belong to is not
there (a 404, never a 403 that would tell it exists)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    inspect,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.orm.attributes import set_committed_value

from taskweb.domain.task_query import NONE, TaskPage, TaskQuery
from taskweb.models import PRIORITY_RANK, Membership, Task, TaskLabel, TaskStatus
from taskweb.repositories.filter_sql import filter_condition


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _text_matches(text: str) -> ColumnElement[bool]:
    """Title or description contains ``text``, case-insensitively.

    Written as ``lower(column) LIKE lower(pattern)`` (what ILIKE is on SQLite) so that
    PostgreSQL cannot use the global trigram indexes: a common word matches tens of
    thousands of other people's rows there, and the cost grew with the whole table. The
    plan starts from the caller's projects instead and reads only their tasks, a cost
    that grows with what the caller can see (bench/RESULTS.md, issue 15).
    """
    pattern = func.lower(f"%{_escape_like(text)}%")
    return or_(
        func.lower(Task.title).like(pattern, escape="\\"),
        func.lower(Task.description).like(pattern, escape="\\"),
    )


def _has_labels(keys: tuple[str, ...]) -> ColumnElement[bool]:
    return and_(*(
        exists().where(TaskLabel.task_id == Task.id, TaskLabel.key == key) for key in keys
    ))


def _is_or_none(column: Any) -> Callable[[int | str], ColumnElement[bool]]:
    return lambda value: column.is_(None) if value == NONE else column == value


# The SQL of each filter of domain.task_query.FILTERS, by TaskQuery attribute. (An
# assignee of `me` is made the caller's id by the service before it gets here.)
FILTER_SQL: dict[str, Callable[[Any], ColumnElement[bool]]] = {
    "statuses": lambda statuses: Task.status.in_(statuses),
    "priorities": lambda priorities: Task.priority.in_(priorities),
    "due_before": lambda moment: Task.due_date <= moment,
    "due_after": lambda moment: Task.due_date >= moment,
    "text": _text_matches,
    "project_ids": lambda ids: Task.project_id.in_(ids),
    "labels": _has_labels,
    "assignee": _is_or_none(Task.assignee_id),
    "parent": _is_or_none(Task.parent_id),
    "expression": lambda node: filter_condition(node, _text_matches),
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
    "position": Task.position,
}

_subtasks = aliased(Task)
# Subtask progress rides along on the task's own row (an index on parent_id serves both).
SUBTASKS_TOTAL = (select(func.count()).where(_subtasks.parent_id == Task.id,
                                             _subtasks.deleted_at.is_(None))
                  .correlate(Task).scalar_subquery())
SUBTASKS_COMPLETED = (select(func.count()).where(_subtasks.parent_id == Task.id,
                                                 _subtasks.deleted_at.is_(None),
                                                 _subtasks.status == TaskStatus.COMPLETED)
                      .correlate(Task).scalar_subquery())


def member_of_project(user_id: Any) -> Any:
    """The join of a task to ``user_id``'s membership of its project (the trash's queries
    use it as it is)."""
    return and_(Membership.project_id == Task.project_id, Membership.user_id == user_id)


def _visible_to(user_id: Any) -> Any:
    """The join that scopes tasks to the projects ``user_id`` belongs to. A task in the
    trash is not there either (only the trash's own queries see it)."""
    return and_(member_of_project(user_id), Task.deleted_at.is_(None))


# The labels ride on the row too (Task.label_text): a task or a page is one statement.
TASKS_SEEN = select(Task, Membership.role, SUBTASKS_TOTAL, SUBTASKS_COMPLETED).join(
    Membership, _visible_to(bindparam("user_id"))
)

# Every authenticated request that reads one task runs this: built once, not per request.
_TASK_SEEN_BY = TASKS_SEEN.where(Task.id == bindparam("task_id"))
# Read to write: the task's row stays locked until the commit, and the values are the
# ones the lock protects, even if this session had loaded the task before.
_TASK_SEEN_BY_TO_WRITE = _TASK_SEEN_BY.with_for_update(of=Task).execution_options(
    populate_existing=True
)


def loaded_task(row: Any) -> Task:
    """The task of a result row, with what the row says about it for the caller."""
    task, role, total, completed = row
    task.caller_role, task.subtasks_total, task.subtasks_completed = role, total, completed
    return task


class TaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, task: Task) -> None:
        self.session.add(task)

    def delete(self, task: Task) -> None:
        self.session.delete(task)

    def get(self, user_id: int, task_id: int, *, to_write: bool = False) -> Task | None:
        """A task of a project ``user_id`` belongs to, with ``caller_role`` and subtask
        progress; ``to_write`` locks its row until the unit of work ends, so writers of
        one task queue up instead of overwriting each other."""
        statement = _TASK_SEEN_BY_TO_WRITE if to_write else _TASK_SEEN_BY
        row = self.session.execute(statement, {"task_id": task_id, "user_id": user_id}).first()
        return loaded_task(row) if row is not None else None

    def subtasks_of(self, task: Task) -> list[Task]:
        """Every subtask of ``task``, those in the trash included (they move with it)."""
        return list(self.session.scalars(select(Task).where(Task.parent_id == task.id)))

    def set_labels(self, task: Task, names: list[str], keys: list[str]) -> None:
        """Replace the task's labels (``keys`` are the names' comparison keys)."""
        state = inspect(task)
        if state.persistent and "labels" in state.unloaded:
            self.session.refresh(task, ["labels"])  # the old ones, to delete them
        task.labels = [TaskLabel(key=key, name=name, position=index)
                       for index, (name, key) in enumerate(zip(names, keys, strict=True))]
        set_committed_value(task, "label_text", ",".join(names))

    def list(self, user_id: int, query: TaskQuery) -> TaskPage:
        """One page of the tasks ``user_id`` may see and the number matching the filters.

        Without a text search: an index-only count and a page read in index order (two
        statements, neither reading more than it returns). With one, every candidate row
        must be read to match the text anyway, so the count rides along on the page
        (``count(*) OVER ()``, one statement) instead of matching it all twice.
        """
        conditions = self._conditions(query)
        parameters = {"user_id": user_id}
        if query.text:
            return self._searched_page(query, conditions, parameters)
        total = self._count(conditions, parameters)
        rows = self.session.execute(self._page_of(TASKS_SEEN, conditions, query), parameters)
        return TaskPage(items=[loaded_task(row) for row in rows], total=total, limit=query.limit,
                        offset=query.offset, query=query)

    def _searched_page(self, query: TaskQuery, conditions: list[ColumnElement[bool]],
                       parameters: dict[str, Any]) -> TaskPage:
        counted = TASKS_SEEN.add_columns(func.count().over().label("total"))
        rows = self.session.execute(self._page_of(counted, conditions, query), parameters).all()
        if rows:
            total = rows[0].total
        elif query.offset:  # past the end: no row carries the count, so ask for it
            total = self._count(conditions, parameters)
        else:
            total = 0
        return TaskPage(items=[loaded_task(row[:4]) for row in rows], total=total,
                        limit=query.limit, offset=query.offset, query=query)

    def _count(self, conditions: list[ColumnElement[bool]], parameters: dict[str, Any]) -> int:
        counted = (select(func.count()).select_from(Task)
                   .join(Membership, _visible_to(bindparam("user_id"))).where(*conditions))
        return self.session.scalar(counted, parameters) or 0

    def _page_of(self, statement: Select, conditions: list[ColumnElement[bool]],
                 query: TaskQuery) -> Select:
        return (
            statement.where(*conditions)
            .order_by(*self._order_by(query.sort))
            .limit(query.limit)
            .offset(query.offset)
        )

    @staticmethod
    def _conditions(query: TaskQuery) -> list[ColumnElement[bool]]:
        return [FILTER_SQL[name](value) for name, value in query.active_filters.items()]

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

    def open_due_before(self, user_id: int, before: datetime, limit: int) -> list[Task]:
        """The open top-level tasks of every project ``user_id`` belongs to that are due
        before ``before`` (Today and Upcoming), soonest first, then by priority (high
        first): one statement on the (project_id, due_date) index, labels in one more."""
        statement = (TASKS_SEEN.where(*_open_due_before(before))
                     .order_by(Task.due_date, _PRIORITY_RANK_SQL.desc(), Task.id)
                     .limit(limit))
        return [loaded_task(row) for row in self.session.execute(statement, {"user_id": user_id})]

    def count_open_due_before(self, user_id: int, before: datetime) -> int:
        """How many tasks ``open_due_before`` would list without a limit (the sidebar's
        Today count)."""
        counted = (select(func.count()).select_from(Task)
                   .join(Membership, _visible_to(bindparam("user_id")))
                   .where(*_open_due_before(before)))
        return self.session.scalar(counted, {"user_id": user_id}) or 0


def _open_due_before(before: datetime) -> list[ColumnElement[bool]]:
    """Not completed, not in the trash, top-level, due before ``before``."""
    return [Task.due_date < before, Task.status != TaskStatus.COMPLETED,
            Task.parent_id.is_(None), Task.deleted_at.is_(None)]

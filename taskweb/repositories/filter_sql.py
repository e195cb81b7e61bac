"""A filter's AST (its dates already resolved, ``domain.filter_dates``) as one SQL
condition on ``Task``, for the list query of ``repositories.tasks``.

Every subquery that reads a name (a project, a username) is limited to the caller's
memberships through the statement's ``user_id`` parameter, the one the list query
binds to scope its tasks: a name the caller cannot see matches nothing. Everything is
inline (subqueries and EXISTS), so a filter adds no statement to a list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    exists,
    false,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import aliased

from taskweb.domain.filter_dates import Missing, Overdue, ResolvedNode, Window
from taskweb.domain.filter_grammar import ME, NONE, And, Not, Or, Term, Text
from taskweb.models import (
    Membership,
    Project,
    Task,
    TaskLabel,
    TaskPriority,
    TaskStatus,
    User,
)

TextMatcher = Callable[[str], ColumnElement[bool]]

DATE_COLUMNS = {"due": Task.due_date, "created": Task.created_at, "updated": Task.updated_at}
IS_SQL: dict[str, Callable[[], ColumnElement[bool]]] = {
    "recurring": lambda: Task.recurrence.is_not(None),
    "subtask": lambda: Task.parent_id.is_not(None),
    "assigned": lambda: Task.assignee_id.is_not(None),
    "shared": lambda: _member_count() > 1,
}
HAS_SQL: dict[str, Callable[[], ColumnElement[bool]]] = {
    "due": lambda: Task.due_date.is_not(None),
    "description": lambda: and_(Task.description.is_not(None), Task.description != ""),
    "labels": lambda: exists().where(TaskLabel.task_id == Task.id),
}


def _caller() -> Any:
    return bindparam("user_id")


def _member_count() -> Any:
    others = aliased(Membership)
    return (select(func.count()).select_from(others)
            .where(others.project_id == Task.project_id).correlate(Task).scalar_subquery())


def _projects_named(names: list[str]) -> ColumnElement[bool]:
    """Tasks of the caller's projects with one of ``names`` (any case)."""
    mine = aliased(Membership)
    named = (select(Project.id)
             .join(mine, and_(mine.project_id == Project.id, mine.user_id == _caller()))
             .where(func.lower(Project.name).in_([name.lower() for name in names])))
    return Task.project_id.in_(named)


def _assigned_to(values: tuple[str, ...]) -> ColumnElement[bool]:
    """``me``, ``none`` or usernames (any case) of people who share a project with the
    caller."""
    conditions: list[ColumnElement[bool]] = []
    if ME in values:
        conditions.append(Task.assignee_id == _caller())
    if NONE in values:
        conditions.append(Task.assignee_id.is_(None))
    names = [value.lower() for value in values if value not in (ME, NONE)]
    if names:
        theirs, mine = aliased(Membership), aliased(Membership)
        people = (select(User.id)
                  .join(theirs, theirs.user_id == User.id)
                  .join(mine, and_(mine.project_id == theirs.project_id,
                                   mine.user_id == _caller()))
                  .where(func.lower(User.username).in_(names)))
        conditions.append(Task.assignee_id.in_(people))
    return or_(*conditions)


def _labelled(names: tuple[str, ...]) -> ColumnElement[bool]:
    keys = [name.casefold() for name in names]  # as services.validation.label_key
    return exists().where(TaskLabel.task_id == Task.id, TaskLabel.key.in_(keys))


def _term(term: Term) -> ColumnElement[bool]:
    values: tuple[Any, ...] = term.values
    if term.key == "status":
        return Task.status.in_([TaskStatus(value) for value in values])
    if term.key == "priority":
        return Task.priority.in_([TaskPriority(value) for value in values])
    if term.key == "project":
        return _projects_named(list(values))
    if term.key == "label":
        return _labelled(values)
    if term.key == "assignee":
        return _assigned_to(values)
    table = IS_SQL if term.key == "is" else HAS_SQL
    return or_(*(table[value]() for value in values))


def _window(window: Window) -> ColumnElement[bool]:
    column = DATE_COLUMNS[window.key]
    bounds = [column.is_not(None)]
    if window.start is not None:
        bounds.append(column >= window.start)
    if window.end is not None:
        bounds.append(column < window.end)
    return and_(*bounds)


def _overdue(overdue: Overdue) -> ColumnElement[bool]:
    due = Task.due_date
    return and_(
        Task.status != TaskStatus.COMPLETED,
        or_(due < overdue.start_of_today,
            # Due later today: overdue once its time has passed. A due date without a
            # time is the start of the day, which this leaves out.
            and_(due > overdue.start_of_today, due < overdue.now)),
    )


def filter_condition(node: ResolvedNode, text_matches: TextMatcher) -> ColumnElement[bool]:
    """The SQL of ``node``; ``text_matches`` is the list's own text search (a bare word
    or a phrase matches as ``q`` does)."""
    if isinstance(node, And):
        return and_(*(filter_condition(operand, text_matches) for operand in node.operands))
    if isinstance(node, Or):
        return or_(*(filter_condition(operand, text_matches) for operand in node.operands))
    if isinstance(node, Not):
        # NOT of an unknown (a comparison with NULL) is unknown, which would leave out a
        # task without a due date from "-due:today": an unknown counts as false first.
        return not_(func.coalesce(filter_condition(node.operand, text_matches), false()))
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Text):
        return text_matches(node.text)
    if isinstance(node, Window):
        return _window(node)
    if isinstance(node, Missing):
        return DATE_COLUMNS[node.key].is_(None)
    return _overdue(node)

"""The trash: tasks whose ``deleted_at`` is set. Every other task query skips them (see
``repositories/tasks.py``); these are the only queries that see them, and like every
task query they join the caller's memberships.

A task goes to the trash with its subtasks, all stamped with the same instant: that
shared ``deleted_at`` is what "the subtasks trashed with it" means on restore.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from taskweb.models import Membership, Role, Task, TaskEvent, TaskLabel
from taskweb.repositories.tasks import member_of_project

_batch = aliased(Task)
# How many subtasks went to the trash together with the task (same instant).
SUBTASKS_TRASHED_WITH = (
    select(func.count()).where(_batch.parent_id == Task.id,
                               _batch.deleted_at == Task.deleted_at)
    .correlate(Task).scalar_subquery()
)


_TRASHED = (select(Task, Membership.role, SUBTASKS_TRASHED_WITH)
            .join(Membership, member_of_project(bindparam("user_id")))
            .where(Task.deleted_at.is_not(None)))
_TRASHED_BY_ID = _TRASHED.where(Task.id == bindparam("task_id"))
_TRASHED_BY_ID_TO_WRITE = _TRASHED_BY_ID.with_for_update(of=Task).execution_options(
    populate_existing=True)


def _loaded(row: Any) -> Task:
    task, role, subtasks = row
    task.caller_role, task.subtasks_total, task.subtasks_completed = role, subtasks, 0
    return task


def _trash_roots() -> Any:
    """Not a subtask that went to the trash together with its parent (the parent's
    entry stands for both)."""
    parent = aliased(Task)
    return ~select(parent.id).where(parent.id == Task.parent_id,
                                    parent.deleted_at == Task.deleted_at).exists()


class TrashRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def put(self, task_ids: Collection[int], at: datetime) -> None:
        """Move the tasks and their subtasks still out of the trash into it, at ``at``;
        each row's version moves, so a write that read it before fails (412)."""
        ids = list(task_ids)
        self.session.execute(
            update(Task)
            .where(or_(Task.id.in_(ids), Task.parent_id.in_(ids)), Task.deleted_at.is_(None))
            .values(deleted_at=at, version=Task.version + 1, updated_at=at)
            # The loaded ones learn of it (RETURNING), so the request reads no stale copy.
            .execution_options(synchronize_session="fetch")
        )

    def page(self, user_id: int, roles: Collection[Role], limit: int,
             offset: int) -> tuple[list[Task], int]:
        """The trash of the projects where ``user_id``'s role is one of ``roles``,
        newest deletion first (a subtask trashed with its parent is counted under it)."""
        conditions = [Membership.role.in_(list(roles)), _trash_roots()]
        total = self.session.scalar(
            select(func.count()).select_from(Task)
            .join(Membership, member_of_project(user_id))
            .where(Task.deleted_at.is_not(None), *conditions)
        ) or 0
        rows = self.session.execute(
            _TRASHED.where(*conditions)
            .order_by(Task.deleted_at.desc(), Task.id.desc()).limit(limit).offset(offset),
            {"user_id": user_id},
        )
        return [_loaded(row) for row in rows], total

    def get(self, user_id: int, task_id: int, *, to_write: bool = False) -> Task | None:
        """A task in the trash of a project ``user_id`` belongs to (any role), with
        ``caller_role``; ``to_write`` locks its row until the unit of work ends."""
        statement = _TRASHED_BY_ID_TO_WRITE if to_write else _TRASHED_BY_ID
        row = self.session.execute(statement, {"task_id": task_id, "user_id": user_id}).first()
        return _loaded(row) if row is not None else None

    def get_many(self, user_id: int, task_ids: Collection[int], *, to_write: bool = False
                 ) -> list[Task]:
        """``get`` for several tasks in one statement (rows locked in id order)."""
        statement = _TRASHED.where(Task.id.in_(list(task_ids))).order_by(Task.id)
        if to_write:
            statement = statement.with_for_update(of=Task).execution_options(
                populate_existing=True)
        return [_loaded(row) for row in self.session.execute(statement, {"user_id": user_id})]

    def restore(self, tasks: Sequence[Task], at: datetime) -> None:
        """Bring ``tasks`` back, each with the subtasks trashed together with it."""
        batches = [or_(Task.id == task.id,
                       and_(Task.parent_id == task.id, Task.deleted_at == task.deleted_at))
                   for task in tasks]
        self.session.execute(
            update(Task).where(Task.deleted_at.is_not(None), or_(*batches))
            .values(deleted_at=None, version=Task.version + 1, updated_at=at)
            .execution_options(synchronize_session="fetch")
        )

    def delete_forever(self, task: Task) -> None:
        """The task and its subtasks, with their labels, gone for good."""
        self._delete(or_(Task.id == task.id, Task.parent_id == task.id))

    def empty(self, user_id: int, roles: Collection[Role]) -> int:
        """Delete for good every task in the trash of the projects where ``user_id``'s
        role is one of ``roles``. Returns how many."""
        projects = select(Membership.project_id).where(Membership.user_id == user_id,
                                                       Membership.role.in_(list(roles)))
        return self._delete(and_(Task.deleted_at.is_not(None),
                                 Task.project_id.in_(projects)))

    def purge_older_than(self, cutoff: datetime) -> int:
        """Delete for good what went to the trash before ``cutoff``. Returns how many."""
        return self._delete(Task.deleted_at < cutoff)

    def _delete(self, condition: Any) -> int:
        """Delete the tasks matching ``condition``, and their subtasks, labels and
        history: written out rather than left to the foreign keys, which SQLite enforces
        only when told."""
        # Subqueries of a DELETE of tasks: never correlated to the rows being deleted.
        doomed = select(Task.id).where(condition).correlate(None)
        doomed_or_child = or_(Task.id.in_(doomed), Task.parent_id.in_(doomed))
        victims = select(Task.id).where(doomed_or_child).correlate(None)
        self.session.execute(delete(TaskLabel).where(TaskLabel.task_id.in_(victims))
                             .execution_options(synchronize_session=False))
        self.session.execute(delete(TaskEvent).where(TaskEvent.task_id.in_(victims))
                             .execution_options(synchronize_session=False))
        self.session.execute(delete(Task).where(Task.parent_id.in_(doomed))
                             .execution_options(synchronize_session=False))
        result = self.session.execute(delete(Task).where(condition)
                                      .execution_options(synchronize_session=False))
        return result.rowcount or 0

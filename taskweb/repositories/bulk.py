"""Many tasks at once, for bulk actions: a constant number of statements whatever the
number of ids. The rows are locked in id order, so two bulk requests over overlapping
ids queue up instead of deadlocking."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, delete, insert, literal, or_, select, update
from sqlalchemy.orm import Session, selectinload

from taskweb.models import Membership, Task, TaskLabel, TaskStatus
from taskweb.repositories.tasks import (
    SUBTASKS_COMPLETED,
    SUBTASKS_TOTAL,
    TASKS_SEEN,
    loaded_task,
)

# The same columns as a task list's, for tasks that have just gone to the trash.
_TRASHED = select(Task, Membership.role, SUBTASKS_TOTAL, SUBTASKS_COMPLETED).join(
    Membership, and_(Membership.project_id == Task.project_id, Task.deleted_at.is_not(None))
).options(selectinload(Task.labels))


class BulkTaskRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock(self, user_id: int, ids: Collection[int]) -> list[Task]:
        """The tasks among ``ids`` that ``user_id`` may see (not in the trash), with
        ``caller_role`` and labels, their rows locked until the unit of work ends."""
        statement = (TASKS_SEEN.where(Task.id.in_(list(ids))).order_by(Task.id)
                     .options(selectinload(Task.labels))  # the label actions edit them
                     .with_for_update(of=Task).execution_options(populate_existing=True))
        return [loaded_task(row) for row in self.session.execute(statement, {"user_id": user_id})]

    def read(self, user_id: int, ids: Collection[int], *, trashed: bool = False
             ) -> list[Task]:
        """The tasks among ``ids`` as they are now (after a bulk write), by id; with
        ``trashed``, those of them in the trash."""
        seen = (_TRASHED.where(Membership.user_id == user_id) if trashed else TASKS_SEEN)
        statement = (seen.where(Task.id.in_(list(ids))).order_by(Task.id)
                     .execution_options(populate_existing=True))
        return [loaded_task(row) for row in self.session.execute(statement, {"user_id": user_id})]

    def projects_with_member(self, user_id: int, project_ids: Collection[int]) -> set[int]:
        """Those of ``project_ids`` that ``user_id`` is a member of."""
        return set(self.session.scalars(
            select(Membership.project_id).where(Membership.user_id == user_id,
                                                Membership.project_id.in_(list(project_ids)))
        ))

    def update(self, ids: Collection[int], at: datetime, **values: Any) -> None:
        """Set ``values`` on the tasks; their version and updated_at move."""
        if not ids:
            return
        self.session.execute(
            update(Task).where(Task.id.in_(list(ids)))
            .values(**values, version=Task.version + 1, updated_at=at)
            .execution_options(synchronize_session=False)
        )

    def advance(self, values: dict[int, dict[str, Any]], at: datetime) -> None:
        """Give each repeating task its own next ``due_date`` and ``recurrence`` (back to
        "to do", ``domain.completion``), all in one UPDATE."""
        if not values:
            return
        due_type, rule_type = Task.__table__.c.due_date.type, Task.__table__.c.recurrence.type
        self.session.execute(
            update(Task).where(Task.id.in_(list(values)))
            .values(due_date=case({task_id: literal(row["due_date"], due_type)
                                   for task_id, row in values.items()}, value=Task.id),
                    recurrence=case({task_id: literal(row["recurrence"], rule_type)
                                     for task_id, row in values.items()}, value=Task.id),
                    status=TaskStatus.TODO, completed_at=None, version=Task.version + 1,
                    updated_at=at)
            .execution_options(synchronize_session=False)
        )

    def move(self, ids: Collection[int], project_id: int, at: datetime
             ) -> list[tuple[int, int | None]]:
        """Into ``project_id`` with their subtasks (those in the trash too); an assignee
        who is not a member there is cleared. Returns (id, parent_id) of each task moved."""
        moving = or_(Task.id.in_(list(ids)), Task.parent_id.in_(list(ids)))
        members = select(Membership.user_id).where(Membership.project_id == project_id)
        self.session.execute(
            update(Task).where(moving, Task.assignee_id.not_in(members))
            .values(assignee_id=None).execution_options(synchronize_session=False)
        )
        moved = self.session.execute(
            update(Task).where(moving)
            .values(project_id=project_id, version=Task.version + 1, updated_at=at)
            .returning(Task.id, Task.parent_id)
            .execution_options(synchronize_session=False)
        )
        return [(task_id, parent_id) for task_id, parent_id in moved]

    def add_labels(self, rows: Sequence[dict[str, Any]]) -> None:
        """Insert label rows (``task_id``, ``key``, ``name``, ``position``) in one go."""
        if rows:
            self.session.execute(insert(TaskLabel), list(rows))

    def remove_labels(self, ids: Collection[int], keys: Collection[str]) -> None:
        self.session.execute(
            delete(TaskLabel).where(TaskLabel.task_id.in_(list(ids)),
                                    TaskLabel.key.in_(list(keys)))
            .execution_options(synchronize_session=False)
        )

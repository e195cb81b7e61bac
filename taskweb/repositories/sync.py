"""The sync feed's reads: the last finished change number, the changes after a position
that a user may see, and those objects' current state.

Why the last number needs a lock: PostgreSQL hands out sequence numbers before commit,
so a transaction holding 41 may commit after the one holding 42. Every numbered write
takes the advisory lock ``SYNC_LOCK_KEY`` shared (in ``sync_next_change_no()``, called by
the triggers of migration 0012) before its number, until its transaction ends. The
reader takes it exclusively in a transaction of its own: once granted, every number
handed out so far belongs to a finished transaction, and any number taken later is
larger than the one it reads. The reader commits at once, releasing the writers that
queued behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, or_, select, text, true
from sqlalchemy.orm import Session

from taskweb.domain.projects import ProjectView
from taskweb.domain.sync import (
    Change,
    ObjectKind,
    Position,
    change_of_event,
    change_of_row,
)
from taskweb.models import Membership, Project, SyncEvent, SyncEventKind, Task
from taskweb.repositories.projects import PROJECTS_SEEN, project_view
from taskweb.repositories.tasks import TASKS_SEEN, loaded_task, member_of_project

# "tasksync" as a bigint; migration 0012 writes the same number into its SQL.
SYNC_LOCK_KEY = 8386110886476607075

_EVENT_KINDS = {
    SyncEventKind.TASK_GONE: ObjectKind.TASK,
    SyncEventKind.TASK_GRANTED: ObjectKind.TASK,
    SyncEventKind.PROJECT_GONE: ObjectKind.PROJECT,
    SyncEventKind.PROJECT_GRANTED: ObjectKind.PROJECT,
}


def _after(column: Any, id_column: Any, rank: int, position: Position) -> ColumnElement[bool]:
    """Rows (of the kind ranked ``rank``) whose position is past ``position``."""
    if position.is_start:
        return true()
    if position.number > 0:
        return column > position.number
    # Inside the rows older than the feed (all number 0): go on after the id reached.
    if rank > position.rank:
        return true()
    if rank == position.rank:
        return or_(column.is_not(None), id_column > position.object_id)
    return column.is_not(None)


def _up_to(column: Any, last_number: int) -> ColumnElement[bool]:
    return or_(column.is_(None), column <= last_number)


class SyncRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def last_change_no(self) -> int:
        """The largest change number whose transaction has finished, with every smaller
        one finished too. On PostgreSQL this waits for the writers holding a number;
        call it in a unit of work of its own, which its commit ends."""
        if self.session.get_bind().dialect.name != "postgresql":
            # SQLite runs one writer at a time; the counter is read in a transaction.
            return self.session.scalar(text("SELECT value FROM change_numbers")) or 0
        self.session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                             {"key": SYNC_LOCK_KEY})
        return self.session.scalar(text(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM change_numbers")) or 0

    def task_changes(self, user_id: int, after: Position, last_number: int, limit: int
                     ) -> list[Change]:
        """Rows of tasks in ``user_id``'s projects (the trash included) changed after
        ``after`` and up to ``last_number``, in position order."""
        rows = self.session.execute(
            select(Task.id, Task.change_no)
            .join(Membership, member_of_project(user_id))
            .where(_after(Task.change_no, Task.id, ObjectKind.TASK, after),
                   _up_to(Task.change_no, last_number))
            .order_by(Task.change_no.asc().nulls_first(), Task.id).limit(limit))
        return [change_of_row(ObjectKind.TASK, task_id, number) for task_id, number in rows]

    def project_changes(self, user_id: int, after: Position, last_number: int, limit: int
                        ) -> list[Change]:
        rows = self.session.execute(
            select(Project.id, Project.change_no)
            .join(Membership, and_(Membership.project_id == Project.id,
                                   Membership.user_id == user_id))
            .where(_after(Project.change_no, Project.id, ObjectKind.PROJECT, after),
                   _up_to(Project.change_no, last_number))
            .order_by(Project.change_no.asc().nulls_first(), Project.id).limit(limit))
        return [change_of_row(ObjectKind.PROJECT, project_id, number)
                for project_id, number in rows]

    def event_changes(self, user_id: int, after: Position, last_number: int, limit: int
                      ) -> list[Change]:
        """``user_id``'s losses and gains of access after ``after`` (events are always
        numbered, so only the number matters)."""
        rows = self.session.execute(
            select(SyncEvent.change_no, SyncEvent.kind, SyncEvent.object_id)
            .where(SyncEvent.user_id == user_id,
                   SyncEvent.change_no > max(after.number, 0),
                   SyncEvent.change_no <= last_number)
            .order_by(SyncEvent.change_no).limit(limit))
        return [change_of_event(_EVENT_KINDS[kind], object_id, number)
                for number, kind, object_id in rows]

    def visible_tasks(self, user_id: int, task_ids: Sequence[int]) -> dict[int, Task]:
        """The tasks among ``task_ids`` that ``user_id`` sees now (not in the trash), as
        the task endpoints load them; labels in one more statement."""
        if not task_ids:
            return {}
        statement = (TASKS_SEEN.where(Task.id.in_(bindparam("ids", expanding=True)))
                     .execution_options(populate_existing=True))
        rows = self.session.execute(statement, {"user_id": user_id, "ids": list(task_ids)})
        return {task.id: task for task in map(loaded_task, rows)}

    def visible_projects(self, user_id: int, project_ids: Sequence[int]
                         ) -> dict[int, ProjectView]:
        if not project_ids:
            return {}
        statement = (PROJECTS_SEEN.where(Project.id.in_(bindparam("ids", expanding=True)))
                     .execution_options(populate_existing=True))
        rows = self.session.execute(statement, {"user_id": user_id, "ids": list(project_ids)})
        return {view.project.id: view for view in map(project_view, rows)}

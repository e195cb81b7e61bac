"""Task history (table task_events): written by the task services with every write of a
task, read newest first by whoever may see the task."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from taskweb.models import Membership, Task, TaskEvent, TaskEventKind, User
from taskweb.repositories.outbox import note_task_events
from taskweb.repositories.tasks import member_of_project


@dataclass(frozen=True)
class HistoryEntry:
    """One event with the name of who made it (None once that account is deleted)."""

    event: TaskEvent
    username: str | None


class HistoryRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, task_id: int, user_id: int | None, kind: TaskEventKind, at: datetime,
               changes: dict[str, list[Any]] | None = None) -> None:
        self.session.add(TaskEvent(task_id=task_id, user_id=user_id, kind=kind, at=at,
                                   changes=changes or {}))
        note_task_events(self.session, [(task_id, kind, at)])

    def record_many(self, events: Sequence[dict[str, Any]]) -> None:
        """Several events (``task_id``, ``user_id``, ``kind``, ``at``, ``changes``) in one
        INSERT: a bulk action writes one per task in a constant number of statements."""
        if events:
            self.session.execute(insert(TaskEvent), list(events))
            note_task_events(self.session, [(event["task_id"], event["kind"], event["at"])
                                            for event in events])

    def page(self, user_id: int, task_id: int, limit: int, offset: int
             ) -> tuple[list[HistoryEntry], int] | None:
        """The task's events, newest first, and how many there are; None when ``user_id``
        cannot see the task (another project's, or in the trash)."""
        visible = self.session.scalar(
            select(Task.id).join(Membership, member_of_project(user_id))
            .where(Task.id == task_id, Task.deleted_at.is_(None)))
        if visible is None:
            return None
        rows = self.session.execute(
            select(TaskEvent, User.username, func.count().over().label("total"))
            .outerjoin(User, User.id == TaskEvent.user_id)
            .where(TaskEvent.task_id == task_id)
            .order_by(TaskEvent.id.desc()).limit(limit).offset(offset)
        ).all()
        if rows:
            total = rows[0].total
        else:
            total = self.session.scalar(select(func.count()).select_from(TaskEvent)
                                        .where(TaskEvent.task_id == task_id)) or 0
        return [HistoryEntry(row[0], row[1]) for row in rows], total

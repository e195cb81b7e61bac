"""What the calendar feed reads: the owner of a feed's secret, and the open tasks with a
due date in the projects that user belongs to (with their labels, in one statement)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from taskweb.domain.calendar import FeedTask
from taskweb.models import Membership, Task, TaskLabel, TaskStatus, User
from taskweb.repositories.tasks import member_of_project


class CalendarRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def owner_of_secret(self, secret: str) -> User | None:
        """The active user whose feed has this secret (a unique index finds it)."""
        return self.session.scalar(
            select(User).where(User.calendar_secret == secret, User.is_active.is_(True)))

    def open_tasks_with_due_dates(self, user_id: int, cap: int) -> list[FeedTask]:
        """The first ``cap`` open tasks with a due date (soonest first) in the projects
        ``user_id`` belongs to, not in the trash; one statement, labels included."""
        chosen = (
            select(Task.id)
            .join(Membership, member_of_project(user_id))
            .where(Task.deleted_at.is_(None), Task.due_date.is_not(None),
                   Task.status != TaskStatus.COMPLETED)
            .order_by(Task.due_date, Task.id)
            .limit(cap)
        )
        rows = self.session.execute(
            select(Task.id, Task.title, Task.description, Task.status, Task.priority,
                   Task.due_date, Task.recurrence, Task.updated_at, TaskLabel.name)
            .outerjoin(TaskLabel, TaskLabel.task_id == Task.id)
            .where(Task.id.in_(chosen))
            .order_by(Task.due_date, Task.id, TaskLabel.position)
        ).all()
        tasks: dict[int, FeedTask] = {}
        for row in rows:
            task = tasks.get(row.id)
            if task is None:
                task = tasks[row.id] = FeedTask(
                    id=row.id, title=row.title, description=row.description,
                    status=row.status, priority=row.priority, due_date=row.due_date,
                    recurrence=row.recurrence, updated_at=row.updated_at, labels=[])
            if row.name is not None:
                task.labels.append(row.name)
        return list(tasks.values())

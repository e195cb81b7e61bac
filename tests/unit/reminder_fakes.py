"""In-memory reminders for the service tests: the same rules as
taskweb/repositories/reminders.py, in Python (its SQL is tested on PostgreSQL in
tests/integration/test_reminder_delivery.py)."""

from __future__ import annotations

import itertools
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from taskweb.models import Reminder, Task, TaskStatus
from taskweb.repositories.reminders import DueReminder


class FakeReminderRepository:
    def __init__(self, tasks: Any, projects: Any, users: Any) -> None:
        self.rows: dict[int, Reminder] = {}
        self.ids = itertools.count(1)
        self.tasks, self.projects, self.users = tasks, projects, users

    def replace(self, task: Task, times: Sequence[datetime], stale_before: datetime, *,
                new_task: bool = False) -> None:
        wanted = set(times)
        for row in [r for r in self.rows.values() if r.task_id == task.id]:
            if row.remind_at not in wanted:
                del self.rows[row.id]
        kept = {r.remind_at for r in self.rows.values() if r.task_id == task.id}
        for moment in sorted(wanted - kept):
            row = Reminder(id=next(self.ids), task_id=task.id, remind_at=moment,
                           delivered_at=stale_before if moment < stale_before else None)
            self.rows[row.id] = row
        task.reminder_times = ",".join(m.strftime("%Y-%m-%d %H:%M:%S.%f")
                                       for m in sorted(wanted)) or None

    def replace_many(self, times_by_task: dict[int, Sequence[datetime]],
                     stale_before: datetime) -> None:
        for task_id, times in times_by_task.items():
            self.replace(self.tasks.rows[task_id], times, stale_before)

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[int]:
        due = sorted((r for r in self.rows.values()
                      if r.delivered_at is None and r.remind_at <= now
                      and (r.claimed_until is None or r.claimed_until < now)),
                     key=lambda r: (r.remind_at, r.id))[:limit]
        for row in due:
            row.claimed_until = lease_until
        return sorted(r.id for r in due)

    def lock_undelivered(self, ids: Collection[int]) -> list[DueReminder]:
        found = []
        for reminder_id in sorted(set(ids)):
            row = self.rows.get(reminder_id)
            if row is None or row.delivered_at is not None:
                continue
            task = self.tasks.rows[row.task_id]
            recipient = task.assignee_id or task.owner_id
            member = self.projects.role_of(recipient, task.project_id) is not None
            user = self.users.rows.get(recipient)
            found.append(DueReminder(
                reminder=row, task_id=task.id, task_title=task.title,
                task_closed=task.deleted_at is not None or task.status is TaskStatus.COMPLETED,
                recipient_id=recipient if member else None,
                # The column's default (True) until a test sets it.
                recipient_wants_email=bool(member and user
                                           and user.email_notifications is not False)))
        return found

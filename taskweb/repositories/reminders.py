"""Reminders: a task's list of times, and the scheduler's queries on them.

A task's reminders are read with the task itself (``Task.reminder_times``, a subquery on
its row); this module writes them, and finds and locks the due ones for delivery. The
delivery queries have no caller: they are the background workers' own, and each joins
the recipient's membership of the task's project, so nobody hears of a task they can
no longer see.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from taskweb.models import Membership, Reminder, Task, TaskStatus, User


@dataclass(frozen=True)
class DueReminder:
    """A reminder locked for delivery, with what its notification needs."""

    reminder: Reminder
    task_id: int
    task_title: str
    # Not to be notified: the task is in the trash or completed, or nobody to tell.
    task_closed: bool
    recipient_id: int | None
    recipient_wants_email: bool


def _as_text(times: Sequence[datetime]) -> str | None:
    return ",".join(moment.strftime("%Y-%m-%d %H:%M:%S.%f") for moment in times) or None


def due_reminders(now: datetime, limit: int) -> Select[tuple[int]]:
    """The ids of up to ``limit`` undelivered reminders due by ``now`` and not claimed
    (or whose claim has lapsed), earliest first, rows locked, locked ones skipped: the
    partial index ix_reminders_due holds exactly the undelivered ones, by time."""
    return (select(Reminder.id)
            .where(Reminder.delivered_at.is_(None), Reminder.remind_at <= now,
                   or_(Reminder.claimed_until.is_(None), Reminder.claimed_until < now))
            .order_by(Reminder.remind_at).limit(limit)
            .with_for_update(skip_locked=True))


class ReminderRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, task: Task, times: Sequence[datetime], stale_before: datetime, *,
                new_task: bool = False) -> None:
        """Make ``times`` the task's reminders. A time the task already had keeps its row
        (and so its ``delivered_at``: an edit does not send it again); a new time before
        ``stale_before`` is stored as delivered (at that moment), never announced. A
        ``new_task`` has none to read."""
        wanted = set(times)
        existing = [] if new_task else list(
            self.session.scalars(select(Reminder).where(Reminder.task_id == task.id)))
        kept = {row.remind_at for row in existing if row.remind_at in wanted}
        gone = [row.id for row in existing if row.remind_at not in wanted]
        if gone:
            self.session.execute(delete(Reminder).where(Reminder.id.in_(gone)))
        for moment in sorted(wanted - kept):
            self.session.add(Reminder(task_id=task.id, remind_at=moment,
                                      delivered_at=stale_before if moment < stale_before else None))
        set_committed_value(task, "reminder_times", _as_text(sorted(wanted)))

    def replace_many(self, times_by_task: dict[int, Sequence[datetime]],
                     stale_before: datetime) -> None:
        """Give each task in ``times_by_task`` those reminders, all new (the repeating
        tasks a bulk completion advanced): one DELETE and one INSERT for them all."""
        if not times_by_task:
            return
        self.session.execute(delete(Reminder).where(Reminder.task_id.in_(list(times_by_task))))
        rows = [{"task_id": task_id, "remind_at": moment,
                 "delivered_at": stale_before if moment < stale_before else None}
                for task_id, times in times_by_task.items() for moment in times]
        if rows:
            self.session.execute(insert(Reminder), rows)

    def claim_due(self, now: datetime, lease_until: datetime, limit: int) -> list[int]:
        """Claim up to ``limit`` undelivered reminders due by ``now`` whose claim has
        lapsed (never claimed, or handed to a worker that has not finished them by
        ``lease_until`` of its claim), earliest first: one UPDATE on ix_reminders_due.
        Two schedulers at once claim different rows (SKIP LOCKED)."""
        claimed = self.session.scalars(
            update(Reminder).where(Reminder.id.in_(due_reminders(now, limit).scalar_subquery()))
            .values(claimed_until=lease_until).returning(Reminder.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(claimed)

    def lock_undelivered(self, ids: Collection[int]) -> list[DueReminder]:
        """The reminders of ``ids`` not yet delivered, locked until the commit, with
        their task and recipient (the assignee, else the creator, if still a member of
        the task's project). Rows another worker holds are skipped: that worker delivers
        them. One statement."""
        recipient = func.coalesce(Task.assignee_id, Task.owner_id)
        statement = (
            select(Reminder, Task.id, Task.title, Task.deleted_at, Task.status,
                   Membership.user_id, User.email_notifications)
            .join(Task, Task.id == Reminder.task_id)
            .outerjoin(Membership, and_(Membership.project_id == Task.project_id,
                                        Membership.user_id == recipient))
            .outerjoin(User, User.id == Membership.user_id)
            .where(Reminder.id.in_(list(ids)), Reminder.delivered_at.is_(None))
            .order_by(Reminder.id)
            .with_for_update(of=Reminder, skip_locked=True)
        )
        return [
            DueReminder(reminder=reminder, task_id=task_id, task_title=title,
                        task_closed=deleted_at is not None or status is TaskStatus.COMPLETED,
                        recipient_id=user_id, recipient_wants_email=bool(wants_email))
            for reminder, task_id, title, deleted_at, status, user_id, wants_email
            in self.session.execute(statement)
        ]

"""Queries for operational metrics: system-wide by nature (nobody's tasks are read)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from taskweb.models.reminders import Reminder


def oldest_due_reminder_query(now: datetime) -> Select[tuple[datetime | None]]:
    """When the earliest reminder due by ``now`` and not yet delivered was due: the first
    entry of the partial index ix_reminders_due (undelivered reminders by time), however
    many reminders there are."""
    return (select(func.min(Reminder.remind_at))
            .where(Reminder.delivered_at.is_(None), Reminder.remind_at <= now))


def oldest_due_reminder(session: Session, now: datetime) -> datetime | None:
    """``oldest_due_reminder_query``'s answer, or None when no reminder is late."""
    return session.scalar(oldest_due_reminder_query(now))

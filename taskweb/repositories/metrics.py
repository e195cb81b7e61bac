"""Queries for operational metrics: system-wide by nature (nobody's tasks are read)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taskweb.models.reminders import Reminder


def oldest_due_reminder(session: Session, now: datetime) -> datetime | None:
    """When the earliest reminder due by ``now`` and not yet delivered was due, or None.

    One read of the first entry of the partial index ix_reminders_due (undelivered
    reminders by time), however many reminders there are.
    """
    return session.scalar(select(func.min(Reminder.remind_at))
                          .where(Reminder.delivered_at.is_(None), Reminder.remind_at <= now))

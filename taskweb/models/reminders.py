"""Reminders: moments at which a task's assignee (or creator) is notified."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import UTCDateTime


class Reminder(db.Model):
    __tablename__ = "reminders"
    __table_args__ = (
        Index("ix_reminders_task", "task_id"),
        # The scheduler's one query: reminders not yet delivered, by time. Delivered
        # rows leave the index, so it stays as small as what is still to come.
        Index("ix_reminders_due", "remind_at",
              postgresql_where=text("delivered_at IS NULL"),
              sqlite_where=text("delivered_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
    )
    remind_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    # Set in the transaction that writes the reminder's notification.
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Handed to a worker until then; after it, the scheduler hands it out again (the
    # worker may have died with it).
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())

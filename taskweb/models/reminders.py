"""Reminders: moments at which a task's assignee (or creator) is notified."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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


class utc_text(FunctionElement[str]):
    """A timestamp as UTC text, ``YYYY-MM-DD HH:MM:SS.ffffff``, on every backend (SQLite
    already stores it so; PostgreSQL formats its timestamptz)."""

    type = String()
    inherit_cache = True
    name = "utc_text"


@compiles(utc_text)
def _utc_text_as_stored(element: utc_text, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(utc_text, "postgresql")
def _utc_text_on_postgresql(element: utc_text, compiler: SQLCompiler, **kw: Any) -> str:
    column = compiler.process(element.clauses, **kw)
    return f"to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"


def reminder_times_of(task_id: ColumnElement[int]) -> Any:
    """The reminder times of the task ``task_id``, comma-separated, as one scalar
    subquery: it rides on the task's own row (ix_reminders_task), so a page of tasks
    reads its reminders with no statement of its own."""
    return (select(func.aggregate_strings(utc_text(Reminder.remind_at), ","))
            .where(Reminder.task_id == task_id).scalar_subquery())


def parse_reminder_times(text_value: str | None) -> list[datetime]:
    """The datetimes (UTC, sorted) of ``reminder_times_of``'s text."""
    if not text_value:
        return []
    return sorted(datetime.fromisoformat(part).replace(tzinfo=timezone.utc)
                  for part in text_value.split(","))

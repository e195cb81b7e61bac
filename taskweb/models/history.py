"""A task's history: who created, changed, completed, moved, deleted or restored it."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import UTCDateTime, enum_column, utcnow


class TaskEventKind(str, enum.Enum):
    CREATED = "created"
    CHANGED = "changed"
    COMPLETED = "completed"
    MOVED = "moved"
    DELETED = "deleted"
    RESTORED = "restored"


class TaskEvent(db.Model):
    """One entry of ``GET /tasks/{id}/history``; ``changes`` maps a field to [old, new]."""

    __tablename__ = "task_events"
    __table_args__ = (Index("ix_task_events_task", "task_id", "id"),)

    # BIGINT: every write of every task adds a row.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True
    )
    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), nullable=False
    )
    # Who did it; kept (as null) when that account is deleted.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    kind: Mapped[TaskEventKind] = mapped_column(
        enum_column(TaskEventKind, "task_event_kind"), nullable=False
    )
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)

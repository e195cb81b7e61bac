"""Tasks, their status and priority."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskweb.extensions import db
from taskweb.models.base import TimestampMixin, UTCDateTime, enum_column

if TYPE_CHECKING:
    from taskweb.models.users import User


class TaskStatus(str, enum.Enum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class TaskPriority(str, enum.Enum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return PRIORITY_RANK[self]


PRIORITY_RANK = {TaskPriority.LOW: 1, TaskPriority.MEDIUM: 2, TaskPriority.HIGH: 3}


class Task(TimestampMixin, db.Model):
    __tablename__ = "tasks"
    __table_args__ = (
        Index("ix_tasks_owner_created", "owner_id", "created_at", "id"),
        Index("ix_tasks_owner_status", "owner_id", "status"),
        Index("ix_tasks_owner_due", "owner_id", "due_date"),
        Index("ix_tasks_owner_updated", "owner_id", "updated_at"),
        # Trigram indexes serve the `q` search (ILIKE '%…%') on PostgreSQL only.
        Index(
            "ix_tasks_title_trgm", "title",
            postgresql_using="gin", postgresql_ops={"title": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
        Index(
            "ix_tasks_description_trgm", "description",
            postgresql_using="gin", postgresql_ops={"description": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[TaskStatus] = mapped_column(
        enum_column(TaskStatus, "task_status"), nullable=False, default=TaskStatus.TODO
    )
    priority: Mapped[TaskPriority] = mapped_column(
        enum_column(TaskPriority, "task_priority"), nullable=False, default=TaskPriority.MEDIUM
    )
    due_date: Mapped[datetime | None] = mapped_column(UTCDateTime())
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    # Incremented on every update; the API exposes it as the ETag.
    version: Mapped[int] = mapped_column(default=1, server_default="1", nullable=False)
    # Every UPDATE and DELETE of a task says "WHERE version = <the version read>", so a
    # write racing another one changes nothing instead of overwriting it.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    owner: Mapped[User] = relationship(back_populates="tasks")

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.title!r}>"

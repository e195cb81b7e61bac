"""Tasks, their status and priority."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship

from taskweb.extensions import db
from taskweb.models.base import TimestampMixin, UTCDateTime, enum_column
from taskweb.models.reminders import parse_reminder_times, reminder_times_of


_NOT_READ = object()


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
        # Lists are scoped by project (through memberships): one index per sort.
        Index("ix_tasks_project_created", "project_id", "created_at", "id"),
        Index("ix_tasks_project_status", "project_id", "status"),
        Index("ix_tasks_project_due", "project_id", "due_date"),
        Index("ix_tasks_project_updated", "project_id", "updated_at"),
        Index("ix_tasks_project_position", "project_id", "position"),
        Index("ix_tasks_parent", "parent_id"),
        Index("ix_tasks_assignee", "assignee_id"),
        # The sync feed reads a user's projects' changes in number order.
        Index("ix_tasks_project_change_no", "project_id", "change_no"),
        # The trash: only deleted tasks are indexed, newest deletion first per project.
        Index("ix_tasks_project_deleted", "project_id", "deleted_at",
              postgresql_where=text("deleted_at IS NOT NULL"),
              sqlite_where=text("deleted_at IS NOT NULL")),
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
    # Who created the task (the API's created_by; owner_id is kept as its alias).
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), nullable=False
    )
    # A subtask's top-level task, in the same project (subtasks are one level deep).
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # An RFC 5545 RRULE (without the "RRULE:" prefix), read in the owner's time zone.
    recurrence: Mapped[str | None] = mapped_column(String(500))
    # Set when the task goes to the trash (its subtasks get the same instant, so a
    # restore brings back exactly those); every list but the trash's skips these rows.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Manual order within the project: compared as strings (see domain/positions.py,
    # where the services get a new task's position).
    position: Mapped[str] = mapped_column(String(64), nullable=False)
    # The sync feed's change number, stamped by a database trigger on every insert and
    # update (migration 0012); NULL on rows older than the feed, which count as 0.
    change_no: Mapped[int | None] = mapped_column(
        BigInteger, server_default=FetchedValue(), server_onupdate=FetchedValue())
    # Incremented on every update; the API exposes it as the ETag.
    version: Mapped[int] = mapped_column(default=1, server_default="1", nullable=False)
    # Every UPDATE and DELETE of a task says "WHERE version = <the version read>", so a
    # write racing another one changes nothing instead of overwriting it.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    # Loaded for a whole page at once (selectinload), never one task at a time.
    labels: Mapped[list[TaskLabel]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="raise_on_sql",
        order_by="TaskLabel.position",
    )

    # What the repository that loaded the task for somebody says about it (not columns):
    # their role in its project, and its subtasks' progress.
    caller_role = None
    subtasks_total = 0
    subtasks_completed = 0

    @property
    def created_by(self) -> int:
        return self.owner_id

    @property
    def label_names(self) -> list[str]:
        """From ``label_text`` where the task's row was read with it (every query of the
        repositories; set_labels keeps it current), else from the loaded labels."""
        text_value = self.__dict__.get("label_text", _NOT_READ)
        if text_value is not _NOT_READ:
            return text_value.split(",") if text_value else []
        return [label.name for label in self.labels]

    @property
    def reminders(self) -> list[datetime]:
        """The task's reminder times (UTC, sorted), delivered ones included."""
        return parse_reminder_times(self.reminder_times)

    @property
    def subtasks(self) -> dict[str, int]:
        return {"total": self.subtasks_total, "completed": self.subtasks_completed}

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.title!r}>"


# Read with every task, in its own row. Not expired by a flush of the task: the
# repository that writes the reminders (repositories/reminders.py) sets it itself.
Task.reminder_times = column_property(reminder_times_of(Task.id), expire_on_flush=False)


class TaskLabel(db.Model):
    """A label on a task: stored as first written, compared by ``key`` (case-folded)."""

    __tablename__ = "task_labels"
    __table_args__ = (Index("ix_task_labels_key", "key"),)

    task_id: Mapped[int] = mapped_column(
        ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    name: Mapped[str] = mapped_column(String(50), nullable=False)
    # The order the labels were given in, so they read back the same way.
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


def _label_text_of(task_id: Any) -> Any:
    """The task's label names in their order, comma-separated (a name holds no comma),
    as one scalar subquery on the task's own row: reading a task or a page of them
    needs no statement for the labels."""
    in_order = (select(TaskLabel.name).where(TaskLabel.task_id == task_id)
                .order_by(TaskLabel.position).correlate(Task).subquery())
    return select(func.aggregate_strings(in_order.c.name, ",")).scalar_subquery()


# Like reminder_times: not expired by a flush; TaskRepository.set_labels sets it itself.
Task.label_text = column_property(_label_text_of(Task.id), expire_on_flush=False)

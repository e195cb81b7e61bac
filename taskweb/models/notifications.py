"""Notifications: what a user is told in the bell (and by e-mail)."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, SmallInteger, String, text
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import UTCDateTime, enum_column, utcnow


class NotificationKind(str, enum.Enum):
    REMINDER = "reminder"
    ASSIGNED = "assigned"
    SHARED = "shared"


class EmailState(str, enum.Enum):
    """Where the notification's e-mail is: ``owed`` until sent (or given up on)."""

    NONE = "none"  # no e-mail: turned off, or no mail server
    OWED = "owed"
    SENT = "sent"
    FAILED = "failed"  # given up after its retries; the notification itself stays


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_user", "user_id", "id"),
        # The bell's count: unread rows only.
        Index("ix_notifications_unread", "user_id",
              postgresql_where=text("read_at IS NULL"),
              sqlite_where=text("read_at IS NULL")),
        # The sweep for e-mails still owed, by when the next attempt may be made.
        Index("ix_notifications_email_owed", "email_next_at",
              postgresql_where=text("email_state = 'owed'"),
              sqlite_where=text("email_state = 'owed'")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    kind: Mapped[NotificationKind] = mapped_column(
        enum_column(NotificationKind, "notification_kind"), nullable=False
    )
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE")
    )
    # The reminder this notifies of: unique, so one reminder can never notify twice,
    # whatever a worker does.
    reminder_id: Mapped[int | None] = mapped_column(
        ForeignKey("reminders.id", ondelete="SET NULL"), unique=True
    )
    message: Mapped[str] = mapped_column(String(300), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    email_state: Mapped[EmailState] = mapped_column(
        enum_column(EmailState, "email_state"), nullable=False, default=EmailState.NONE
    )
    email_attempts: Mapped[int] = mapped_column(SmallInteger, nullable=False, default=0)
    # An owed e-mail is not tried again before this (backoff after a failure).
    email_next_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

"""Accounts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Index, Integer, String, Text, func, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from taskweb.extensions import db
from taskweb.models.base import TimestampMixin

if TYPE_CHECKING:
    from taskweb.models.tasks import Task


class User(TimestampMixin, db.Model):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), nullable=False)
    username: Mapped[str] = mapped_column(String(32), nullable=False)
    full_name: Mapped[str | None] = mapped_column(String(100))
    hashed_password: Mapped[str] = mapped_column(String(128), nullable=False)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true(), nullable=False)
    # Bumped when the password changes or a refresh token is reused: browser sessions and
    # access tokens carry the version they were issued under and die with it.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1", nullable=False)
    # What the email and username look like (domain/lookalikes.py), unique, so that no
    # account can be made to pass for another with a confusable character.
    email_skeleton: Mapped[str | None] = mapped_column(Text)
    username_skeleton: Mapped[str | None] = mapped_column(Text)
    # An IANA zone: "today", due days and quick-add dates are read in it.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC", server_default="UTC",
                                           nullable=False)
    # Notifications also go out by e-mail (when a mail server is configured).
    email_notifications: Mapped[bool] = mapped_column(Boolean, default=True,
                                                      server_default=true(), nullable=False)
    # The secret in the calendar feed's URL, or None when the feed is off. Kept as it is
    # (the profile page shows the URL again): it opens only a read-only list of the
    # tasks this same database holds.
    calendar_secret: Mapped[str | None] = mapped_column(String(64))

    tasks: Mapped[list[Task]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True,
        foreign_keys="Task.owner_id",
    )

    # Flask-Login protocol, kept here because it is two lines of identity, not behaviour.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    # The browser session being started for this user (not a column): login sets it so
    # that the session cookie and the remember-me cookie name that one session.
    browser_session_id = None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}:{self.browser_session_id or ''}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username}>"


# Case-insensitive uniqueness is the database's job, not only the code's.
Index("uq_users_email_lower", func.lower(User.email), unique=True)
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_email_skeleton", User.email_skeleton, unique=True)
Index("uq_users_username_skeleton", User.username_skeleton, unique=True)
Index("uq_users_calendar_secret", User.calendar_secret, unique=True)

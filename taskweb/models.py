"""Database models: users, their tasks, and the token records behind revocation."""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import (
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from taskweb.extensions import db


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp that always comes back in UTC, on every backend.

    PostgreSQL keeps the offset; SQLite does not, so naive values read back are UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        # PostgreSQL in a UTC session hands back timezone.utc itself: nothing to convert.
        if value is None or value.tzinfo is timezone.utc:
            return value
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


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


def _enum_column(enum_class: type[enum.Enum], name: str) -> Enum:
    # Stored as VARCHAR + CHECK so that adding a value never needs an ALTER TYPE.
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, server_default=func.now()
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(),
        nullable=False,
        default=utcnow,
        onupdate=utcnow,
        server_default=func.now(),
    )


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

    tasks: Mapped[list[Task]] = relationship(
        back_populates="owner", cascade="all, delete-orphan", passive_deletes=True
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
        _enum_column(TaskStatus, "task_status"), nullable=False, default=TaskStatus.TODO
    )
    priority: Mapped[TaskPriority] = mapped_column(
        _enum_column(TaskPriority, "task_priority"), nullable=False, default=TaskPriority.MEDIUM
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


class RefreshToken(db.Model):
    """One issued refresh token. Rotation revokes it; reuse revokes its whole family."""

    __tablename__ = "refresh_tokens"

    jti: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    family_id: Mapped[str] = mapped_column(String(36), nullable=False, index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, server_default=func.now()
    )


class BrowserSession(db.Model):
    """A signed-in browser. Its id (stored hashed) is in the session and remember-me
    cookies; logging out revokes the row, so copies of those cookies open nothing."""

    __tablename__ = "browser_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, server_default=func.now()
    )
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class RevokedAccessToken(db.Model):
    """Access tokens revoked before they expire (logout). Looked up by primary key."""

    __tablename__ = "revoked_access_tokens"

    jti: Mapped[str] = mapped_column(String(36), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)


class IdempotencyKey(db.Model):
    """The task a client created under an ``Idempotency-Key``, so a retry gets it back."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    # SHA-256 of the request body: the same key with another body is a client error.
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, server_default=func.now(), index=True
    )

"""Projects (lists of tasks) and who belongs to them, with which role."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    FetchedValue,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import TimestampMixin, UTCDateTime, enum_column, utcnow


class Role(str, enum.Enum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class Project(TimestampMixin, db.Model):
    """A list of tasks. Every user has one Inbox, which cannot be renamed, shared or
    deleted; the owner is also a member (role owner), so one join scopes every query."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    name: Mapped[str] = mapped_column(String(100), nullable=False)
    description: Mapped[str | None] = mapped_column(Text)
    color: Mapped[str | None] = mapped_column(String(7))
    is_inbox: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                           nullable=False)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                           nullable=False)
    # The sync feed's change number, stamped by a database trigger (see Task.change_no).
    change_no: Mapped[int | None] = mapped_column(
        BigInteger, server_default=FetchedValue(), server_onupdate=FetchedValue())


# A name is unique among its owner's own projects, case-insensitively; one Inbox each.
Index("uq_projects_owner_name", Project.owner_id, func.lower(Project.name), unique=True)
Index("ix_projects_change_no", Project.change_no)
Index("uq_projects_owner_inbox", Project.owner_id, unique=True,
      postgresql_where=Project.is_inbox == true(), sqlite_where=Project.is_inbox == true())


class Membership(db.Model):
    """A user's role in a project."""

    __tablename__ = "memberships"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(enum_column(Role, "membership_role"), nullable=False)
    joined_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, server_default=func.now()
    )


# "The projects I belong to" starts from the user.
Index("ix_memberships_user_project", Membership.user_id, Membership.project_id)

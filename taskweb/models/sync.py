"""The sync feed's own rows: what a user lost or gained access to, numbered like changes.

Tasks and projects carry their change number themselves (``change_no``, stamped by a
database trigger on every insert and update); what cannot live on a row, because the
row is gone or because only one user's view of it changed, is a ``SyncEvent`` for that
user. The triggers (migration 0012) write them all, so no write path can forget one.
"""

from __future__ import annotations

import enum

from sqlalchemy import BigInteger, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import enum_column


class SyncEventKind(str, enum.Enum):
    TASK_GONE = "task_gone"          # deleted, or moved or left out of the user's sight
    PROJECT_GONE = "project_gone"    # deleted, or the user left or was removed
    TASK_GRANTED = "task_granted"    # the user joined the task's project
    PROJECT_GRANTED = "project_granted"  # joined the project, or their role changed


class SyncEvent(db.Model):
    """One change of one user's view, numbered from the same sequence as the rows.

    ``user_id`` has no foreign key on purpose: these rows are written by triggers while
    a user's memberships are deleted, even when the user themself is being deleted.
    """

    __tablename__ = "sync_events"
    __table_args__ = (Index("ix_sync_events_user_change", "user_id", "change_no"),)

    change_no: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[SyncEventKind] = mapped_column(
        enum_column(SyncEventKind, "sync_event_kind"), nullable=False)
    object_id: Mapped[int] = mapped_column(Integer, nullable=False)

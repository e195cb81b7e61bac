"""Notifications: each belongs to one user, and every query takes whose they are
(the outbox's sweep, which works for every user, is the one exception: it is not a view)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from taskweb.models import EmailState, Notification, NotificationKind, Project, User

# Set on the session when a write owes an e-mail (jobs/notifications.py asks for a sweep
# once it commits).
EMAIL_OWED_FLAG = "taskweb.email_owed"


@dataclass(frozen=True)
class NotificationRow:
    """A notification to write with ``add_many`` (the fields ``add`` takes)."""

    user_id: int
    kind: NotificationKind
    message: str
    email_owed: bool
    task_id: int | None = None
    project_id: int | None = None


@dataclass(frozen=True)
class OwedEmail:
    """An e-mail the outbox has claimed, with what it needs to write it."""

    notification_id: int
    user_id: int
    address: str
    username: str
    kind: NotificationKind
    message: str
    task_id: int | None
    project_id: int | None
    created_at: datetime
    attempts: int


def _values(row: NotificationRow, now: datetime) -> dict[str, Any]:
    return {
        "user_id": row.user_id, "kind": row.kind, "message": row.message[:300],
        "created_at": now, "task_id": row.task_id, "project_id": row.project_id,
        "email_state": EmailState.OWED if row.email_owed else EmailState.NONE,
        "email_next_at": now if row.email_owed else None, "email_attempts": 0,
    }


class NotificationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: int, kind: NotificationKind, message: str, now: datetime, *,
            email_owed: bool, task_id: int | None = None, project_id: int | None = None,
            reminder_id: int | None = None) -> Notification:
        """A new notification for ``user_id``; with ``email_owed`` its e-mail is owed
        from ``now`` (the outbox: the e-mail jobs send what is owed, after the commit)."""
        notification = Notification(
            user_id=user_id, kind=kind, message=message[:300], created_at=now,
            task_id=task_id, project_id=project_id, reminder_id=reminder_id,
            email_state=EmailState.OWED if email_owed else EmailState.NONE,
            email_next_at=now if email_owed else None, email_attempts=0,
        )
        self.session.add(notification)
        if email_owed:
            self.session.info[EMAIL_OWED_FLAG] = True
        return notification

    def add_many(self, rows: Collection[NotificationRow], now: datetime) -> None:
        """``add`` for many at once, in one INSERT (a bulk assignment's)."""
        if rows:
            self.session.execute(insert(Notification), [_values(row, now) for row in rows])
            if any(row.email_owed for row in rows):
                self.session.info[EMAIL_OWED_FLAG] = True

    # The reader's own

    def page(self, user_id: int, *, unread_only: bool, limit: int, offset: int
             ) -> list[Notification]:
        """The user's notifications, newest first."""
        statement = select(Notification).where(Notification.user_id == user_id)
        if unread_only:
            statement = statement.where(Notification.read_at.is_(None))
        statement = statement.order_by(Notification.id.desc()).limit(limit).offset(offset)
        return list(self.session.scalars(statement))

    def unread_state(self, user_id: int) -> tuple[int, int]:
        """How many are unread, and the newest unread one's id (0 if none), in one
        statement: together they change whenever the bell must."""
        count, newest = self.session.execute(
            select(func.count(), func.coalesce(func.max(Notification.id), 0))
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        ).one()
        return int(count), int(newest)

    def mark_read(self, user_id: int, notification_id: int, now: datetime
                  ) -> Notification | None:
        """Read now (if not read before); None if the user has no such notification."""
        notification = self.session.scalars(
            select(Notification).where(Notification.id == notification_id,
                                       Notification.user_id == user_id)
        ).first()
        if notification is not None and notification.read_at is None:
            notification.read_at = now
        return notification

    def mark_all_read(self, user_id: int, now: datetime) -> int:
        """Every unread one read now; how many there were."""
        result = self.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=now)
        )
        return int(result.rowcount or 0)

    # What the messages name

    def project_names(self, project_ids: Iterable[int]) -> dict[int, str]:
        ids = list(set(project_ids))
        if not ids:
            return {}
        rows = self.session.execute(select(Project.id, Project.name).where(Project.id.in_(ids)))
        return {project_id: name for project_id, name in rows}

    def email_wanted(self, user_id: int) -> bool:
        """Whether the user takes their notifications by e-mail too."""
        user = self.session.get(User, user_id)
        return bool(user is not None and user.email_notifications)

    # The outbox

    def claim_owed(self, now: datetime, until: datetime, limit: int) -> list[OwedEmail]:
        """Up to ``limit`` owed e-mails whose time has come, claimed until ``until``:
        their ``email_next_at`` moves there, so another sweep (in this transaction's
        wake, or while this one is sending) does not take them. Rows another sweep
        holds locked right now are skipped, not waited for."""
        statement = (
            select(Notification, User.email, User.username)
            .join(User, User.id == Notification.user_id)
            .where(Notification.email_state == EmailState.OWED,
                   Notification.email_next_at <= now)
            .order_by(Notification.email_next_at, Notification.id)
            .limit(limit)
            .with_for_update(of=Notification, skip_locked=True)
        )
        claimed = []
        for notification, address, username in self.session.execute(statement):
            notification.email_next_at = until
            claimed.append(OwedEmail(
                notification.id, notification.user_id, address, username, notification.kind,
                notification.message, notification.task_id, notification.project_id,
                notification.created_at, notification.email_attempts,
            ))
        return claimed

    def email_sent(self, notification_id: int) -> None:
        self.session.execute(
            update(Notification).where(Notification.id == notification_id)
            .values(email_state=EmailState.SENT, email_next_at=None,
                    email_attempts=Notification.email_attempts + 1)
        )

    def email_failed(self, notification_id: int, next_at: datetime | None) -> None:
        """One more failed attempt: tried again from ``next_at``, or (None) given up."""
        values: dict[str, Any] = {"email_attempts": Notification.email_attempts + 1,
                                  "email_next_at": next_at}
        if next_at is None:
            values["email_state"] = EmailState.FAILED
        self.session.execute(
            update(Notification).where(Notification.id == notification_id).values(**values)
        )

    def stop_emails_of(self, user_id: int) -> None:
        """No e-mail still owed to the user is sent (they turned e-mail off)."""
        self.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id,
                   Notification.email_state == EmailState.OWED)
            .values(email_state=EmailState.NONE, email_next_at=None)
        )

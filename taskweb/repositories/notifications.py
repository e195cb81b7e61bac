"""Notifications: each belongs to one user, and every query takes whose they are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from taskweb.models import EmailState, Notification, NotificationKind


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
        return notification

"""Use cases of a user's notifications (the bell, the panel, the API), and the notices
that other use cases give: a task assigned to somebody, a project shared with somebody.

Every notification is written in the unit of work of the change that causes it, so it
exists exactly when the change does. Its e-mail is owed (``EmailState.OWED``) when the
person wants e-mail and the app sends e-mail at all; the outbox
(``services/email_outbox.py``) sends it after the commit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from taskweb import rules
from taskweb.errors import NotFound
from taskweb.models import Notification, NotificationKind, Project, Task, User
from taskweb.repositories.notifications import NotificationRow
from taskweb.services.ports import Clock, system_clock
from taskweb.services.task_query import paging_of
from taskweb.services.validation import FieldErrors, clean_id
from taskweb.unit_of_work import UnitOfWork

UNREAD_WORDS = {"true": True, "1": True, "false": False, "0": False}


@dataclass(frozen=True)
class NotificationQuery:
    unread_only: bool = False
    limit: int = rules.PAGE_LIMIT_DEFAULT
    offset: int = 0


@dataclass(frozen=True)
class UnreadState:
    """What the bell shows: the unread count, and a tag that changes whenever it must."""

    count: int
    newest_id: int

    @property
    def tag(self) -> str:
        return f"{self.count}-{self.newest_id}"


def parse_notification_query(args: Mapping[str, Iterable[str]]) -> NotificationQuery:
    """``unread``, ``limit`` and ``offset`` from query parameters (422 naming a bad one)."""
    errors = FieldErrors()
    words = list(args.get("unread", []))
    unread = False
    if words:
        word = words[-1].strip().lower()
        if word not in UNREAD_WORDS:
            errors.add("unread", "Must be true or false.")
        unread = UNREAD_WORDS.get(word, False)
    limit, offset = paging_of(args, errors)
    errors.raise_if_any()
    return NotificationQuery(unread, limit, offset)


class NotificationService:
    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock) -> None:
        self.uow = uow
        self.clock = clock

    def list(self, user: User, query: NotificationQuery) -> list[Notification]:
        """The caller's notifications, newest first (with ``unread_only``, unread ones)."""
        return self.uow.notifications.page(user.id, unread_only=query.unread_only,
                                           limit=query.limit, offset=query.offset)

    def unread(self, user: User) -> UnreadState:
        return UnreadState(*self.uow.notifications.unread_state(user.id))

    def mark_read(self, user: User, notification_id: Any) -> Notification:
        """Mark one of the caller's notifications read (already read: unchanged).
        Another user's is not found, like one that does not exist."""
        errors = FieldErrors()
        clean_id(notification_id, "id", errors, nullable=False)
        errors.raise_if_any()
        with self.uow:
            notification = self.uow.notifications.mark_read(user.id, notification_id,
                                                            self.clock())
            if notification is None:
                raise NotFound(f"Notification {notification_id} was not found.")
        return notification

    def mark_all_read(self, user: User) -> int:
        """Mark every unread notification of the caller read; how many there were."""
        with self.uow:
            return self.uow.notifications.mark_all_read(user.id, self.clock())

    def stop_emails(self, user_id: int) -> User:
        """Turn off the e-mails of the user an unsubscribe link names (the signed link
        is the authority, not a session): none still owed goes out either."""
        with self.uow:
            user = self.uow.users.get(user_id)
            if user is None:
                raise NotFound("This link is for an account that no longer exists.")
            user.email_notifications = False
            self.uow.notifications.stop_emails_of(user.id)
        return user


def display_name(user: User) -> str:
    return user.full_name or user.username


class Notices:
    """The notifications other use cases give, written in their unit of work.

    ``mail_enabled`` says whether the app sends e-mail at all (the composition root
    reads it from the configuration); each person's ``email_notifications`` decides
    for them.
    """

    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock, *,
                 mail_enabled: bool = True) -> None:
        self.uow = uow
        self.clock = clock
        self.mail_enabled = mail_enabled

    def assigned(self, actor: User, tasks: list[Task], assignee_id: int | None) -> None:
        """``assignee_id`` now holds ``tasks`` (one notification each, one INSERT in
        all), unless nobody does or the actor assigned themselves."""
        if assignee_id is None or assignee_id == actor.id or not tasks:
            return
        projects = self.uow.notifications.project_names(task.project_id for task in tasks)
        email_owed = self._email_owed(assignee_id)
        who = display_name(actor)
        self.uow.notifications.add_many([
            NotificationRow(assignee_id, NotificationKind.ASSIGNED,
                            f"{who} assigned you “{task.title}” in "
                            f"{projects.get(task.project_id, 'a project')}",
                            email_owed, task_id=task.id, project_id=task.project_id)
            for task in tasks
        ], self.clock())

    def shared(self, actor: User, project: Project, member_id: int) -> None:
        """``member_id`` was added to ``project`` by ``actor``."""
        if member_id == actor.id:
            return
        self.uow.notifications.add(
            member_id, NotificationKind.SHARED,
            f"{display_name(actor)} shared the project {project.name} with you",
            self.clock(), email_owed=self._email_owed(member_id), project_id=project.id,
        )

    def _email_owed(self, user_id: int) -> bool:
        return self.mail_enabled and self.uow.notifications.email_wanted(user_id)

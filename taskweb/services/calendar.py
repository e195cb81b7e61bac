"""The calendar feed: a secret address per user that calendar apps subscribe to.

The secret is the whole credential (calendar apps send no header), so it is random and
long, a new one replaces the old (the old address stops working at once), and turning
the feed off removes it. An unknown, replaced or removed secret is NotFound, like a
task one may not see.
"""

from __future__ import annotations

import secrets
from typing import Protocol

from taskweb.domain.calendar import FeedTask
from taskweb.errors import NotFound
from taskweb.models import User
from taskweb.unit_of_work import UnitOfWork

# The feed lists at most this many tasks (the soonest due): a calendar app polls it
# every few minutes, and a larger calendar is more than a phone wants to hold.
FEED_CAP = 1000
NO_FEED = "There is no calendar feed at this address."


class CalendarStore(Protocol):
    """taskweb/repositories/calendar.py; a fake in the unit tests."""

    def owner_of_secret(self, secret: str) -> User | None: ...

    def open_tasks_with_due_dates(self, user_id: int, cap: int) -> list[FeedTask]: ...


def _plausible_secret(secret: str) -> bool:
    # token_urlsafe(32) is 43 characters of [A-Za-z0-9_-]; the column holds 64.
    return 20 <= len(secret) <= 64 and secret.isascii()


class CalendarService:
    def __init__(self, uow: UnitOfWork, store: CalendarStore) -> None:
        self.uow = uow
        self.store = store

    def new_secret(self, user: User) -> str:
        """Give ``user``'s feed a new secret (turning it on); the old one stops working."""
        secret = secrets.token_urlsafe(32)
        with self.uow:
            user.calendar_secret = secret
        return secret

    def turn_off(self, user: User) -> None:
        """No address opens ``user``'s feed any more."""
        with self.uow:
            user.calendar_secret = None

    def feed(self, secret: str) -> list[FeedTask]:
        """The tasks of the feed whose secret this is (NotFound for any other string)."""
        owner = self.store.owner_of_secret(secret) if _plausible_secret(secret) else None
        if owner is None:
            raise NotFound(NO_FEED)
        return self.store.open_tasks_with_due_dates(owner.id, FEED_CAP)

"""The outbox: the e-mails of notifications, sent after the commit that wrote them.

A notification whose e-mail is owed stays in the database (``EmailState.OWED``) until a
sweep sends it. A sweep claims a batch (``email_next_at`` moves a few minutes ahead, rows
another sweep holds are skipped), sends each, and marks it sent; a refused or failed
delivery is tried again later, with exponential backoff and jitter, until a day has
passed since the notification, when it is given up (``failed``). The notification
itself is never touched: a mail server that is down delays e-mail, nothing else.

A worker that dies between sending and marking leaves the claim to expire, and the
e-mail is sent again: at least once, which is what e-mail can promise.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from taskweb.repositories.notifications import OwedEmail
from taskweb.services.ports import Clock, system_clock
from taskweb.unit_of_work import UnitOfWork

log = logging.getLogger("taskweb.email")

# Long enough for a batch to be sent even when each e-mail waits out MAIL_TIMEOUT (10 s):
# a claim older than this is a dead worker's, and another sweep may take its e-mails.
BATCH_SIZE = 20
CLAIM_FOR = timedelta(minutes=5)
FIRST_RETRY = timedelta(seconds=30)
LONGEST_WAIT = timedelta(hours=1)
GIVE_UP_AFTER = timedelta(hours=24)


class MailNotSent(Exception):
    """The mail server refused the message, or could not be reached."""


class Mailer(Protocol):
    """Writes and sends the e-mail of one notification (SMTP in production)."""

    def send(self, email: OwedEmail) -> None: ...


@dataclass(frozen=True)
class SweepResult:
    sent: int = 0
    retrying: int = 0
    given_up: int = 0


def next_attempt(created_at: datetime, attempts: int, now: datetime,
                 rng: random.Random) -> datetime | None:
    """When to try again after ``attempts`` failed attempts, or None to give up.

    The wait doubles from ``FIRST_RETRY`` up to ``LONGEST_WAIT``, each drawn between half
    and all of it, so the e-mails of one outage do not all come back at the same instant.
    """
    if now - created_at >= GIVE_UP_AFTER:
        return None
    wait = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_WAIT)
    return now + wait * (0.5 + rng.random() / 2)


class EmailOutbox:
    def __init__(self, uow: UnitOfWork, mailer: Mailer, clock: Clock = system_clock,
                 rng: random.Random | None = None) -> None:
        self.uow = uow
        self.mailer = mailer
        self.clock = clock
        self.rng = rng or random.Random()

    def send_owed(self, limit: int = BATCH_SIZE) -> SweepResult:
        """Send up to ``limit`` e-mails whose time has come (one sweep)."""
        now = self.clock()
        with self.uow:
            claimed = self.uow.notifications.claim_owed(now, now + CLAIM_FOR, limit)
        sent = retrying = given_up = 0
        for email in claimed:
            try:
                self.mailer.send(email)
            except MailNotSent as error:
                retry_at = next_attempt(email.created_at, email.attempts + 1, self.clock(),
                                        self.rng)
                with self.uow:
                    self.uow.notifications.email_failed(email.notification_id, retry_at)
                log.warning("notification e-mail not sent", extra={
                    "notification_id": email.notification_id, "error": str(error),
                    "given_up": retry_at is None})
                if retry_at is None:
                    given_up += 1
                else:
                    retrying += 1
            else:
                with self.uow:
                    self.uow.notifications.email_sent(email.notification_id)
                sent += 1
        return SweepResult(sent, retrying, given_up)

"""Housekeeping: drop records that no longer protect anything."""

from __future__ import annotations

from datetime import timedelta

from taskweb.services.ports import Clock, system_clock
from taskweb.services.trash import TRASH_RETENTION
from taskweb.unit_of_work import UnitOfWork

IDEMPOTENCY_RETENTION = timedelta(hours=24)
# Longer than any remember-me cookie lives (14 days by default): older rows open nothing.
BROWSER_SESSION_RETENTION = timedelta(days=30)
# Webhook events and the log of their deliveries.
WEBHOOK_EVENT_RETENTION = timedelta(days=30)


def purge_expired_records(uow: UnitOfWork, clock: Clock = system_clock) -> int:
    """Delete expired token records, and idempotency keys, browser sessions and tasks
    in the trash older than their retention."""
    now = clock()
    with uow:
        removed = uow.tokens.purge_expired(now)
        removed += uow.idempotency.purge_older_than(now - IDEMPOTENCY_RETENTION)
        removed += uow.browser_sessions.purge_older_than(now - BROWSER_SESSION_RETENTION)
        removed += uow.trash.purge_older_than(now - TRASH_RETENTION)
        removed += uow.outbox.purge_dispatched_before(now - WEBHOOK_EVENT_RETENTION)
    return removed

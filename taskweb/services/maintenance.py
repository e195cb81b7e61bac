"""Housekeeping: drop records that no longer protect anything."""

from __future__ import annotations

from datetime import timedelta

from taskweb.services.ports import Clock, system_clock
from taskweb.unit_of_work import UnitOfWork

IDEMPOTENCY_RETENTION = timedelta(hours=24)


def purge_expired_records(uow: UnitOfWork, clock: Clock = system_clock) -> int:
    """Delete expired token records and idempotency keys older than the retention."""
    now = clock()
    with uow:
        removed = uow.tokens.purge_expired(now)
        removed += uow.idempotency.purge_older_than(now - IDEMPOTENCY_RETENTION)
    return removed

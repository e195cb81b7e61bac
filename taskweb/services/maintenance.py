"""Housekeeping: drop records that no longer protect anything."""

from __future__ import annotations

from datetime import timedelta

from taskweb.models import utcnow
from taskweb.unit_of_work import UnitOfWork

IDEMPOTENCY_RETENTION = timedelta(hours=24)


def purge_expired_records(uow: UnitOfWork) -> int:
    """Delete expired token records and idempotency keys older than the retention."""
    now = utcnow()
    removed = uow.tokens.purge_expired(now)
    removed += uow.idempotency.purge_older_than(now - IDEMPOTENCY_RETENTION)
    uow.commit()
    return removed

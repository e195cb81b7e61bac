"""Scheduled housekeeping (once a day on the beat schedule)."""

from __future__ import annotations

import logging

from celery import shared_task

from taskweb.services.maintenance import purge_expired_records
from taskweb.wiring import clock, unit_of_work

log = logging.getLogger("taskweb.jobs")


@shared_task(name="taskweb.jobs.maintenance.purge_expired")
def purge_expired() -> int:
    """Drop expired tokens, old idempotency keys and sessions, and old trash."""
    removed = purge_expired_records(unit_of_work(), clock())
    log.info("purged expired records", extra={"removed": removed})
    return removed

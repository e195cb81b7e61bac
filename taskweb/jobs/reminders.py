"""Reminders: the scheduler's run (on the beat schedule, every REMINDER_POLL_SECONDS)
and the delivery of one batch (on any worker). Both are safe to run twice or at once:
see services/reminders.py."""

from __future__ import annotations

import logging

from celery import Task, shared_task

from taskweb.wiring import reminder_delivery

log = logging.getLogger("taskweb.jobs")


DELIVER = "taskweb.jobs.reminders.deliver_reminders"


@shared_task(name="taskweb.jobs.reminders.dispatch_due_reminders", bind=True)
def dispatch_due_reminders(self: Task) -> int:
    """Claim the due reminders and send one ``deliver_reminders`` job per batch (through
    this job's own Celery app: a process may hold more than one, as tests do)."""
    claimed = reminder_delivery().claim_due()
    deliver = self.app.tasks[DELIVER]
    for batch in claimed:
        deliver.delay(batch)
    if claimed:
        log.info("dispatched due reminders",
                 extra={"reminders": sum(map(len, claimed)), "batches": len(claimed)})
    return len(claimed)


@shared_task(name=DELIVER)
def deliver_reminders(reminder_ids: list[int]) -> int:
    """Notify of the reminders of ``reminder_ids`` not yet delivered."""
    return reminder_delivery().deliver(reminder_ids)

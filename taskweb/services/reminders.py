"""Delivering reminders: the scheduler claims the due ones, workers deliver them.

Delivery is exactly once by construction, whatever a worker does:

- ``claim_due`` (the scheduler, every few seconds) marks due reminders as handed out
  for a lease (``REMINDER_LEASE_SECONDS``). A worker that dies with a batch loses nothing: when the
  lease lapses the next run hands the same reminders out again.
- ``deliver`` (a worker, per batch) locks the batch's rows, skips those already
  delivered, and writes each notification and its ``delivered_at`` in one transaction:
  killed before the commit, nothing happened; after it, the rows say delivered and are
  never claimed again. ``notifications.reminder_id`` is unique besides, so even two
  deliveries racing past every lock could not notify twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from taskweb.models import NotificationKind
from taskweb.services.ports import Clock, system_clock
from taskweb.unit_of_work import UnitOfWork

# How long a worker has to deliver a batch before it is handed out again (by default:
# REMINDER_LEASE_SECONDS sets it).
CLAIM_LEASE = timedelta(seconds=30)
# Reminders per delivery job: one transaction each, small enough to finish well within
# the lease, large enough that 10,000 due at once make only a hundred jobs.
BATCH_SIZE = 100
# Reminders claimed per scheduler run (the rest wait for the next run, seconds later):
# no more than the workers deliver within a lease, or claims would lapse in the queue.
CLAIM_LIMIT = 5000
MESSAGE_PREFIX = "Reminder: "


def batches(ids: Sequence[int], size: int = BATCH_SIZE) -> list[list[int]]:
    return [list(ids[start:start + size]) for start in range(0, len(ids), size)]


class ReminderDelivery:
    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock, *,
                 email_enabled: bool = False, lease: timedelta = CLAIM_LEASE) -> None:
        """``email_enabled``: whether e-mail can be sent at all (a mail server, or a
        development backend); a notification owes an e-mail only then and only if its
        recipient wants e-mail."""
        self.uow = uow
        self.clock = clock
        self.email_enabled = email_enabled
        self.lease = lease

    def claim_due(self, limit: int = CLAIM_LIMIT) -> list[list[int]]:
        """Claim the reminders due now whose claim has lapsed; their ids in batches, one
        delivery job each. Never one before its time."""
        now = self.clock()
        with self.uow:
            ids = self.uow.reminders.claim_due(now, now + self.lease, limit)
        return batches(ids)

    def deliver(self, reminder_ids: Sequence[int]) -> int:
        """Deliver the reminders of ``reminder_ids`` still undelivered; how many notified.

        Each notifies the task's assignee, or if none its creator, if still a member of
        the task's project. A reminder of a task in the trash or completed, or with
        nobody to tell, is marked delivered with no notification (a task restored or
        reopened later does not announce its past reminders)."""
        notified = 0
        with self.uow:
            now = self.clock()
            for due in self.uow.reminders.lock_undelivered(reminder_ids):
                due.reminder.delivered_at = now
                if due.task_closed or due.recipient_id is None:
                    continue
                self.uow.notifications.add(
                    due.recipient_id, NotificationKind.REMINDER,
                    MESSAGE_PREFIX + due.task_title, now,
                    email_owed=self.email_enabled and due.recipient_wants_email,
                    task_id=due.task_id, reminder_id=due.reminder.id,
                )
                notified += 1
        return notified

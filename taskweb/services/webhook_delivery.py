"""Delivering webhook events, for the background workers.

Three steps, each safe to run twice or on several workers at once:

1. ``fan_out``: the undispatched outbox events (locked, SKIP LOCKED) become one pending
   delivery per active webhook that subscribes to the event and whose owner can see it.
2. ``claim_due``: the due deliveries, first in line for their task, are leased to a
   worker for one attempt each (the attempt is counted at the claim).
3. ``deliver``: one attempt: POST the signed body outside any transaction, then record
   the outcome if the attempt is still ours. A 2xx is delivered; anything else is tried
   again later with backoff, until a day has passed; a webhook failing for a day is
   disabled and its owner told. A worker that dies mid-attempt leaves the lease to
   lapse, and the delivery is claimed again as a new attempt.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import orjson

from taskweb.domain.webhooks import (
    AddressRefused,
    failing_too_long,
    next_attempt,
    signature,
)
from taskweb.models import DeliveryStatus, NotificationKind, OutboxEvent
from taskweb.repositories.outbox import DeliveryToSend, Subscription
from taskweb.services.ports import Clock
from taskweb.services.webhooks import Secrets
from taskweb.unit_of_work import UnitOfWork

log = logging.getLogger("taskweb.webhooks")

FAN_OUT_BATCH = 500
CLAIM_BATCH = 100
# Longer than one attempt can take (the sender's 10 s timeout) plus the time the job
# waits in the queue: a claim older than this is a dead worker's.
LEASE = timedelta(seconds=60)


class Outcome(Protocol):
    status: int | None
    duration_ms: int

    @property
    def delivered(self) -> bool: ...


class Sender(Protocol):
    """POSTs a body (WebhookSender in production); AddressRefused when the URL may not
    be reached now."""

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> Outcome: ...


@dataclass(frozen=True)
class Refused:
    """The outcome of an attempt refused before connecting (the address)."""

    status: None = None
    duration_ms: int = 0
    delivered: bool = False


def deliveries_for(events: Iterable[OutboxEvent], subscriptions: Sequence[Subscription]
                   ) -> list[tuple[int, int, int | None]]:
    """(webhook id, event id, task id) for each event and each subscription that wants
    it: the event is one it subscribes to, about a project its owner can see."""
    by_project: dict[int, list[Subscription]] = {}
    for subscription in subscriptions:
        by_project.setdefault(subscription.visible_project_id, []).append(subscription)
    rows = []
    for event in events:
        for subscription in by_project.get(event.project_id or 0, []):
            if event.event in subscription.events:
                rows.append((subscription.webhook_id, event.id, event.task_id))
    return rows


def body_of(event: OutboxEvent) -> bytes:
    """The exact bytes POSTed (and signed)."""
    return orjson.dumps({"id": event.id, "event": event.event,
                         "occurred_at": event.occurred_at, "data": event.payload})


class WebhookDispatcher:
    def __init__(self, uow: UnitOfWork, clock: Clock, sender: Sender, secrets_box: Secrets,
                 rng: random.Random | None = None) -> None:
        self.uow = uow
        self.clock = clock
        self.sender = sender
        self.secrets = secrets_box
        self.rng = rng or random.Random()

    def fan_out(self, limit: int = FAN_OUT_BATCH) -> int:
        """Turn up to ``limit`` undispatched events into deliveries; how many events."""
        with self.uow:
            events = self.uow.outbox.claim_undispatched(limit)
            if not events:
                return 0
            projects = {event.project_id for event in events if event.project_id is not None}
            rows = deliveries_for(events, self.uow.outbox.subscriptions(projects))
            now = self.clock()
            self.uow.outbox.add_deliveries(rows, now)
            self.uow.outbox.mark_dispatched([event.id for event in events], now)
        return len(events)

    def claim_due(self, limit: int = CLAIM_BATCH) -> list[tuple[int, int]]:
        """Lease the due deliveries: (delivery id, attempt number) for each."""
        now = self.clock()
        with self.uow:
            return self.uow.outbox.claim_due(now, now + LEASE, limit)

    def deliver(self, delivery_id: int, attempt: int) -> bool | None:
        """Make attempt ``attempt`` of the delivery: True delivered, False failed (to be
        retried or given up on), None when the attempt is no longer this worker's."""
        with self.uow:
            found = self.uow.outbox.to_send(delivery_id, attempt)
        if found is None:
            return None
        body = body_of(found.event)
        headers = {
            "X-Taskweb-Event": found.event.event,
            "X-Taskweb-Delivery": found.delivery.uuid,
            "X-Taskweb-Signature": signature(self.secrets.open(found.webhook.secret), body),
        }
        try:
            outcome: Outcome = self.sender.post(found.webhook.url, body, headers)
        except AddressRefused as refusal:
            log.warning("webhook address refused", extra={"webhook": found.webhook.id,
                                                          "reason": str(refusal)})
            outcome = Refused()
        return self._record(delivery_id, attempt, outcome)

    def _record(self, delivery_id: int, attempt: int, outcome: Outcome) -> bool | None:
        with self.uow:
            found = self.uow.outbox.to_send(delivery_id, attempt, lock=True)
            if found is None:
                return None
            now = self.clock()
            delivery, webhook = found.delivery, found.webhook
            delivery.last_response_code = outcome.status
            delivery.duration_ms = outcome.duration_ms
            delivery.claimed_until = None
            if outcome.delivered:
                delivery.status = DeliveryStatus.DELIVERED
                delivery.next_attempt_at = None
                webhook.failing_since = None
                return True
            retry_at = next_attempt(delivery.created_at, delivery.attempts, now, self.rng)
            delivery.status = DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED
            delivery.next_attempt_at = retry_at
            if webhook.failing_since is None:
                webhook.failing_since = now
            if failing_too_long(webhook.failing_since, now):
                self._disable(found, now)
        return False

    def _disable(self, found: DeliveryToSend, now: datetime) -> None:
        """Turn the webhook off, give up on what it still owes, and tell its owner (a
        notification of kind ``shared``: its kinds are fixed by a CHECK, and this one is
        about access given to a program)."""
        webhook = found.webhook
        webhook.disabled_at = now
        self.uow.flush()
        self.uow.outbox.fail_pending_of(webhook.id)
        self.uow.notifications.add(
            webhook.user_id, NotificationKind.SHARED,
            f"Your webhook to {webhook.url} has failed for 24 hours and was turned off. "
            "Redeliver one of its deliveries to turn it on again.",
            now, email_owed=False, project_id=webhook.project_id)
        log.warning("webhook disabled", extra={"webhook": webhook.id})

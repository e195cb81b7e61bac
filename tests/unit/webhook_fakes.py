"""Webhooks in a list, for the service's rules on the fakes (tests/unit/fakes.py)."""

from __future__ import annotations

import itertools
from datetime import datetime

from taskweb.models import Webhook, WebhookDelivery


class FakeWebhookRepository:
    def __init__(self) -> None:
        self.rows: dict[int, Webhook] = {}
        self.deliveries_added: list[WebhookDelivery] = []
        self.ids = itertools.count(1)

    def add(self, webhook: Webhook) -> None:
        webhook.id = next(self.ids)
        self.rows[webhook.id] = webhook

    def delete(self, webhook: Webhook) -> None:
        del self.rows[webhook.id]

    def of_user(self, user_id: int) -> list[Webhook]:
        return sorted((w for w in self.rows.values() if w.user_id == user_id),
                      key=lambda w: -w.id)

    def get(self, user_id: int, webhook_id: int, *, to_write: bool = False) -> Webhook | None:
        webhook = self.rows.get(webhook_id)
        return webhook if webhook is not None and webhook.user_id == user_id else None

    def delivery(self, webhook_id: int, delivery_id: int) -> WebhookDelivery | None:
        return next((d for d in self.deliveries_added
                     if d.id == delivery_id and d.webhook_id == webhook_id), None)

    def add_delivery(self, delivery: WebhookDelivery) -> None:
        delivery.id = len(self.deliveries_added) + 1
        self.deliveries_added.append(delivery)


class ReversibleSecrets:
    """Seals by reversing: enough to see that what is stored is not the secret."""

    def seal(self, secret: str) -> str:
        return secret[::-1]

    def open(self, sealed: str) -> str:
        return sealed[::-1]


class FakeOutboxRepository:
    """Fanned-out events by when they were dispatched (what the purge reads)."""

    def __init__(self) -> None:
        self.dispatched_at: list[datetime] = []

    def purge_dispatched_before(self, before: datetime) -> int:
        kept = [moment for moment in self.dispatched_at if moment >= before]
        removed = len(self.dispatched_at) - len(kept)
        self.dispatched_at = kept
        return removed

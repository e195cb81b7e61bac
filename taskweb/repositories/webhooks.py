"""A user's webhooks and their deliveries, always read through their owner: another
user's webhook is not found."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taskweb.models import OutboxEvent, Webhook, WebhookDelivery


@dataclass(frozen=True)
class DeliveryView:
    delivery: WebhookDelivery
    event: str


class WebhookRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, webhook: Webhook) -> None:
        self.session.add(webhook)

    def delete(self, webhook: Webhook) -> None:
        self.session.delete(webhook)

    def of_user(self, user_id: int) -> list[Webhook]:
        """The user's webhooks, newest first."""
        return list(self.session.scalars(
            select(Webhook).where(Webhook.user_id == user_id).order_by(Webhook.id.desc())))

    def get(self, user_id: int, webhook_id: int, *, to_write: bool = False) -> Webhook | None:
        statement = select(Webhook).where(Webhook.id == webhook_id, Webhook.user_id == user_id)
        if to_write:
            statement = statement.with_for_update()
        return self.session.scalar(statement)

    def deliveries(self, user_id: int, webhook_id: int, limit: int, offset: int
                   ) -> tuple[list[DeliveryView], int] | None:
        """A page of the webhook's deliveries, newest first, and how many there are;
        None when the webhook is not the user's. One statement (the count rides along)
        unless the page is past the end."""
        rows = self.session.execute(
            select(Webhook.id, WebhookDelivery, OutboxEvent.event,
                   func.count(WebhookDelivery.id).over().label("total"))
            .outerjoin(WebhookDelivery, WebhookDelivery.webhook_id == Webhook.id)
            .outerjoin(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
            .where(Webhook.id == webhook_id, Webhook.user_id == user_id)
            .order_by(WebhookDelivery.id.desc()).limit(limit).offset(offset)).all()
        if rows:
            items = [DeliveryView(row[1], row[2]) for row in rows if row[1] is not None]
            return items, rows[0].total
        if self.get(user_id, webhook_id) is None:
            return None
        total = self.session.scalar(select(func.count()).select_from(WebhookDelivery)
                                    .where(WebhookDelivery.webhook_id == webhook_id)) or 0
        return [], total

    def delivery(self, webhook_id: int, delivery_id: int) -> WebhookDelivery | None:
        return self.session.scalar(select(WebhookDelivery).where(
            WebhookDelivery.id == delivery_id, WebhookDelivery.webhook_id == webhook_id))

    def add_delivery(self, delivery: WebhookDelivery) -> None:
        self.session.add(delivery)

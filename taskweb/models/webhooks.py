"""Webhooks: where a user sends events, the outbox of events written with the change
that caused them, and each delivery of an event to a webhook."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from taskweb.extensions import db
from taskweb.models.base import UTCDateTime, enum_column, utcnow

# BIGINT on PostgreSQL (every task write adds an event), INTEGER on SQLite (its rowid).
_BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class DeliveryStatus(str, enum.Enum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Webhook(db.Model):
    """A URL that hears of ``events`` on the tasks its owner can see, or (with
    ``project_id``) on one project's. ``secret`` is encrypted with a key derived from the
    app's SECRET_KEY: it signs every delivery, so it cannot be hashed."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(2000), nullable=False)
    # The event names subscribed to, a JSON list such as ["task.created"].
    events: Mapped[list[Any]] = mapped_column(JSON, nullable=False, default=list)
    secret: Mapped[str] = mapped_column(String(500), nullable=False)
    # Since when every attempt has failed (none since, on success); 24 h of it disables.
    failing_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), nullable=False, default=utcnow, server_default=func.now()
    )


class OutboxEvent(db.Model):
    """An event, written in the transaction of the change it tells of; the fan-out job
    turns it into deliveries and sets ``dispatched_at``. No foreign keys: the event
    outlives a purged task or a deleted project."""

    __tablename__ = "outbox_events"
    __table_args__ = (
        Index("ix_outbox_events_undispatched", "id",
              postgresql_where=text("dispatched_at IS NULL"),
              sqlite_where=text("dispatched_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    event: Mapped[str] = mapped_column(String(40), nullable=False)
    task_id: Mapped[int | None] = mapped_column(Integer)
    project_id: Mapped[int | None] = mapped_column(Integer)
    # The event's "data": the task as the API shows it (or the project and the member).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class WebhookDelivery(db.Model):
    """One event sent to one webhook: its attempts so far and what the last one got.
    ``task_id`` is the event's (kept here to order a webhook's deliveries per task);
    ``claimed_until`` is the lease of the worker sending it."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_webhook", "webhook_id", "id"),
        Index("ix_webhook_deliveries_due", "next_attempt_at",
              postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
        Index("ix_webhook_deliveries_task", "webhook_id", "task_id", "event_id",
              postgresql_where=text("status = 'pending'"),
              sqlite_where=text("status = 'pending'")),
    )

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    # What the X-Taskweb-Delivery header carries (a redelivery is a new delivery).
    uuid: Mapped[str] = mapped_column(String(36), nullable=False, unique=True)
    webhook_id: Mapped[int] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False
    )
    event_id: Mapped[int] = mapped_column(
        _BIG_ID, ForeignKey("outbox_events.id", ondelete="CASCADE"), nullable=False
    )
    task_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[DeliveryStatus] = mapped_column(
        enum_column(DeliveryStatus, "delivery_status"), nullable=False,
        default=DeliveryStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    last_response_code: Mapped[int | None] = mapped_column(Integer)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

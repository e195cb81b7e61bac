"""The outbox of webhook events and the workers' queries on it.

Events are noted while a transaction writes (the task history and the membership writes
call ``note_*``, no SQL) and written just before it commits, in it (``write_noted``:
one SELECT of the tasks as the API shows them, labels included, and one INSERT for them
all, however many tasks a bulk action touched). Only events an active webhook may hear
of are written: with none listening, a write pays one SELECT that finds nothing. A
webhook hears of what happens after it was made. A rollback drops the notes. The
fan-out and delivery queries have no caller: they are the background workers' own, and
they lock what they take with SKIP LOCKED, so any number of workers may run them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, exists, insert, or_, select, update
from sqlalchemy.orm import Session, aliased

from taskweb.domain.webhooks import PROJECT_SHARED, event_of
from taskweb.models import (
    DeliveryStatus,
    Membership,
    OutboxEvent,
    Project,
    Task,
    TaskEventKind,
    User,
    Webhook,
    WebhookDelivery,
)
from taskweb.repositories.tasks import SUBTASKS_COMPLETED, SUBTASKS_TOTAL

NOTED_EVENTS = "taskweb.outbox.noted"


@dataclass(frozen=True)
class NotedEvent:
    event: str
    occurred_at: datetime
    task_id: int | None = None
    project_id: int | None = None
    member_id: int | None = None  # project.shared: who was added


@dataclass(frozen=True)
class Subscription:
    """An active webhook and a project its owner belongs to (so may hear of)."""

    webhook_id: int
    webhook_project_id: int | None
    events: tuple[str, ...]
    visible_project_id: int


@dataclass(frozen=True)
class DeliveryToSend:
    delivery: WebhookDelivery
    webhook: Webhook
    event: OutboxEvent


def _noted(session: Session) -> list[NotedEvent]:
    return session.info.setdefault(NOTED_EVENTS, [])


def note_task_events(session: Session, events: Sequence[tuple[int, TaskEventKind, datetime]]
                     ) -> None:
    """Note the webhook events of these history entries (task id, kind, when)."""
    _noted(session).extend(NotedEvent(event_of(kind), at, task_id=task_id)
                           for task_id, kind, at in events)


def note_project_shared(session: Session, project_id: int, member_id: int,
                        at: datetime) -> None:
    _noted(session).append(NotedEvent(PROJECT_SHARED, at, project_id=project_id,
                                      member_id=member_id))


def forget_noted(session: Session) -> None:
    session.info.pop(NOTED_EVENTS, None)


def _someone_listens_to(project_id: Any) -> Any:
    """Whether an active webhook may hear of an event in ``project_id`` (the fan-out's
    rule, in ``subscriptions``): events nobody can hear are not written at all."""
    return exists().where(
        Membership.project_id == project_id, Webhook.user_id == Membership.user_id,
        Webhook.disabled_at.is_(None),
        or_(Webhook.project_id.is_(None), Webhook.project_id == project_id))


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # Written with the change

    def write_noted(self, task_data: Callable[[Task], dict[str, Any]],
                    member_data: Callable[[Project, Membership, str], dict[str, Any]]) -> bool:
        """Write the events noted in this transaction, each with its ``data`` as it is
        now (``task_data`` and ``member_data`` make the JSON); True when any was."""
        noted = self.session.info.pop(NOTED_EVENTS, None)
        if not noted:
            return False
        self.session.flush()
        tasks = self._tasks({entry.task_id for entry in noted if entry.task_id is not None})
        members = self._members({(entry.project_id, entry.member_id) for entry in noted
                                 if entry.member_id is not None})
        rows = []
        for entry in noted:
            if entry.task_id is not None:
                task = tasks.get(entry.task_id)
                if task is None:
                    continue  # nobody listens to its project (or it is gone for good)
                payload, project_id = task_data(task), task.project_id
            else:
                found = members.get((entry.project_id, entry.member_id))
                if found is None:
                    continue  # removed again in the same transaction
                payload, project_id = member_data(*found), entry.project_id
            rows.append({"event": entry.event, "task_id": entry.task_id,
                         "project_id": project_id, "payload": payload,
                         "occurred_at": entry.occurred_at})
        if rows:
            self.session.execute(insert(OutboxEvent), rows)
        return bool(rows)

    def _tasks(self, ids: set[int]) -> dict[int, Task]:
        """The noted tasks some active webhook may hear of, as they are now (their labels
        on their rows): one statement."""
        if not ids:
            return {}
        rows = self.session.execute(
            select(Task, SUBTASKS_TOTAL, SUBTASKS_COMPLETED)
            .where(Task.id.in_(ids), _someone_listens_to(Task.project_id))
            .execution_options(populate_existing=True))
        tasks = {}
        for task, total, completed in rows:
            task.subtasks_total, task.subtasks_completed = total, completed
            tasks[task.id] = task
        return tasks

    def _members(self, keys: set[tuple[int | None, int | None]]
                 ) -> dict[tuple[int, int], tuple[Project, Membership, str]]:
        if not keys:
            return {}
        rows = self.session.execute(
            select(Project, Membership, User.username)
            .join(Membership, Membership.project_id == Project.id)
            .join(User, User.id == Membership.user_id)
            .where(or_(*(and_(Membership.project_id == project_id,
                              Membership.user_id == member_id)
                         for project_id, member_id in keys))))
        return {(membership.project_id, membership.user_id): (project, membership, username)
                for project, membership, username in rows}

    # The fan-out

    def claim_undispatched(self, limit: int) -> list[OutboxEvent]:
        """Up to ``limit`` events not yet fanned out, oldest first, locked until the
        commit; those another fan-out holds are skipped."""
        return list(self.session.scalars(
            select(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None))
            .order_by(OutboxEvent.id).limit(limit).with_for_update(skip_locked=True)))

    def subscriptions(self, project_ids: Collection[int]) -> list[Subscription]:
        """The active webhooks that may hear of these projects: a user's webhook for
        every project its owner belongs to, a project's webhook for its project (while
        its owner still belongs to it)."""
        if not project_ids:
            return []
        rows = self.session.execute(
            select(Webhook.id, Webhook.project_id, Webhook.events, Membership.project_id)
            .join(Membership, Membership.user_id == Webhook.user_id)
            .where(Membership.project_id.in_(list(project_ids)), Webhook.disabled_at.is_(None),
                   or_(Webhook.project_id.is_(None), Webhook.project_id == Membership.project_id)))
        return [Subscription(webhook_id, webhook_project, tuple(events or ()), project_id)
                for webhook_id, webhook_project, events, project_id in rows]

    def add_deliveries(self, rows: Sequence[tuple[int, int, int | None]], now: datetime) -> None:
        """New pending deliveries (webhook id, event id, task id), due now: one INSERT."""
        if rows:
            self.session.execute(insert(WebhookDelivery), [
                {"uuid": str(uuid.uuid4()), "webhook_id": webhook_id, "event_id": event_id,
                 "task_id": task_id, "status": DeliveryStatus.PENDING, "attempts": 0,
                 "next_attempt_at": now, "created_at": now}
                for webhook_id, event_id, task_id in rows])

    def mark_dispatched(self, ids: Collection[int], now: datetime) -> None:
        if ids:
            self.session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(list(ids)))
                                 .values(dispatched_at=now)
                                 .execution_options(synchronize_session=False))

    # Deliveries

    def claim_due(self, now: datetime, lease_until: datetime, limit: int
                  ) -> list[tuple[int, int]]:
        """Claim up to ``limit`` due deliveries for one attempt each: (id, attempt number).

        Due means pending, its time come, not held by a live lease, its webhook active,
        and first in line for its task: no earlier pending delivery to the same webhook
        for the same task, and no earlier event of the task still waiting for the
        fan-out. The attempt is counted here, so a worker that dies with it leaves a
        recorded attempt, and the attempt number tells a late worker it lost its claim."""
        earlier = aliased(WebhookDelivery)
        later = WebhookDelivery
        waiting_event = aliased(OutboxEvent)
        due = (
            select(later.id).join(Webhook, Webhook.id == later.webhook_id)
            .where(later.status == DeliveryStatus.PENDING, later.next_attempt_at <= now,
                   or_(later.claimed_until.is_(None), later.claimed_until < now),
                   Webhook.disabled_at.is_(None),
                   or_(later.task_id.is_(None), and_(
                       ~exists().where(
                           earlier.webhook_id == later.webhook_id,
                           earlier.task_id == later.task_id,
                           earlier.status == DeliveryStatus.PENDING,
                           or_(earlier.event_id < later.event_id,
                               and_(earlier.event_id == later.event_id,
                                    earlier.id < later.id))),
                       ~exists().where(waiting_event.task_id == later.task_id,
                                       waiting_event.dispatched_at.is_(None),
                                       waiting_event.id < later.event_id))))
            .order_by(later.next_attempt_at).limit(limit)
            .with_for_update(of=later, skip_locked=True)
        )
        claimed = self.session.execute(
            update(WebhookDelivery).where(WebhookDelivery.id.in_(due.scalar_subquery()))
            .values(claimed_until=lease_until, attempts=WebhookDelivery.attempts + 1,
                    last_attempt_at=now)
            .returning(WebhookDelivery.id, WebhookDelivery.attempts)
            .execution_options(synchronize_session=False))
        return sorted((row[0], row[1]) for row in claimed)

    def to_send(self, delivery_id: int, attempt: int, *, lock: bool = False
                ) -> DeliveryToSend | None:
        """The delivery with its webhook and event, if it is still pending at this
        attempt (else another worker has taken it over, or it is done)."""
        statement = (
            select(WebhookDelivery, Webhook, OutboxEvent)
            .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
            .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.event_id)
            .where(WebhookDelivery.id == delivery_id, WebhookDelivery.attempts == attempt,
                   WebhookDelivery.status == DeliveryStatus.PENDING)
        )
        if lock:
            statement = statement.with_for_update(of=[WebhookDelivery, Webhook]).execution_options(
                populate_existing=True)
        row = self.session.execute(statement).first()
        return DeliveryToSend(*row) if row is not None else None

    def purge_dispatched_before(self, before: datetime) -> int:
        """Delete the events fanned out before ``before``, their deliveries with them
        (the deliveries' log is kept that long)."""
        result = self.session.execute(
            delete(OutboxEvent).where(OutboxEvent.dispatched_at < before)
            .execution_options(synchronize_session=False))
        return result.rowcount or 0

    def fail_pending_of(self, webhook_id: int) -> None:
        """Give up on every pending delivery of a webhook that has been disabled."""
        self.session.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id,
                   WebhookDelivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.FAILED, next_attempt_at=None, claimed_until=None)
            .execution_options(synchronize_session=False))

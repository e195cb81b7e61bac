"""Webhooks: the outbox written with each commit, the fan-out of its events into
deliveries, and the delivery of each attempt. The fan-out and the dispatch of due
deliveries run on the beat schedule every few seconds; a commit that wrote events asks
for a prompt fan-out (the pattern of jobs/notifications.py)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from celery import Task, shared_task
from flask import current_app
from kombu.exceptions import OperationalError as BrokerUnreachable
from sqlalchemy import event
from sqlalchemy.orm import Session

from taskweb.domain.task_json import task_json
from taskweb.extensions import db
from taskweb.models import Membership, Project
from taskweb.models import Task as TaskRow
from taskweb.repositories.outbox import OutboxRepository, forget_noted
from taskweb.wiring import webhook_dispatcher

log = logging.getLogger("taskweb.jobs")
NO_RETRIES = {"max_retries": 0}
EVENTS_WRITTEN = "taskweb.outbox.written"
FAN_OUT = "taskweb.jobs.webhooks.fan_out_webhook_events"
DISPATCH = "taskweb.jobs.webhooks.dispatch_webhook_deliveries"
DELIVER = "taskweb.jobs.webhooks.deliver_webhook"


def _as_json(value: dict[str, Any]) -> dict[str, Any]:
    # The same encoder as the API's answers (orjson): dates read the same in both.
    return orjson.loads(orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS))


def task_data(task: TaskRow) -> dict[str, Any]:
    """An event's ``data`` for a task: the task as the API serialises it."""
    return _as_json(task_json(task))


def member_data(project: Project, membership: Membership, username: str) -> dict[str, Any]:
    """``project.shared``'s ``data``: the project and who was added to it."""
    return _as_json({
        "project": {"id": project.id, "name": project.name, "owner_id": project.owner_id},
        "member": {"user_id": membership.user_id, "username": username,
                   "role": membership.role.value, "joined_at": membership.joined_at},
    })


@shared_task(name=FAN_OUT, bind=True)
def fan_out_webhook_events(self: Task) -> int:
    """Turn the undispatched events into deliveries, then send what is due."""
    events = webhook_dispatcher().fan_out()
    if events:
        self.app.tasks[DISPATCH].delay()
    return events


@shared_task(name=DISPATCH, bind=True)
def dispatch_webhook_deliveries(self: Task) -> int:
    """Lease the due deliveries and send one ``deliver_webhook`` job for each."""
    claimed = webhook_dispatcher().claim_due()
    deliver = self.app.tasks[DELIVER]
    for delivery_id, attempt in claimed:
        deliver.delay(delivery_id, attempt)
    return len(claimed)


@shared_task(name=DELIVER)
def deliver_webhook(delivery_id: int, attempt: int) -> bool | None:
    """Make one attempt of one delivery (see services/webhook_delivery.py)."""
    return webhook_dispatcher().deliver(delivery_id, attempt)


@event.listens_for(db.session, "before_commit")
def _write_the_noted_events(session: Session) -> None:
    """The events noted by this transaction's writes go into the outbox in it."""
    if OutboxRepository(session).write_noted(task_data, member_data):
        session.info[EVENTS_WRITTEN] = True


@event.listens_for(db.session, "after_commit")
def _fan_out_soon_after_events(session: Session) -> None:
    """A commit that wrote events asks a worker for a fan-out now rather than at the next
    tick; only with a broker (without one, the schedule's thread does it within
    seconds). The schedule guarantees delivery, so a broker that is down is only logged."""
    if not session.info.pop(EVENTS_WRITTEN, False):
        return
    if current_app.config["CELERY"].get("task_always_eager"):
        return
    celery_app = current_app.extensions["celery"]
    try:
        with celery_app.connection_for_write(transport_options=NO_RETRIES) as connection:
            celery_app.tasks[FAN_OUT].apply_async(retry=False, connection=connection)
    except (BrokerUnreachable, OSError):
        log.warning("could not ask for a webhook fan-out; the schedule will do it")


@event.listens_for(db.session, "after_rollback")
def _nothing_noted_after_a_rollback(session: Session) -> None:
    forget_noted(session)
    session.info.pop(EVENTS_WRITTEN, None)

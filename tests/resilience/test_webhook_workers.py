"""Webhooks delivered by real `celery worker` processes on the test PostgreSQL and a
Redis of this module's own: a worker SIGKILLed while its request is in flight leaves a
delivery that another worker makes later, with one attempt record per request sent."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from sqlalchemy import select, update

from config import celery_config
from taskweb.extensions import db
from taskweb.models import DeliveryStatus, WebhookDelivery
from tests.conftest import login_tokens, make_app
from tests.resilience.workers import (
    CeleryProcess,
    RedisServer,
    wait_for,
    worker_environment,
)
from tests.webhook_receiver import Receiver, running_receiver

DISPATCH = "taskweb.jobs.webhooks.dispatch_webhook_deliveries"


class Workers:
    def __init__(self, database_url: str) -> None:
        self.redis = RedisServer()
        self.redis.start()
        self.environment = worker_environment(database_url, self.redis.url,
                                              {"WEBHOOK_ALLOW_PRIVATE": "1"})
        # Two workers, started together (a start takes seconds): whichever takes the
        # delivery is killed, the other makes it later.
        pair = [CeleryProcess.worker(self.environment, name=name, wait=False)
                for name in ("first", "second")]
        for worker in pair:
            wait_for(lambda started=worker: "ready." in started.log_text()
                     or started.exited(), 60, "a worker's start")
            assert not worker.exited(), worker.log_text()[-3000:]
        self.pair = pair
        # The web side: its commits ask the workers for a prompt fan-out through Redis.
        self.web = make_app(database_url, CELERY=celery_config(self.redis.url, 1),
                            WEBHOOK_ALLOW_PRIVATE=True)

    def holding(self, task_name: str) -> tuple[CeleryProcess, CeleryProcess]:
        """(the worker that took a ``task_name`` job, the other one)."""
        first, second = self.pair
        return (first, second) if task_name in first.log_text() else (second, first)

    def stop(self) -> None:
        for worker in self.pair:
            worker.kill()
        self.redis.stop()
        with self.web.app_context():
            db.engine.dispose()


@pytest.fixture(scope="module")
def workers(migrated_database: str) -> Iterator[Workers]:
    started = Workers(migrated_database)
    yield started
    started.stop()


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    yield from running_receiver()


def the_delivery(app: Flask) -> WebhookDelivery | None:
    with app.app_context():
        delivery = db.session.scalar(select(WebhookDelivery))
        if delivery is not None:
            db.session.expunge(delivery)
        db.session.rollback()
        return delivery


def test_a_worker_killed_mid_delivery_leaves_it_to_another_once_per_attempt(
        app, user, workers, receiver) -> None:
    client = workers.web.test_client()
    headers = {"Authorization": f"Bearer {login_tokens(client, user.email)['access_token']}"}
    hook = client.post("/api/v1/webhooks", headers=headers,
                       json={"url": receiver.url, "events": ["task.created"]})
    assert hook.status_code == 201, hook.get_json()
    receiver.gate = threading.Event()  # the receiver holds the first request
    task = client.post("/api/v1/tasks", headers=headers, json={"title": "Survives"})
    assert task.status_code == 201

    wait_for(lambda: len(receiver.received) == 1, 30, "the first attempt's request",
             every=0.02)
    holder, survivor = workers.holding("deliver_webhook[")
    holder.kill()  # SIGKILL while the request waits for its answer
    assert not survivor.exited()
    gate, receiver.gate = receiver.gate, None
    gate.set()
    killed = the_delivery(app)
    assert killed.status is DeliveryStatus.PENDING and killed.attempts == 1
    assert killed.last_response_code is None  # the attempt was counted, never answered

    # The lease lapses (as it would a minute later) and the schedule's next dispatch
    # hands the delivery to the other worker as a second attempt.
    with app.app_context():
        db.session.execute(update(WebhookDelivery).values(
            claimed_until=datetime.now(timezone.utc) - timedelta(seconds=1)))
        db.session.commit()
    workers.web.extensions["celery"].tasks[DISPATCH].delay()
    wait_for(lambda: the_delivery(app).status is DeliveryStatus.DELIVERED, 30,
             "the delivery by the other worker")

    delivered = the_delivery(app)
    assert delivered.attempts == 2 == len(receiver.received)
    assert delivered.last_response_code == 200
    first, second = receiver.received
    assert first.body == second.body
    assert json.loads(second.body)["data"]["title"] == "Survives"
    assert first.headers["X-Taskweb-Delivery"] == second.headers["X-Taskweb-Delivery"]

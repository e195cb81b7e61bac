"""Reminders delivered by the real thing: `celery worker` and `celery beat` processes on
the test PostgreSQL and a Redis of this module's own, started once for the module.

Exactly once is checked per reminder (one notification per reminder_id, and every
reminder delivered); the workers' logs are checked for a second delivery even tried (a
unique violation on notifications.reminder_id). Redis stays down for 30 s, as long as an
operator's restart of it might take (``REDIS_OUTAGE_SECONDS`` shortens it while working
on these tests).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, insert, select

from taskweb.extensions import db
from taskweb.models import Notification, Reminder
from tests.conftest import login_tokens, make_app
from tests.resilience.workers import (
    CeleryProcess,
    RedisServer,
    wait_for,
    worker_environment,
)

OUTAGE_SECONDS = float(os.environ.get("REDIS_OUTAGE_SECONDS", "30"))


class Workers:
    def __init__(self, database_url: str, directory: Path) -> None:
        self.redis = RedisServer()
        self.redis.start()
        self.environment = worker_environment(database_url, self.redis.url)
        # beat loads the app while the worker starts
        self.beat = CeleryProcess.beat(self.environment, directory)
        self.worker = CeleryProcess.worker(self.environment)
        self.logs: list[str] = []

    def start_replacement(self) -> CeleryProcess:
        """A second worker, starting (not yet ready)."""
        return CeleryProcess.worker(self.environment, name="replacement", wait=False)

    def take_over(self, replacement: CeleryProcess) -> None:
        """The killed worker's log is kept; the replacement is the module's worker now."""
        self.logs.append(self.worker.log_text())
        self.worker = replacement

    def all_logs(self) -> str:
        return "\n".join([*self.logs, self.worker.log_text(), self.beat.log_text()])

    def stop(self) -> None:
        self.beat.kill()
        self.worker.kill()
        self.redis.stop()


@pytest.fixture(scope="module")
def workers(migrated_database: str, tmp_path_factory) -> Iterator[Workers]:
    started = Workers(migrated_database, tmp_path_factory.mktemp("beat"))
    yield started
    started.stop()


def now() -> datetime:
    return datetime.now(timezone.utc)


def seed(app: Flask, make_task, user, moments: list[datetime]) -> list[int]:
    tasks = [make_task(user, f"Task {n}") for n in range(10)]
    with app.app_context():
        ids = db.session.scalars(insert(Reminder).returning(Reminder.id), [
            {"task_id": tasks[n % len(tasks)].id, "remind_at": moment}
            for n, moment in enumerate(moments)]).all()
        db.session.commit()
    return sorted(ids)


def delivered(app: Flask) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Reminder)
                                  .where(Reminder.delivered_at.is_not(None)))
        db.session.rollback()
        return count or 0


def notifications(app: Flask) -> list[tuple[int, datetime]]:
    with app.app_context():
        rows = db.session.execute(select(Notification.reminder_id, Notification.created_at)
                                  ).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


def assert_each_delivered_once_and_not_early(app: Flask, workers: Workers,
                                             ids: list[int]) -> None:
    with app.app_context():
        due = dict(db.session.execute(select(Reminder.id, Reminder.remind_at)).all())
        db.session.rollback()
    found = notifications(app)
    assert sorted(reminder_id for reminder_id, _ in found) == ids
    assert all(created_at >= due[reminder_id] for reminder_id, created_at in found)
    assert "uq_notifications_reminder_id" not in workers.all_logs()


def test_a_reminder_written_through_the_api_arrives_once_within_seconds(
        app, client, user, workers) -> None:
    headers = {"Authorization": f"Bearer {login_tokens(client, user.email)['access_token']}"}
    at = (now() + timedelta(seconds=1)).replace(microsecond=0)
    task = client.post("/api/v1/tasks", headers=headers,
                       json={"title": "Water the plants", "reminders": [at.isoformat()]})
    assert task.status_code == 201, task.get_json()
    wait_for(lambda: delivered(app) == 1, 20, "the reminder's delivery")
    [(reminder_id, created_at)] = notifications(app)
    assert at <= created_at < at + timedelta(seconds=60)
    assert_each_delivered_once_and_not_early(app, workers, [reminder_id])


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
        app, make_task, user, workers) -> None:
    total = 1000  # ten batches
    start = now()
    ids = seed(app, make_task, user, [start - timedelta(milliseconds=n) for n in range(total)])
    # The replacement starts now (a worker takes seconds to start), and takes over the
    # queue when the first one is killed.
    replacement = workers.start_replacement()
    wait_for(lambda: delivered(app) > 0, 20, "the first deliveries", every=0.01)
    workers.worker.kill()
    at_kill = delivered(app)
    assert 0 < at_kill < total, at_kill  # killed mid-way, with batches still to do
    workers.take_over(replacement)
    wait_for(lambda: delivered(app) == total, 40, "every reminder's delivery")
    assert_each_delivered_once_and_not_early(app, workers, ids)


def test_reminders_due_while_redis_is_down_arrive_once_after_it_returns(
        app, make_task, user, workers, migrated_database) -> None:
    web = make_app(migrated_database, REDIS_URL=workers.redis.url,
                   RATELIMIT_STORAGE_URI=workers.redis.url, RATELIMIT_ENABLED=True)
    web_client = web.test_client()
    workers.redis.stop()
    down_at = now()
    ids = seed(app, make_task, user, [down_at + timedelta(seconds=OUTAGE_SECONDS * n / 10)
                                      for n in range(1, 10)])
    # The web app keeps answering through the outage, sign-in (rate limited) included.
    tokens = login_tokens(web_client, user.email)
    listed = web_client.get("/api/v1/tasks", headers={
        "Authorization": f"Bearer {tokens['access_token']}"})
    assert listed.status_code == 200
    time.sleep(max(0.0, OUTAGE_SECONDS - (now() - down_at).total_seconds()))
    assert delivered(app) == 0
    workers.redis.start()
    wait_for(lambda: delivered(app) == len(ids), 60, "the delivery after the outage")
    assert_each_delivered_once_and_not_early(app, workers, ids)
    with web.app_context():
        db.engine.dispose()

"""Reminder delivery on PostgreSQL, in the test process: the scheduler's claim (one
statement on ix_reminders_due), a batch's delivery (the same few statements for 5 or 100
reminders), two deliveries of one batch at once (one notification each), and the jobs
run inline as they are where no broker is configured. The real workers on Redis are in
tests/resilience/test_reminder_workers.py."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from config import DevelopmentConfig, ProductionConfig
from taskweb import create_app
from taskweb.extensions import db
from taskweb.jobs.inline import INLINE_SCHEDULE_EXTENSION, InlineScheduler
from taskweb.models import Notification, Reminder
from taskweb.repositories.reminders import due_reminders
from taskweb.wiring import CLOCK_EXTENSION, reminder_delivery
from tests.conftest import PASSWORD, make_app
from tests.integration.test_statement_counts import counted_statements

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def seed(app, make_task, user, count: int, at: datetime = NOW) -> list[int]:
    """``count`` reminders due at ``at`` on tasks of ``user``."""
    tasks = [make_task(user, f"Task {n}") for n in range(max(1, count // 5))]
    with app.app_context():
        rows = [{"task_id": tasks[n % len(tasks)].id,
                 "remind_at": at + timedelta(seconds=n)} for n in range(count)]
        ids = db.session.scalars(insert(Reminder).returning(Reminder.id), rows).all()
        db.session.commit()
        return sorted(ids)


def notified(app) -> list[int]:
    with app.app_context():
        return sorted(db.session.scalars(select(Notification.reminder_id)))


def test_the_claim_is_one_statement_on_the_due_index_and_never_early(
        app, make_task, user, stand_at) -> None:
    ids = seed(app, make_task, user, 3)
    stand_at(NOW + timedelta(seconds=1))  # the first two are due
    with app.app_context(), counted_statements(app) as statements:
        claimed = reminder_delivery().claim_due()
    assert claimed == [ids[:2]]
    assert len([s for s in statements if "reminders" in s]) == 1, statements
    # The claim's own query, on the partial index (a table this small would be read
    # whole otherwise: sequential scans are off for the EXPLAIN).
    with app.app_context():
        compiled = due_reminders(NOW, 5000).compile(dialect=db.engine.dialect)
        connection = db.session.connection()
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(
            f"EXPLAIN {compiled}", compiled.params))
        db.session.rollback()
    assert "ix_reminders_due" in plan, plan


@pytest.mark.parametrize("count", [5, 100])
def test_a_batch_is_delivered_in_a_constant_number_of_statements(
        app, make_task, user, stand_at, count) -> None:
    ids = seed(app, make_task, user, count)
    stand_at(NOW + timedelta(minutes=5))
    with app.app_context(), counted_statements(app) as statements:
        assert reminder_delivery().deliver(ids) == count
    # the locked batch, the notifications, delivered_at (and the transaction's own)
    assert len([s for s in statements if s.strip() not in ("BEGIN", "COMMIT")]) == 3, \
        statements
    assert notified(app) == ids


def test_two_deliveries_of_one_batch_at_once_notify_once(app, make_task, user,
                                                         stand_at) -> None:
    ids = seed(app, make_task, user, 60)
    stand_at(NOW + timedelta(minutes=5))
    barrier = threading.Barrier(3)
    counts: list[int] = []

    def deliver(batch: list[int]) -> None:
        with app.app_context():
            barrier.wait()
            counts.append(reminder_delivery().deliver(batch))

    # Overlapping batches: the middle third is in all three.
    threads = [threading.Thread(target=deliver, args=(ids[start:start + 40],))
               for start in (0, 10, 20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sum(counts) == 60
    assert notified(app) == ids


def test_two_schedulers_at_once_claim_each_reminder_once(app, make_task, user,
                                                         stand_at) -> None:
    ids = seed(app, make_task, user, 400)
    stand_at(NOW + timedelta(minutes=10))
    barrier = threading.Barrier(2)
    claims: list[list[int]] = []

    def claim() -> None:
        with app.app_context():
            barrier.wait()
            claims.append([i for batch in reminder_delivery().claim_due(limit=300)
                           for i in batch])

    threads = [threading.Thread(target=claim) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    first, second = claims
    assert not set(first) & set(second)
    assert sorted(first + second) == ids  # SKIP LOCKED: the second took the rest


def test_a_reminder_of_a_completed_task_is_delivered_silently(app, client, auth_headers,
                                                              stand_at) -> None:
    stand_at(NOW)
    task = client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "Done already", "reminders": [(NOW + timedelta(minutes=1)).isoformat()]}
    ).get_json()
    client.patch(f"/api/v1/tasks/{task['id']}", headers=auth_headers,
                 json={"status": "completed"})
    stand_at(NOW + timedelta(minutes=2))
    with app.app_context():
        (batch,) = reminder_delivery().claim_due()
        assert reminder_delivery().deliver(batch) == 0
        assert db.session.scalar(select(func.count()).select_from(Reminder)
                                 .where(Reminder.delivered_at.is_(None))) == 0
    assert notified(app) == []


def test_without_a_broker_the_schedule_delivers_inline(app, make_task, user,
                                                       stand_at) -> None:
    """What `make run` does with no Redis: the jobs run where they are sent, the
    schedule in a thread of the web process (its `run_due` here, without the thread)."""
    assert app.config["CELERY"]["task_always_eager"]
    ids = seed(app, make_task, user, 3)
    stand_at(NOW + timedelta(minutes=1))
    scheduler = InlineScheduler(app.extensions["celery"])
    poll = app.config["CELERY"]["beat_schedule"]["dispatch-due-reminders"]["schedule"]
    last_runs: dict[str, float] = {}
    scheduler.run_due(last_runs, 1000.0)  # the first look only starts the clocks
    assert notified(app) == []
    scheduler.run_due(last_runs, 1000.0 + poll)
    assert notified(app) == ids
    with app.app_context():
        kinds = set(db.session.scalars(select(Notification.kind)))
        messages = set(db.session.scalars(select(Notification.message)))
    assert {kind.value for kind in kinds} == {"reminder"}
    assert messages == {"Reminder: Task 0"}


def test_make_run_on_sqlite_delivers_through_the_inline_schedule(tmp_path) -> None:
    """`make run` on a bare machine: SQLite, no Redis. The schedule's thread delivers a
    reminder written through the API, once, and never before its time."""
    app = make_app(f"sqlite:///{tmp_path / 'taskweb.sqlite3'}")
    with app.app_context():
        upgrade()
    moments = iter([NOW, NOW + timedelta(seconds=59), NOW + timedelta(minutes=1)])
    current = [next(moments)]
    app.extensions[CLOCK_EXTENSION] = lambda: current[0]
    client = app.test_client()
    client.post("/api/v1/auth/register", json={
        "email": "s@example.com", "username": "sqlite", "password": PASSWORD})
    token = client.post("/api/v1/auth/login", json={
        "email": "s@example.com", "password": PASSWORD}).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post("/api/v1/tasks", headers=headers, json={
        "title": "On SQLite", "reminders": [(NOW + timedelta(minutes=1)).isoformat()]})
    assert created.get_json()["reminders"] == [(NOW + timedelta(minutes=1)).isoformat()]
    scheduler = InlineScheduler(app.extensions["celery"])
    poll = app.config["CELERY"]["beat_schedule"]["dispatch-due-reminders"]["schedule"]
    last_runs: dict[str, float] = {}
    scheduler.run_due(last_runs, 0.0)
    for tick in (1, 2, 3):
        current[0] = next(moments, current[0])
        scheduler.run_due(last_runs, tick * poll)
        with app.app_context():
            delivered = db.session.scalars(select(Notification.message)).all()
        assert delivered == ([] if tick == 1 else ["Reminder: On SQLite"])
    with app.app_context():
        db.engine.dispose()


def test_only_a_development_app_without_redis_runs_the_schedule_itself(tmp_path,
                                                                       monkeypatch) -> None:
    """`make run` starts the schedule's thread at its first request; production waits
    for `celery beat` (and warns without Redis), tests run jobs themselves."""
    url = f"sqlite:///{tmp_path / 'taskweb.sqlite3'}"
    development = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)
    scheduler = development.extensions[INLINE_SCHEDULE_EXTENSION]
    assert not scheduler.running
    try:
        assert development.test_client().get("/health").status_code in (200, 503)
        assert scheduler.running
    finally:
        scheduler.stop()
    assert not scheduler.running
    testing = make_app(url)
    for name, value in {"SECRET_KEY": "s" * 40, "JWT_SECRET_KEY": "j" * 40,
                        "PUBLIC_URL": "https://tasks.example.com", "DATABASE_URL": url}.items():
        monkeypatch.setenv(name, value)
    production = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url)
    for app in (testing, production):
        assert INLINE_SCHEDULE_EXTENSION not in app.extensions
    for app in (development, testing, production):
        with app.app_context():
            db.engine.dispose()

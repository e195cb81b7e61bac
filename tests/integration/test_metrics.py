"""/metrics in one process: who may read it, the request instruments after requests,
rate-limit hits, and the scrape-time collector against a known state (reminders at a
frozen clock, a real Redis list). Several gunicorn workers: tests/resilience/
test_metrics_workers.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from redis import Redis
from sqlalchemy import insert

from config import ConfigError, load_settings
from taskweb.extensions import db
from taskweb.metrics.collector import REDIS_CLIENT_EXTENSION
from taskweb.models import Reminder
from taskweb.repositories.metrics import oldest_due_reminder_query
from tests.conftest import make_app
from tests.integration.test_statement_counts import counted_statements

TOKEN = "metrics-token-for-tests-0123456789abcdef"
SCRAPER = {"Authorization": f"Bearer {TOKEN}"}
NOW = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)


def value(text: str, name: str, **labels: str) -> float | None:
    """The sample ``name`` with exactly ``labels`` in an exposition, or None."""
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


@pytest.fixture
def scraped(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[FlaskClient]:
    """A client of the app with METRICS_TOKEN set."""
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)
    yield app.test_client()


def scrape(client: FlaskClient) -> str:
    response = client.get("/metrics", headers=SCRAPER)
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    return response.get_data(as_text=True)


def test_without_a_token_configured_metrics_is_not_found(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", headers=SCRAPER).status_code == 404


@pytest.mark.parametrize("authorization", [None, "Bearer wrong", f"Basic {TOKEN}",
                                           f"Bearer {TOKEN}x", f"Token {TOKEN}"])
def test_a_request_without_the_token_is_refused(scraped: FlaskClient,
                                                authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = scraped.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert "taskweb_" not in response.get_data(as_text=True)


def test_requests_are_counted_and_timed_by_endpoint_and_status(scraped: FlaskClient) -> None:
    before = scrape(scraped)
    for _ in range(3):
        assert scraped.get("/health").status_code == 200
    assert scraped.get("/no/such/page/made-up-by-a-client").status_code == 404
    after = scrape(scraped)

    def grown(name: str, **labels: str) -> float:
        return (value(after, name, **labels) or 0) - (value(before, name, **labels) or 0)

    health = {"endpoint": "system.health", "status": "200"}
    assert grown("taskweb_http_requests_total", method="GET", **health) == 3
    assert grown("taskweb_http_request_duration_seconds_count", **health) == 3
    assert grown("taskweb_http_request_duration_seconds_bucket", le="+Inf", **health) == 3
    assert grown("taskweb_http_request_duration_seconds_bucket", le="10.0", **health) == 3
    assert grown("taskweb_http_requests_total", endpoint="none", method="GET",
                 status="404") == 1
    # The path a client made up is never a label: the series cannot grow without bound.
    assert "made-up-by-a-client" not in after
    # The previous scrape is a request like another.
    assert value(after, "taskweb_http_requests_total", endpoint="metrics.metrics",
                 method="GET", status="200")


def test_database_pool_use(scraped: FlaskClient) -> None:
    text = scrape(scraped)
    assert value(text, "taskweb_db_pool_size") >= 5
    # The scrape's own request holds one connection (its reminder query) while it counts.
    assert value(text, "taskweb_db_pool_checked_out") >= 1


def test_reminder_lag_is_the_age_of_the_oldest_due_undelivered_reminder(
        app: Flask, scraped: FlaskClient, make_task, user, stand_at) -> None:
    stand_at(NOW)
    assert value(scrape(scraped), "taskweb_reminder_lag_seconds") == 0
    task = make_task(user)
    with app.app_context():
        db.session.execute(insert(Reminder), [
            {"task_id": task.id, "remind_at": NOW - timedelta(minutes=10),
             "delivered_at": NOW - timedelta(minutes=10)},
            {"task_id": task.id, "remind_at": NOW - timedelta(seconds=90)},
            {"task_id": task.id, "remind_at": NOW - timedelta(seconds=30),
             "claimed_until": NOW + timedelta(seconds=5)},
            {"task_id": task.id, "remind_at": NOW + timedelta(minutes=1)},
        ])
        db.session.commit()
    text = scrape(scraped)
    assert value(text, "taskweb_reminder_lag_seconds") == 90
    assert value(text, "taskweb_metrics_source_up", source="database") == 1


def test_reminder_lag_is_one_read_of_the_due_index(app: Flask) -> None:
    with app.app_context():
        query = oldest_due_reminder_query(NOW)
        compiled = query.compile(dialect=db.engine.dialect)
        connection = db.session.connection()
        # A table this small would be read whole otherwise.
        connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = "\n".join(row[0] for row in connection.exec_driver_sql(
            f"EXPLAIN {compiled}", compiled.params))
        db.session.rollback()
    assert "ix_reminders_due" in plan, plan


@pytest.mark.parametrize("reminders", [1, 60])
def test_a_scrape_costs_one_statement_whatever_the_reminders(
        app: Flask, scraped: FlaskClient, make_task, user, stand_at, reminders: int) -> None:
    stand_at(NOW)
    task = make_task(user)
    with app.app_context():
        db.session.execute(insert(Reminder), [
            {"task_id": task.id, "remind_at": NOW - timedelta(seconds=n + 1)}
            for n in range(reminders)])
        db.session.commit()
    with counted_statements(app) as statements:
        text = scrape(scraped)
    assert value(text, "taskweb_reminder_lag_seconds") == reminders
    assert len(statements) == 1, statements


def test_celery_queue_length_is_read_from_redis(app: Flask, scraped: FlaskClient,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    redis_url = os.environ["TEST_REDIS_URL"]
    monkeypatch.setitem(app.config, "REDIS_URL", redis_url)
    monkeypatch.delitem(app.extensions, REDIS_CLIENT_EXTENSION, raising=False)
    redis = Redis.from_url(redis_url)
    redis.delete("celery")
    try:
        redis.lpush("celery", "job 1", "job 2", "job 3")
        text = scrape(scraped)
        assert value(text, "taskweb_celery_queue_length", queue="celery") == 3
        assert value(text, "taskweb_metrics_source_up", source="redis") == 1
        redis.rpop("celery")
        assert value(scrape(scraped), "taskweb_celery_queue_length", queue="celery") == 2
    finally:
        redis.delete("celery")
        app.extensions.pop(REDIS_CLIENT_EXTENSION, None)


def test_redis_not_answering_is_reported_not_a_failed_scrape(
        app: Flask, scraped: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:1/0")
    monkeypatch.delitem(app.extensions, REDIS_CLIENT_EXTENSION, raising=False)
    try:
        text = scrape(scraped)
    finally:
        app.extensions.pop(REDIS_CLIENT_EXTENSION, None)
    assert value(text, "taskweb_metrics_source_up", source="redis") == 0
    assert value(text, "taskweb_celery_queue_length", queue="celery") is None
    assert value(text, "taskweb_reminder_lag_seconds") is not None


def test_no_queue_is_reported_without_a_broker(scraped: FlaskClient) -> None:
    text = scrape(scraped)
    assert value(text, "taskweb_metrics_source_up", source="redis") is None
    assert "taskweb_celery_queue_length" not in text


def test_rate_limit_hits_are_counted_by_endpoint(migrated_database: str) -> None:
    app = make_app(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute",
                   METRICS_TOKEN=TOKEN)
    client = app.test_client()
    labels = {"endpoint": "auth.refresh"}
    before = value(scrape(client), "taskweb_rate_limit_hits_total", **labels) or 0
    statuses = [client.post("/api/v1/auth/refresh").status_code for _ in range(4)]
    assert statuses == [401, 401, 429, 429]
    text = scrape(client)
    assert value(text, "taskweb_rate_limit_hits_total", **labels) == before + 2
    assert value(text, "taskweb_http_requests_total", endpoint="auth.refresh",
                 method="POST", status="429") >= 2


@pytest.mark.parametrize(("name", "value"), [
    ("METRICS_TOKEN", "short"),
    ("PROMETHEUS_MULTIPROC_DIR", "/no/such/directory"),
    ("PROMETHEUS_MULTIPROC_DIR", __file__),
])
def test_a_bad_metrics_setting_stops_start_up_naming_it(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=f"^{name} must"):
        load_settings({name: value})


def test_metrics_settings_are_read(tmp_path) -> None:
    settings = load_settings({"METRICS_TOKEN": TOKEN, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)})
    assert settings.flask_config()["METRICS_TOKEN"] == TOKEN
    assert settings.flask_config()["PROMETHEUS_MULTIPROC_DIR"] == str(tmp_path)
    assert load_settings({}).flask_config()["METRICS_TOKEN"] is None

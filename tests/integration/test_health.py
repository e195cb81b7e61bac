import os
import socket

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.conftest import make_app


def test_health_reports_database_ok(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_live_answers_without_touching_the_database() -> None:
    # A database nobody listens on: liveness must not depend on it.
    app = make_app(f"postgresql+psycopg2://postgres@127.0.0.1:{closed_port()}/none")
    response = app.test_client().get("/health/live")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_ready_without_redis_configured_reports_it(client: FlaskClient) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok",
                                   "checks": {"database": "ok", "redis": "not configured"}}


def test_ready_asks_the_configured_redis(database_url: str) -> None:
    redis_url = os.environ.get("TEST_REDIS_URL")
    if not redis_url:
        pytest.skip("TEST_REDIS_URL is not set")
    response = make_app(database_url, REDIS_URL=redis_url).test_client().get("/health/ready")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_ready_names_redis_when_it_does_not_answer(database_url: str) -> None:
    app = make_app(database_url, REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0")
    response = app.test_client().get("/health/ready")
    assert_not_ready(response, {"database": "ok", "redis": "unavailable"}, "redis")


def test_ready_names_the_database_when_it_does_not_answer() -> None:
    app = make_app(f"postgresql+psycopg2://postgres@127.0.0.1:{closed_port()}/none")
    response = app.test_client().get("/health/ready")
    assert_not_ready(response, {"database": "unavailable", "redis": "not configured"},
                     "database")


def assert_not_ready(response: TestResponse, checks: dict[str, str], named: str) -> None:
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    body = response.get_json()
    assert body["status"] == 503 and body["checks"] == checks
    assert named in body["detail"]


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

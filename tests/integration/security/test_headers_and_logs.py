"""Security headers on every response; request ids; JSON logs without secrets."""

from __future__ import annotations

import json
import logging

import pytest
from flask.testing import FlaskClient

from tests.conftest import PASSWORD


@pytest.mark.parametrize("path", ["/health", "/api/v1/openapi.json", "/api/v1/nothing", "/docs"])
def test_security_headers_everywhere(client: FlaskClient, path: str) -> None:
    headers = client.get(path).headers
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] and headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # only in production


def test_request_id_is_generated_or_honoured(client: FlaskClient) -> None:
    generated = client.get("/health").headers["X-Request-ID"]
    assert len(generated) >= 16
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers[
        "X-Request-ID"] == "abc-123"
    hostile = client.get("/health", headers={"X-Request-ID": "x\" injected"})
    assert hostile.headers["X-Request-ID"] != "x\" injected"


def test_one_json_line_per_request_with_user(client, auth_headers, user, caplog) -> None:
    caplog.set_level(logging.INFO, logger="taskweb")
    client.get("/api/v1/tasks", headers={**auth_headers, "X-Request-ID": "req-1"})
    [record] = [r for r in caplog.records if r.name == "taskweb.request"]
    assert (record.request_id, record.user_id, record.method, record.path, record.status) == (
        "req-1", user.id, "GET", "/api/v1/tasks", 200
    )
    assert record.duration_ms >= 0
    from taskweb.observability import JsonFormatter

    assert json.loads(JsonFormatter().format(record))["path"] == "/api/v1/tasks"


def test_security_events_and_no_secrets_in_logs(client, user, caplog) -> None:
    caplog.set_level(logging.INFO, logger="taskweb")
    client.post("/api/v1/auth/login", json={"email": user.email, "password": "wrong password!"})
    tokens = client.post("/api/v1/auth/login",
                         json={"email": user.email, "password": PASSWORD}).get_json()
    client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    events = [getattr(r, "event", None) for r in caplog.records if r.name == "taskweb.security"]
    assert events == ["login_failed", "login_succeeded", "refresh_token_reused"]
    text = caplog.text + "".join(str(vars(r)) for r in caplog.records)
    for secret in (PASSWORD, "wrong password!", tokens["access_token"], tokens["refresh_token"]):
        assert secret not in text

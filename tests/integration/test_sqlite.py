"""The embedded default: migrations and the API run on SQLite too (what `make run` uses)."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade

from taskweb.extensions import db
from tests.conftest import PASSWORD, make_app


def test_app_runs_on_sqlite(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'taskweb.sqlite3'}")
    with app.app_context():
        upgrade()
    client = app.test_client()
    assert client.get("/health").get_json()["database"] == "ok"
    registered = client.post(
        "/api/v1/auth/register",
        json={"email": "s@example.com", "username": "sqlite", "password": PASSWORD},
    )
    assert registered.status_code == 201
    duplicate = client.post(
        "/api/v1/auth/register",
        json={"email": "S@EXAMPLE.COM", "username": "other", "password": PASSWORD},
    )
    assert duplicate.status_code == 409
    token = client.post(
        "/api/v1/auth/login", json={"email": "s@example.com", "password": PASSWORD}
    ).get_json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    task = client.post(
        "/api/v1/tasks", json={"title": "On SQLite", "due_date": "2026-12-01T10:00:00+02:00"},
        headers=headers,
    ).get_json()
    assert task["due_date"] == "2026-12-01T08:00:00+00:00"
    assert task["created_at"].endswith("+00:00")
    page = client.get("/api/v1/tasks?q=sqlite&sort=due_date", headers=headers).get_json()
    assert page["total"] == 1
    with app.app_context():
        db.engine.dispose()

"""The sync feed on SQLite (what `make run` uses): the counter row and the triggers of
migration 0012 number changes, deletions and changes of access there too."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade

from taskweb.extensions import db
from tests.conftest import PASSWORD, make_app


def test_sync_works_on_sqlite(tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'taskweb.sqlite3'}")
    with app.app_context():
        upgrade()
    client = app.test_client()
    headers = {}
    for name in ("ann", "bob"):
        client.post("/api/v1/auth/register", json={
            "email": f"{name}@example.com", "username": name, "password": PASSWORD})
        token = client.post("/api/v1/auth/login", json={
            "email": f"{name}@example.com", "password": PASSWORD}).get_json()["access_token"]
        headers[name] = {"Authorization": f"Bearer {token}"}
    project = client.post("/api/v1/projects", json={"name": "Shared"},
                          headers=headers["ann"]).get_json()
    task = client.post("/api/v1/tasks", json={"title": "Shared", "project_id": project["id"]},
                       headers=headers["ann"]).get_json()
    bob_start = client.get("/api/v1/sync", headers=headers["bob"]).get_json()
    assert [p["name"] for p in bob_start["projects"]] == ["Inbox"] and bob_start["tasks"] == []

    client.post(f"/api/v1/projects/{project['id']}/members/",
                json={"username": "bob", "role": "editor"}, headers=headers["ann"])
    joined = client.get("/api/v1/sync", query_string={"since": bob_start["cursor"]},
                        headers=headers["bob"]).get_json()
    assert [t["id"] for t in joined["tasks"]] == [task["id"]]
    assert [p["id"] for p in joined["projects"]] == [project["id"]]

    client.patch(f"/api/v1/tasks/{task['id']}", json={"title": "Renamed"},
                 headers=headers["ann"])
    changed = client.get("/api/v1/sync", query_string={"since": joined["cursor"]},
                         headers=headers["bob"]).get_json()
    assert [t["title"] for t in changed["tasks"]] == ["Renamed"]
    assert int(changed["cursor"]) > int(joined["cursor"])

    bob_id = client.get("/api/v1/users/me", headers=headers["bob"]).get_json()["id"]
    client.delete(f"/api/v1/projects/{project['id']}/members/{bob_id}", headers=headers["ann"])
    removed = client.get("/api/v1/sync", query_string={"since": changed["cursor"]},
                         headers=headers["bob"]).get_json()
    assert removed["deleted"] == {"tasks": [task["id"]], "projects": [project["id"]]}
    with app.app_context():
        db.engine.dispose()

"""GET /projects/<id>/version: what an open project page polls to learn that its tasks
changed (static/live_updates.js)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from taskweb.models import User
from tests.integration.test_statement_counts import counted_statements
from tests.web.conftest import login


def _project(client: FlaskClient, headers: dict[str, str], name: str) -> int:
    response = client.post("/api/v1/projects/", json={"name": name}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _task(client: FlaskClient, headers: dict[str, str], project_id: int, title: str) -> dict:
    response = client.post("/api/v1/tasks/", json={"title": title, "project_id": project_id},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _patch(client: FlaskClient, headers: dict[str, str], task_id: int, **fields: Any) -> None:
    response = client.patch(f"/api/v1/tasks/{task_id}", json=fields, headers=headers)
    assert response.status_code == 200, response.get_json()


@pytest.fixture
def watcher(client: FlaskClient, user: User) -> FlaskClient:
    """A browser session of ``user`` (the API calls use bearer tokens beside it)."""
    assert login(client, user.email).status_code == 303
    return client


def _etag(client: FlaskClient, project_id: int) -> str:
    response = client.get(f"/projects/{project_id}/version")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"
    return response.headers["ETag"]


def test_a_matching_etag_gets_an_empty_304(watcher, auth_headers) -> None:
    project_id = _project(watcher, auth_headers, "Garden")
    etag = _etag(watcher, project_id)
    response = watcher.get(f"/projects/{project_id}/version", headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.data == b""
    assert response.headers["ETag"] == etag


def test_every_change_a_page_shows_changes_the_version(watcher, auth_headers) -> None:
    garden = _project(watcher, auth_headers, "Garden")
    shed = _project(watcher, auth_headers, "Shed")
    seen = [_etag(watcher, garden)]

    def changed() -> bool:
        seen.append(_etag(watcher, garden))
        return seen[-1] != seen[-2]

    task = _task(watcher, auth_headers, garden, "Water the roses")
    assert changed(), "a task added"
    _patch(watcher, auth_headers, task["id"], title="Water the tulips")
    assert changed(), "renamed"
    _patch(watcher, auth_headers, task["id"], status="completed")
    assert changed(), "completed"
    assert watcher.delete(f"/api/v1/tasks/{task['id']}", headers=auth_headers).status_code == 204
    assert changed(), "moved to the trash"
    other = _task(watcher, auth_headers, shed, "Oil the hinges")
    assert not changed(), "a task of another project"
    _patch(watcher, auth_headers, other["id"], project_id=garden)
    assert changed(), "a task moved in"
    _patch(watcher, auth_headers, other["id"], project_id=shed)
    assert changed(), "a task moved out"
    # In and out again: the project shows what it showed before, and so may its version
    # (a page that slept through both has nothing to refresh).
    assert seen[-1] == seen[-3]


def test_a_project_one_cannot_see_is_not_found(watcher, client, other_auth_headers,
                                               new_client) -> None:
    theirs = _project(watcher, other_auth_headers, "Theirs")
    assert watcher.get(f"/projects/{theirs}/version").status_code == 404
    assert watcher.get("/projects/999999/version").status_code == 404


def test_a_member_sees_the_version_of_a_shared_project(watcher, user, other_auth_headers
                                                       ) -> None:
    shared = _project(watcher, other_auth_headers, "Shared")
    response = watcher.post(f"/api/v1/projects/{shared}/members/",
                            json={"username": user.username, "role": "viewer"},
                            headers=other_auth_headers)
    assert response.status_code == 201, response.get_json()
    before = _etag(watcher, shared)
    _task(watcher, other_auth_headers, shared, "Theirs, seen by me")
    assert _etag(watcher, shared) != before


def test_a_page_whose_session_ended_is_told_to_stop(client, auth_headers) -> None:
    project_id = _project(client, auth_headers, "Garden")
    response = client.get(f"/projects/{project_id}/version")
    assert response.status_code == 286 and response.data == b""


@pytest.mark.parametrize("tasks", [2, 40])
def test_the_version_is_one_statement_whatever_the_tasks(app, watcher, auth_headers,
                                                         tasks) -> None:
    project_id = _project(watcher, auth_headers, "Garden")
    for n in range(tasks):
        _task(watcher, auth_headers, project_id, f"Task {n}")
    etag = _etag(watcher, project_id)
    with counted_statements(app) as statements:
        response = watcher.get(f"/projects/{project_id}/version",
                               headers={"If-None-Match": etag})
    assert response.status_code == 304
    # The session's user (one statement, as on every page), then the version.
    assert len(statements) == 2, statements
    assert "max" in statements[1].lower() and "count" in statements[1].lower()

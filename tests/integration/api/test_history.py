"""Repeating tasks through every door that completes a task, and GET /tasks/{id}/history,
on PostgreSQL."""

from __future__ import annotations

import pytest

from tests.integration.test_races import simultaneously
from tests.integration.test_statement_counts import counted_statements

TASKS = "/api/v1/tasks"
DUE = "2026-11-26T08:00:00+00:00"  # 9:00 in Berlin
NEXT = "2026-11-27T08:00:00+00:00"


def new(client, headers, title="Water plants", **fields) -> dict:
    response = client.post(TASKS, json={"title": title, **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def daily(client, headers, **fields) -> dict:
    return new(client, headers, **{"recurrence": "FREQ=DAILY", "due_date": DUE, **fields})


def history(client, headers, task_id, query="") -> list[dict]:
    response = client.get(f"{TASKS}/{task_id}/history{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def assert_advanced(task: dict, due: str = NEXT) -> None:
    assert (task["status"], task["due_date"], task["completed_at"]) == ("todo", due, None)


@pytest.mark.parametrize("method", ["patch", "put"])
def test_completing_a_repeating_task_advances_it(client, auth_headers, user, method) -> None:
    task = daily(client, auth_headers)
    response = getattr(client, method)(f"{TASKS}/{task['id']}", json={"status": "completed"},
                                       headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["id"] == task["id"]
    assert_advanced(response.get_json())
    events = history(client, auth_headers, task["id"])
    assert [(e["kind"], e["user_id"]) for e in events] == [("completed", user.id),
                                                            ("created", user.id)]
    assert events[0]["changes"] == {"due_date": [DUE, NEXT]}


def test_the_callers_zone_keeps_the_wall_clock_across_dst(client, auth_headers) -> None:
    assert client.put("/api/v1/users/me", json={"time_zone": "Europe/Berlin"},
                        headers=auth_headers).status_code == 200
    task = new(client, auth_headers, recurrence="FREQ=DAILY", due_date="2026-10-24T07:00:00+00:00")
    done = client.patch(f"{TASKS}/{task['id']}", json={"status": "completed"},
                        headers=auth_headers).get_json()
    assert_advanced(done, "2026-10-25T08:00:00+00:00")  # 9:00 CEST, then 9:00 CET


def test_bulk_complete_and_the_board_move_advance_too(client, auth_headers) -> None:
    repeating = [daily(client, auth_headers) for _ in range(3)]
    plain = new(client, auth_headers, "Once")
    response = client.post(f"{TASKS}/bulk", json={
        "ids": [task["id"] for task in [*repeating, plain]], "action": "complete"},
        headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    *advanced, done = response.get_json()["items"]
    for task in advanced:
        assert_advanced(task)
    assert done["status"] == "completed"
    moved = client.post(f"{TASKS}/{repeating[0]['id']}/move", json={"status": "completed"},
                        headers=auth_headers)
    assert moved.status_code == 200, moved.get_json()
    assert_advanced(moved.get_json(), "2026-11-28T08:00:00+00:00")
    assert [e["kind"] for e in history(client, auth_headers, repeating[0]["id"])] == [
        "completed", "completed", "created"]


def test_the_last_occurrence_completes_it(client, auth_headers) -> None:
    task = daily(client, auth_headers, recurrence="FREQ=DAILY;COUNT=2")
    first = client.patch(f"{TASKS}/{task['id']}", json={"status": "completed"},
                         headers=auth_headers).get_json()
    assert (first["status"], first["recurrence"]) == ("todo", "FREQ=DAILY;COUNT=1")
    last = client.patch(f"{TASKS}/{task['id']}", json={"status": "completed"},
                        headers=auth_headers).get_json()
    assert (last["status"], last["due_date"]) == ("completed", NEXT)
    assert last["completed_at"] is not None


def test_history_records_each_write_newest_first(client, auth_headers, user,
                                                  other_user, other_auth_headers) -> None:
    task = new(client, auth_headers, "Old", labels=["a"])
    client.patch(f"{TASKS}/{task['id']}", json={"title": "New", "labels": ["a", "b"],
                                                "priority": task["priority"]},
                 headers=auth_headers)
    client.delete(f"{TASKS}/{task['id']}", headers=auth_headers)
    assert client.get(f"{TASKS}/{task['id']}/history", headers=auth_headers).status_code == 404
    client.post(f"/api/v1/trash/{task['id']}/restore", headers=auth_headers)
    events = history(client, auth_headers, task["id"])
    assert [e["kind"] for e in events] == ["restored", "deleted", "changed", "created"]
    assert events[2]["changes"] == {"title": ["Old", "New"], "labels": [["a"], ["a", "b"]]}
    assert events[0]["at"] >= events[-1]["at"]
    page = client.get(f"{TASKS}/{task['id']}/history?limit=1&offset=1",
                      headers=auth_headers).get_json()
    assert ([e["kind"] for e in page["items"]], page["total"], page["limit"],
            page["offset"]) == (["deleted"], 4, 1, 1)
    # Another user's task, and one that does not exist, are the same 404.
    for url in (f"{TASKS}/{task['id']}/history", f"{TASKS}/999999/history"):
        response = client.get(url, headers=other_auth_headers)
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(("query", "field"), [
    ("?limit=0", "limit"), ("?limit=abc", "limit"), ("?limit=100000", "limit"),
    ("?offset=-1", "offset"), ("?offset=x", "offset"),
])
def test_bad_paging_is_a_422_naming_the_parameter(client, auth_headers, query, field) -> None:
    task = new(client, auth_headers)
    response = client.get(f"{TASKS}/{task['id']}/history{query}", headers=auth_headers)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


@pytest.mark.parametrize("writes", [1, 30])
def test_history_runs_a_constant_number_of_statements(app, client, auth_headers,
                                                      writes) -> None:
    task = new(client, auth_headers)
    for n in range(writes):
        client.patch(f"{TASKS}/{task['id']}", json={"title": f"T{n}"}, headers=auth_headers)
    with counted_statements(app) as statements:
        assert len(history(client, auth_headers, task["id"], "?limit=100")) == writes + 1
    assert len(statements) == 3, statements  # user with revocation, visibility, page


def test_simultaneous_completions_each_advance_once(app, client, auth_headers) -> None:
    task = daily(client, auth_headers)
    url = f"{TASKS}/{task['id']}"
    responses = simultaneously(app, lambda c: c.patch(url, json={"status": "completed"},
                                                      headers=auth_headers))
    assert sorted(r.status_code for r in responses) == [200, 200]
    assert_advanced(client.get(url, headers=auth_headers).get_json(), "2026-11-28T08:00:00+00:00")
    # With the version both read, one lands and the other is told the task changed.
    etag = client.get(url, headers=auth_headers).headers["ETag"]
    responses = simultaneously(app, lambda c: c.patch(
        url, json={"status": "completed"}, headers={**auth_headers, "If-Match": etag}))
    assert sorted(r.status_code for r in responses) == [200, 412]
    assert client.get(url, headers=auth_headers).get_json()["due_date"] == "2026-11-29T08:00:00+00:00"
    assert [e["kind"] for e in history(client, auth_headers, task["id"])] == [
        "completed"] * 3 + ["created"]


def test_imported_tasks_start_their_history_as_created(client, auth_headers, user) -> None:
    response = client.post("/api/v1/users/me/import", headers=auth_headers,
                           content_type="text/csv",
                           data="title,description,status,priority,due_date,project,labels\n"
                                "Imported one,,todo,low,,,\nImported two,,completed,high,,,\n")
    assert response.status_code == 201, response.get_json()
    ids = [task["id"] for task in client.get(TASKS, headers=auth_headers).get_json()["items"]]
    for task_id in ids:
        assert [(e["kind"], e["user_id"]) for e in history(client, auth_headers, task_id)] == [
            ("created", user.id)]


def test_advancing_and_history_on_sqlite(tmp_path) -> None:
    """What `make run` uses: the bulk UPDATE that gives each task its own next due date,
    and a task deleted for good (or with its project) taking its history with it:
    SQLite enforces no foreign keys unless told, and reuses the highest id."""
    from flask_migrate import upgrade

    from taskweb.extensions import db
    from tests.conftest import PASSWORD, make_app

    app = make_app(f"sqlite:///{tmp_path / 'taskweb.sqlite3'}")
    with app.app_context():
        upgrade()
    client = app.test_client()
    client.post("/api/v1/auth/register", json={"email": "s@example.com", "username": "lite",
                                               "password": PASSWORD})
    token = client.post("/api/v1/auth/login", json={"email": "s@example.com",
                                                    "password": PASSWORD}).get_json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    first = daily(client, headers)
    second = daily(client, headers, due_date="2026-11-30T08:00:00Z")
    response = client.post(f"{TASKS}/bulk", json={"ids": [first["id"], second["id"]],
                                                  "action": "complete"}, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert [t["due_date"] for t in response.get_json()["items"]] == [
        NEXT, "2026-12-01T08:00:00+00:00"]
    assert [e["kind"] for e in history(client, headers, second["id"])] == ["completed",
                                                                           "created"]
    client.delete(f"{TASKS}/{second['id']}", headers=headers)
    assert client.delete(f"/api/v1/trash/{second['id']}", headers=headers).status_code == 204
    again = new(client, headers, "Reuses the id")
    assert again["id"] == second["id"]
    assert [e["kind"] for e in history(client, headers, again["id"])] == ["created"]
    project = client.post("/api/v1/projects", json={"name": "Gone"}, headers=headers)
    doomed = new(client, headers, "In a deleted project", project_id=project.get_json()["id"])
    client.delete(f"/api/v1/projects/{project.get_json()['id']}", headers=headers)
    assert new(client, headers, "Reuses it too")["id"] == doomed["id"]
    assert len(history(client, headers, doomed["id"])) == 1
    project = client.post("/api/v1/projects", json={"name": "Garden"}, headers=headers)
    child = new(client, headers, "Child", parent_id=first["id"])
    moved = client.post(f"{TASKS}/bulk", json={"ids": [first["id"]], "action": "move",
                                               "value": project.get_json()["id"]},
                        headers=headers)
    assert moved.status_code == 200, moved.get_json()
    assert history(client, headers, child["id"])[0]["kind"] == "moved"
    with app.app_context():
        db.engine.dispose()

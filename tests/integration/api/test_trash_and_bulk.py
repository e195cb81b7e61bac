"""The trash and bulk actions through the API, on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from taskweb.extensions import db
from taskweb.models import Task
from tests.integration.test_races import simultaneously
from tests.integration.test_statement_counts import counted_statements

TASKS = "/api/v1/tasks"
TRASH = "/api/v1/trash"
BULK = "/api/v1/tasks/bulk"


def new(client, headers, title="A task", **fields) -> dict:
    response = client.post(TASKS, json={"title": title, **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def trash_of(client, headers) -> dict:
    response = client.get(TRASH, headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_deleted_task_answers_404_everywhere_but_the_trash(client, auth_headers) -> None:
    parent = new(client, auth_headers, "Parent", labels=["Errand"])
    step = new(client, auth_headers, "Step", parent_id=parent["id"])
    assert client.delete(f"{TASKS}/{parent['id']}", headers=auth_headers).status_code == 204
    for task in (parent, step):
        url = f"{TASKS}/{task['id']}"
        assert client.get(url, headers=auth_headers).status_code == 404
        assert client.patch(url, json={"title": "x"}, headers=auth_headers).status_code == 404
        assert client.delete(url, headers=auth_headers).status_code == 404
    assert client.get(TASKS, headers=auth_headers).get_json()["total"] == 0
    assert client.get("/api/v1/labels", headers=auth_headers).get_json()["items"] == []
    inbox = client.get("/api/v1/projects", headers=auth_headers).get_json()["items"][0]
    assert inbox["open_task_count"] == 0
    trash = trash_of(client, auth_headers)
    assert trash["total"] == 1 and [t["id"] for t in trash["items"]] == [parent["id"]]
    assert trash["items"][0]["deleted_at"] and trash["items"][0]["subtasks"]["total"] == 1


def test_restore_brings_back_the_same_task(client, auth_headers) -> None:
    parent = new(client, auth_headers, "Parent", labels=["Errand", "home"])
    step = new(client, auth_headers, "Step", parent_id=parent["id"])
    client.delete(f"{TASKS}/{parent['id']}", headers=auth_headers)
    response = client.post(f"{TRASH}/{parent['id']}/restore", headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    restored = response.get_json()
    assert restored["id"] == parent["id"] and restored["created_at"] == parent["created_at"]
    assert restored["labels"] == ["Errand", "home"]
    assert restored["subtasks"] == {"total": 1, "completed": 0}
    assert response.headers["ETag"] == '"3"'  # created 1, trashed 2, restored 3
    assert client.get(f"{TASKS}/{step['id']}", headers=auth_headers).status_code == 200
    assert trash_of(client, auth_headers)["total"] == 0
    # Not in the trash any more: nothing to restore or delete for good.
    assert client.post(f"{TRASH}/{parent['id']}/restore", headers=auth_headers).status_code == 404
    assert client.delete(f"{TRASH}/{parent['id']}", headers=auth_headers).status_code == 404


def test_a_write_that_read_the_task_before_its_deletion_is_refused(client, auth_headers
                                                                  ) -> None:
    task = new(client, auth_headers)
    client.delete(f"{TASKS}/{task['id']}", headers=auth_headers)
    client.post(f"{TRASH}/{task['id']}/restore", headers=auth_headers)
    stale = {**auth_headers, "If-Match": '"1"'}
    response = client.patch(f"{TASKS}/{task['id']}", json={"title": "x"}, headers=stale)
    assert response.status_code == 412


def test_delete_forever_and_empty_trash(client, auth_headers, other_auth_headers) -> None:
    ids = [new(client, auth_headers, f"t{n}")["id"] for n in range(3)]
    someone_elses = new(client, other_auth_headers, "theirs")["id"]
    for task_id in ids:
        client.delete(f"{TASKS}/{task_id}", headers=auth_headers)
    client.delete(f"{TASKS}/{someone_elses}", headers=other_auth_headers)
    assert client.delete(f"{TRASH}/{someone_elses}", headers=auth_headers).status_code == 404
    assert client.delete(f"{TRASH}/{ids[0]}", headers=auth_headers).status_code == 204
    assert client.post(f"{TRASH}/{ids[0]}/restore", headers=auth_headers).status_code == 404
    assert trash_of(client, auth_headers)["total"] == 2
    assert client.delete(f"{TRASH}/", headers=auth_headers).status_code == 204
    assert trash_of(client, auth_headers)["total"] == 0
    assert trash_of(client, other_auth_headers)["total"] == 1


def test_the_trash_lists_newest_deletion_first_in_pages(client, auth_headers) -> None:
    ids = [new(client, auth_headers, f"t{n}")["id"] for n in range(3)]
    for task_id in ids:
        client.delete(f"{TASKS}/{task_id}", headers=auth_headers)
    page = client.get(f"{TRASH}?limit=2&offset=1", headers=auth_headers).get_json()
    assert [t["id"] for t in page["items"]] == [ids[1], ids[0]]
    assert (page["total"], page["limit"], page["offset"]) == (3, 2, 1)


@pytest.mark.parametrize("query", ["limit=0", "limit=101", "limit=x", "offset=-1"])
def test_a_bad_trash_page_is_a_422_naming_the_parameter(client, auth_headers, query) -> None:
    response = client.get(f"{TRASH}?{query}", headers=auth_headers)
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]


def test_deleting_a_project_deletes_its_trash_for_good(app, client, auth_headers) -> None:
    project = client.post("/api/v1/projects", json={"name": "Gone"},
                          headers=auth_headers).get_json()
    task = new(client, auth_headers, project_id=project["id"])
    client.delete(f"{TASKS}/{task['id']}", headers=auth_headers)
    assert client.delete(f"/api/v1/projects/{project['id']}",
                         headers=auth_headers).status_code == 204
    assert trash_of(client, auth_headers)["total"] == 0
    with app.app_context():
        assert db.session.get(Task, task["id"]) is None


def test_the_export_carries_the_trash_and_the_import_puts_it_back(client, auth_headers,
                                                                  other_auth_headers) -> None:
    task = new(client, auth_headers, "Trashed")
    client.delete(f"{TASKS}/{task['id']}", headers=auth_headers)
    document = client.get("/api/v1/users/me/export", headers=auth_headers).get_json()
    [entry] = document["tasks"]
    assert entry["title"] == "Trashed" and entry["deleted_at"]
    response = client.post("/api/v1/users/me/import", json=document, headers=other_auth_headers)
    assert response.status_code == 201, response.get_json()
    assert client.get(TASKS, headers=other_auth_headers).get_json()["total"] == 0
    assert [t["title"] for t in trash_of(client, other_auth_headers)["items"]] == ["Trashed"]


def test_purge_expired_drops_trash_older_than_30_days(app, client, auth_headers, runner
                                                       ) -> None:
    old, recent = (new(client, auth_headers, title)["id"] for title in ("old", "recent"))
    for task_id in (old, recent):
        client.delete(f"{TASKS}/{task_id}", headers=auth_headers)
    with app.app_context():
        db.session.get(Task, old).deleted_at = datetime.now(timezone.utc) - timedelta(days=31)
        db.session.commit()
    assert runner.invoke(args=["purge-expired"]).exit_code == 0
    assert [t["id"] for t in trash_of(client, auth_headers)["items"]] == [recent]


def test_bulk_complete_changes_every_task_in_the_order_named(client, auth_headers) -> None:
    ids = [new(client, auth_headers, f"t{n}")["id"] for n in range(10)]
    response = client.post(BULK, json={"ids": ids[::-1], "action": "complete"},
                           headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    items = response.get_json()["items"]
    assert [t["id"] for t in items] == ids[::-1]
    assert {t["status"] for t in items} == {"completed"} and all(t["completed_at"] for t in items)
    listed = client.get(f"{TASKS}?status=completed", headers=auth_headers).get_json()
    assert listed["total"] == 10


@pytest.mark.parametrize(("action", "value", "check"), [
    ("set_priority", "high", lambda t: t["priority"] == "high"),
    ("set_due_date", "2026-12-05T17:00:00+01:00",
     lambda t: t["due_date"].startswith("2026-12-05T16:00:00")),
    ("set_due_date", None, lambda t: t["due_date"] is None),
    ("add_labels", ["New", "errand"], lambda t: t["labels"] == ["Errand", "New"]),
    ("remove_labels", ["ERRAND"], lambda t: t["labels"] == []),
    ("assign", None, lambda t: t["assignee_id"] is None),
])
def test_each_bulk_action(client, auth_headers, action, value, check) -> None:
    ids = [new(client, auth_headers, f"t{n}", labels=["Errand"],
               due_date="2026-12-01T00:00:00Z")["id"] for n in range(2)]
    response = client.post(BULK, json={"ids": ids, "action": action, "value": value},
                           headers=auth_headers)
    assert response.status_code == 200, response.get_json()
    assert all(check(t) for t in response.get_json()["items"])
    for task_id in ids:  # as stored, not only as answered
        stored = client.get(f"{TASKS}/{task_id}", headers=auth_headers)
        assert check(stored.get_json()) and stored.headers["ETag"] == '"2"'


def test_bulk_move_reopen_assign_and_delete(client, auth_headers, user) -> None:
    project = client.post("/api/v1/projects", json={"name": "Elsewhere"},
                          headers=auth_headers).get_json()
    parent = new(client, auth_headers, "parent", status="completed")
    step = new(client, auth_headers, "step", parent_id=parent["id"])
    ids = [parent["id"]]
    moved = client.post(BULK, json={"ids": ids, "action": "move", "value": project["id"]},
                        headers=auth_headers).get_json()["items"]
    assert moved[0]["project_id"] == project["id"]
    stored_step = client.get(f"{TASKS}/{step['id']}", headers=auth_headers).get_json()
    assert stored_step["project_id"] == project["id"]
    reopened = client.post(BULK, json={"ids": ids, "action": "reopen"},
                           headers=auth_headers).get_json()["items"]
    assert reopened[0]["status"] == "todo" and reopened[0]["completed_at"] is None
    assigned = client.post(BULK, json={"ids": ids, "action": "assign", "value": user.id},
                           headers=auth_headers).get_json()["items"]
    assert assigned[0]["assignee_id"] == user.id
    deleted = client.post(BULK, json={"ids": ids, "action": "delete"}, headers=auth_headers)
    assert deleted.status_code == 200 and deleted.get_json()["items"][0]["id"] == parent["id"]
    assert client.get(f"{TASKS}/{step['id']}", headers=auth_headers).status_code == 404
    assert trash_of(client, auth_headers)["total"] == 1


def test_bulk_is_all_or_nothing_and_lists_the_ids_at_fault(client, auth_headers,
                                                           other_auth_headers) -> None:
    mine = [new(client, auth_headers, f"t{n}")["id"] for n in range(3)]
    theirs = new(client, other_auth_headers, "theirs")["id"]
    response = client.post(BULK, json={"ids": [*mine, theirs, 999_999], "action": "complete"},
                           headers=auth_headers)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json()["errors"]["ids"] == [str(theirs), "999999"]
    assert client.get(f"{TASKS}?status=completed", headers=auth_headers).get_json()["total"] == 0
    # A trashed task is not there either.
    client.delete(f"{TASKS}/{mine[0]}", headers=auth_headers)
    response = client.post(BULK, json={"ids": mine, "action": "set_priority", "value": "low"},
                           headers=auth_headers)
    assert response.status_code == 404 and response.get_json()["errors"]["ids"] == [str(mine[0])]
    # A value that does not fit one of them: 422 naming it, nothing changed.
    full = new(client, auth_headers, "full", labels=[f"l{n}" for n in range(20)])["id"]
    response = client.post(BULK, json={"ids": [mine[1], full], "action": "add_labels",
                                       "value": ["one-more"]}, headers=auth_headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["ids"] == [str(full)]
    assert "value" in response.get_json()["errors"]
    assert client.get(f"{TASKS}/{mine[1]}", headers=auth_headers).get_json()["labels"] == []


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "complete"}, "ids"),
    ({"ids": [], "action": "complete"}, "ids"),
    ({"ids": list(range(1, 102)), "action": "complete"}, "ids"),
    ({"ids": "1,2", "action": "complete"}, "ids"),
    ({"ids": [1, None], "action": "complete"}, "ids"),
    ({"ids": [0], "action": "complete"}, "ids"),
    ({"ids": [1]}, "action"),
    ({"ids": [1], "action": ["complete"]}, "action"),
    ({"ids": [1], "action": "move", "value": "Inbox"}, "value"),
    ({"ids": [1], "action": "set_due_date", "value": "2026-13-01"}, "value"),
    ({"ids": [1], "action": "add_labels", "value": ["a" * 51]}, "value"),
    ({"ids": [1], "action": "complete", "owner_id": 2}, "owner_id"),
])
def test_bad_bulk_input_is_a_422_naming_the_field(client, auth_headers, body, field) -> None:
    response = client.post(BULK, json=body, headers=auth_headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_bulk_answers_with_and_without_a_trailing_slash(client, auth_headers) -> None:
    task = new(client, auth_headers)["id"]
    for url in (BULK, f"{BULK}/"):
        response = client.post(url, json={"ids": [task], "action": "complete"},
                               headers=auth_headers)
        assert response.status_code == 200
    assert client.post(BULK, data="x", headers=auth_headers).status_code == 415


@pytest.mark.parametrize("count", [3, 60])
def test_bulk_runs_a_constant_number_of_statements(app, client, auth_headers, count) -> None:
    ids = [new(client, auth_headers, f"t{n}", labels=["a"])["id"] for n in range(count)]
    for action, value in (("complete", None), ("add_labels", ["b", "c"]),
                          ("delete", None)):
        with counted_statements(app) as statements:
            response = client.post(BULK, json={"ids": ids, "action": action, "value": value},
                                   headers=auth_headers)
        assert response.status_code == 200, response.get_json()
        # user + revocation, lock + labels, the writes, the new state + labels; the
        # webhook events (the tasks + labels, one INSERT)
        assert len(statements) <= 12, (action, statements)


@pytest.mark.parametrize("count", [2, 30])
def test_the_trash_runs_a_constant_number_of_statements(app, client, auth_headers,
                                                        count) -> None:
    ids = [new(client, auth_headers, f"t{n}", labels=["a"])["id"] for n in range(count)]
    client.post(BULK, json={"ids": ids, "action": "delete"}, headers=auth_headers)
    with counted_statements(app) as statements:
        assert client.get(f"{TRASH}?limit=100", headers=auth_headers).status_code == 200
    assert len(statements) == 3, statements  # user + revocation, count, page (with labels)
    with counted_statements(app) as statements:
        assert client.post(f"{TRASH}/{ids[0]}/restore", headers=auth_headers).status_code == 200
    assert len(statements) <= 10, statements  # 1 of them the look for a webhook
    with counted_statements(app) as statements:
        assert client.delete(TRASH, headers=auth_headers).status_code == 204
    assert len(statements) <= 6, statements


def test_simultaneous_bulk_requests_on_overlapping_ids_lose_nothing(app, client,
                                                                    auth_headers) -> None:
    ids = [new(client, auth_headers, f"t{n}")["id"] for n in range(20)]
    first, second = ids[:14], ids[6:][::-1]  # overlapping, named in opposite orders
    for _ in range(5):
        bodies = iter([{"ids": first, "action": "add_labels", "value": ["one"]},
                       {"ids": second, "action": "add_labels", "value": ["two"]}])
        lock = threading.Lock()

        def post(c, bodies=bodies, lock=lock):
            with lock:
                body = next(bodies)
            return c.post(BULK, json=body, headers=auth_headers)

        responses = simultaneously(app, post)
        assert [r.status_code for r in responses] == [200, 200]
    for task_id in ids:
        labels = client.get(f"{TASKS}/{task_id}", headers=auth_headers).get_json()["labels"]
        expected = (["one"] if task_id in first else []) + (["two"] if task_id in second else [])
        assert sorted(labels) == expected


def test_a_restore_racing_a_delete_forever_lets_exactly_one_win(app, client,
                                                                auth_headers) -> None:
    for _ in range(6):
        task_id = new(client, auth_headers)["id"]
        client.delete(f"{TASKS}/{task_id}", headers=auth_headers)
        pair = iter([lambda c: c.post(f"{TRASH}/{task_id}/restore", headers=auth_headers),
                     lambda c: c.delete(f"{TRASH}/{task_id}", headers=auth_headers)])
        lock = threading.Lock()

        def either(c, pair=pair, lock=lock):
            with lock:
                request = next(pair)
            return request(c)

        statuses = sorted(r.status_code for r in simultaneously(app, either))
        assert statuses in ([200, 404], [204, 404]), statuses

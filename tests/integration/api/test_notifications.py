"""/api/v1/notifications: assigned and shared notices from every path that causes them,
the list, mark read, mark all read, and each user seeing only their own."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import EmailState, Notification
from tests.integration.api.sharing import TASKS, new_project, new_task, share
from tests.integration.api.test_auth import assert_problem
from tests.integration.test_statement_counts import counted_statements

NOTIFICATIONS = "/api/v1/notifications"


def listed(client: FlaskClient, headers: dict, query: str = "") -> list[dict]:
    response = client.get(f"{NOTIFICATIONS}{query}", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


@pytest.fixture
def home(client, auth_headers, other_user) -> dict:
    """Alice's project Home, shared with Bob as an editor."""
    project = new_project(client, auth_headers, "Home")
    share(client, auth_headers, project["id"], other_user.username, "editor")
    return project


def test_sharing_a_project_notifies_the_new_member(client, home, other_auth_headers,
                                                   auth_headers) -> None:
    [shared] = listed(client, other_auth_headers)
    assert shared["kind"] == "shared" and shared["project_id"] == home["id"]
    assert shared["message"] == "Alice Liddell shared the project Home with you"
    assert shared["task_id"] is None and shared["read_at"] is None
    assert listed(client, auth_headers) == []  # the one who shared is not told


def test_every_assignment_path_notifies_the_assignee_but_not_oneself(
        app: Flask, client, home, auth_headers, other_auth_headers, user, other_user) -> None:
    created = new_task(client, auth_headers, "Buy milk", project_id=home["id"],
                       assignee_id=other_user.id)
    updated = new_task(client, auth_headers, "Mow", project_id=home["id"])
    client.patch(f"{TASKS}/{updated['id']}", json={"assignee_id": other_user.id},
                 headers=auth_headers)
    client.patch(f"{TASKS}/{updated['id']}", json={"title": "Mow the lawn"},
                 headers=auth_headers)  # the same assignee: nothing new
    quick = client.post(f"{TASKS}/quick", json={"text": "Paint #Home"},
                        headers=auth_headers).get_json()
    new_task(client, other_auth_headers, "Mine", project_id=home["id"],
             assignee_id=other_user.id)  # Bob assigns himself: nothing
    bulk = client.post(f"{TASKS}/bulk", json={"ids": [quick["id"], updated["id"]],
                                             "action": "assign", "value": other_user.id},
                       headers=auth_headers)
    assert bulk.status_code == 200, bulk.get_json()
    assigned = [item for item in listed(client, other_auth_headers)
                if item["kind"] == "assigned"]
    assert [(item["task_id"], item["message"]) for item in assigned] == [
        (quick["id"], "Alice Liddell assigned you “Paint” in Home"),
        (updated["id"], "Alice Liddell assigned you “Mow” in Home"),
        (created["id"], "Alice Liddell assigned you “Buy milk” in Home"),
    ]
    with app.app_context():
        states = {row.email_state for row in db.session.query(Notification)}
    assert states == {EmailState.OWED}  # e-mail is on by default, and testing sends it


def test_a_bulk_assignment_writes_its_notifications_in_one_insert(
        app, client, home, auth_headers, other_user) -> None:
    ids = [new_task(client, auth_headers, f"T{n}", project_id=home["id"])["id"]
           for n in range(5)]
    with counted_statements(app) as statements:
        client.post(f"{TASKS}/bulk", json={"ids": ids, "action": "assign",
                                           "value": other_user.id}, headers=auth_headers)
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO NOTIF")]
    assert len(inserts) == 1, statements


def test_mark_read_mark_all_read_and_the_unread_filter(client, home, auth_headers,
                                                       other_auth_headers, other_user) -> None:
    for title in ("A", "B"):
        new_task(client, auth_headers, title, project_id=home["id"],
                 assignee_id=other_user.id)
    newest, middle, oldest = listed(client, other_auth_headers)
    response = client.post(f"{NOTIFICATIONS}/{middle['id']}/read", headers=other_auth_headers)
    assert response.status_code == 200 and response.get_json()["read_at"] is not None
    again = client.post(f"{NOTIFICATIONS}/{middle['id']}/read", headers=other_auth_headers)
    assert again.get_json()["read_at"] == response.get_json()["read_at"]
    assert [item["id"] for item in listed(client, other_auth_headers, "?unread=true")] == [
        newest["id"], oldest["id"]]
    assert [item["id"] for item in listed(client, other_auth_headers, "?limit=1&offset=1")] \
        == [middle["id"]]
    marked = client.post(f"{NOTIFICATIONS}/read-all", headers=other_auth_headers)
    assert marked.status_code == 200 and marked.get_json() == {"marked_read": 2}
    assert listed(client, other_auth_headers, "?unread=true") == []
    assert client.post(f"{NOTIFICATIONS}/read-all",
                       headers=other_auth_headers).get_json() == {"marked_read": 0}


def test_another_users_notification_is_not_found(client, home, auth_headers,
                                                 other_auth_headers) -> None:
    [shared] = listed(client, other_auth_headers)
    assert_problem(client.post(f"{NOTIFICATIONS}/{shared['id']}/read", headers=auth_headers),
                   404)
    assert_problem(client.post(f"{NOTIFICATIONS}/999999/read", headers=auth_headers), 404)
    client.post(f"{NOTIFICATIONS}/read-all", headers=auth_headers)
    assert listed(client, other_auth_headers)[0]["read_at"] is None


@pytest.mark.parametrize(("query", "field"), [
    ("?unread=maybe", "unread"), ("?limit=0", "limit"), ("?limit=x", "limit"),
    ("?offset=-1", "offset"),
])
def test_bad_list_parameters_are_422_naming_them(client, auth_headers, query, field) -> None:
    body = assert_problem(client.get(f"{NOTIFICATIONS}{query}", headers=auth_headers), 422)
    assert field in body["errors"]


def test_without_a_token_it_is_401(client) -> None:
    assert_problem(client.get(NOTIFICATIONS), 401)
    assert_problem(client.post(f"{NOTIFICATIONS}/read-all"), 401)


@pytest.mark.parametrize("count", [2, 30])
def test_the_list_runs_a_constant_number_of_statements(
        app, client, home, auth_headers, other_auth_headers, other_user, count) -> None:
    ids = [new_task(client, auth_headers, f"T{n}", project_id=home["id"])["id"]
           for n in range(count)]
    client.post(f"{TASKS}/bulk", json={"ids": ids, "action": "assign",
                                       "value": other_user.id}, headers=auth_headers)
    with counted_statements(app) as statements:
        assert len(listed(client, other_auth_headers, "?limit=100")) == count + 1
    assert len(statements) == 2, statements  # user + revocation, the page
    with counted_statements(app) as statements:
        client.post(f"{NOTIFICATIONS}/read-all", headers=other_auth_headers)
    assert len(statements) == 2, statements  # user + revocation, one UPDATE


def test_email_notifications_on_the_user(client, auth_headers, user) -> None:
    me = client.get("/api/v1/users/me", headers=auth_headers).get_json()
    assert me["email_notifications"] is True
    changed = client.put("/api/v1/users/me", json={"email_notifications": False},
                         headers=auth_headers)
    assert changed.status_code == 200 and changed.get_json()["email_notifications"] is False
    body = assert_problem(client.put("/api/v1/users/me", json={"email_notifications": "no"},
                                     headers=auth_headers), 422)
    assert "email_notifications" in body["errors"]
    patched = client.patch("/api/v1/users/me", json={"email_notifications": True},
                           headers=auth_headers)
    assert patched.status_code == 200 and patched.get_json()["email_notifications"] is True
    body = assert_problem(client.patch("/api/v1/users/me", json={"email_notifications": None},
                                       headers=auth_headers), 422)
    assert "email_notifications" in body["errors"]


def test_no_email_is_owed_to_who_turned_it_off(app, client, auth_headers, other_user,
                                               other_auth_headers) -> None:
    client.put("/api/v1/users/me", json={"email_notifications": False},
               headers=other_auth_headers)
    project = new_project(client, auth_headers, "Home")
    share(client, auth_headers, project["id"], other_user.username, "viewer")
    with app.app_context():
        assert db.session.query(Notification).one().email_state is EmailState.NONE


def test_the_openapi_document_describes_the_endpoints(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"/api/v1/notifications/", "/api/v1/notifications/{notification_id}/read",
            "/api/v1/notifications/read-all"} <= set(paths)
    listing = paths["/api/v1/notifications/"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"unread", "limit", "offset"}
    assert "404" in paths["/api/v1/notifications/{notification_id}/read"]["post"]["responses"]

"""The calendar feed: POST/DELETE /api/v1/users/me/calendar and GET /calendar/<secret>.ics.

The document is read back with icalendar's own parser and held to RFC 5545's required
properties; it lists exactly the open, dated, untrashed tasks of the caller's projects.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask.testing import FlaskClient
from icalendar import Calendar

from tests.integration.api.sharing import make_team, new_task
from tests.integration.api.test_auth import assert_problem

CALENDAR = "/api/v1/users/me/calendar"
DUE = "2026-12-01T09:00:00Z"


def feed_path(client: FlaskClient, headers: dict) -> str:
    response = client.post(CALENDAR, headers=headers)
    assert response.status_code == 200, response.get_json()
    url = response.get_json()["url"]
    assert url.startswith("http://localhost/calendar/") and url.endswith(".ics")
    return urlsplit(url).path


def todos(response) -> list:
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.get_data())
    assert calendar.name == "VCALENDAR"
    for required in ("VERSION", "PRODID"):
        assert calendar.get(required), required
    assert str(calendar["VERSION"]) == "2.0" and calendar.get("X-WR-CALNAME")
    items = list(calendar.walk("VTODO"))
    for todo in items:
        for required in ("UID", "DTSTAMP"):
            assert todo.get(required) is not None, required
    return items


def test_the_feed_holds_each_open_dated_task_of_the_callers_projects(
        client: FlaskClient, app) -> None:
    team = make_team(client, app)
    olive, vera, nora = (team.as_(name) for name in ("olive", "vera", "nora"))
    shared = new_task(client, olive, "Pay rent", project_id=team.project["id"], due_date=DUE,
                      description="Before noon", priority="high", status="in_progress",
                      labels=["Home", "money"], recurrence="FREQ=MONTHLY;BYMONTHDAY=1")
    new_task(client, olive, "Undated", project_id=team.project["id"])
    done = new_task(client, olive, "Done", due_date=DUE, status="completed")
    trashed = new_task(client, olive, "Trashed", due_date=DUE)
    assert client.delete(f"/api/v1/tasks/{trashed['id']}", headers=olive).status_code == 204
    own = new_task(client, vera, "Vera's own", due_date="2026-11-30T08:00:00Z", priority="low")
    new_task(client, nora, "Nora's", due_date=DUE)

    items = todos(client.get(feed_path(client, vera)))  # no header: the secret is enough
    assert [str(todo["SUMMARY"]) for todo in items] == ["Vera's own", "Pay rent"]
    rent = items[1]
    assert str(rent["UID"]).startswith(f"task-{shared['id']}@")
    assert rent.decoded("DUE").isoformat() == "2026-12-01T09:00:00+00:00"
    assert str(rent["DESCRIPTION"]) == "Before noon"
    assert int(rent["PRIORITY"]) == 1 and int(items[0]["PRIORITY"]) == 9
    assert str(rent["STATUS"]) == "IN-PROCESS" and str(items[0]["STATUS"]) == "NEEDS-ACTION"
    assert list(rent["CATEGORIES"].cats) == ["Home", "money"]
    assert rent["RRULE"].to_ical() == b"FREQ=MONTHLY;BYMONTHDAY=1"
    assert str(rent["URL"]).endswith(f"/tasks/{shared['id']}")
    assert "Done" not in {str(t["SUMMARY"]) for t in items} and done["id"] and own["id"]


def test_a_new_address_and_turning_off_end_the_old_one(client: FlaskClient, user,
                                                        auth_headers) -> None:
    first = feed_path(client, auth_headers)
    assert todos(client.get(first)) == []
    second = feed_path(client, auth_headers)
    assert second != first
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert client.delete(CALENDAR, headers=auth_headers).status_code == 204
    assert client.get(second).status_code == 404
    assert client.delete(CALENDAR, headers=auth_headers).status_code == 204  # already off
    for wrong in ("/calendar/x.ics", "/calendar/" + "A" * 43 + ".ics",
                  "/calendar/" + "é" * 30 + ".ics", "/calendar/" + "a" * 500 + ".ics"):
        assert client.get(wrong).status_code == 404


def test_the_address_needs_a_token(client: FlaskClient) -> None:
    assert_problem(client.post(CALENDAR), 401)
    assert_problem(client.delete(CALENDAR), 401)


def test_etag_gives_304_until_a_task_changes(client: FlaskClient, user, auth_headers) -> None:
    path = feed_path(client, auth_headers)
    task = new_task(client, auth_headers, "Dated", due_date=DUE)
    first = client.get(path)
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "private, no-cache"
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    client.patch(f"/api/v1/tasks/{task['id']}", json={"title": "Renamed"},
                 headers=auth_headers)
    changed = client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag


def test_the_secret_stays_out_of_the_request_log(client: FlaskClient, user, auth_headers,
                                                 caplog) -> None:
    path = feed_path(client, auth_headers)
    secret = path.removeprefix("/calendar/").removesuffix(".ics")
    with caplog.at_level("INFO"):
        client.get(path)
        client.get("/calendar/unknown-secret-of-some-length.ics")
    logged = [record.__dict__.get("path") for record in caplog.records]
    assert "/calendar/<secret>.ics" in logged
    assert not any(secret in record.getMessage() or secret in str(record.__dict__)
                   for record in caplog.records)


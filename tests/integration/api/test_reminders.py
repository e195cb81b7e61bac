"""A task's ``reminders`` through the API: written whole, read in every task answer,
one clear 422 for a bad list, and an edit that never sends a delivered reminder again."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from taskweb.extensions import db
from taskweb.models import Reminder
from tests.conftest import PASSWORD

SOON = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=2)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def rows(app, task_id: int) -> list[Reminder]:
    with app.app_context():
        return list(db.session.scalars(
            select(Reminder).where(Reminder.task_id == task_id).order_by(Reminder.remind_at)))


def test_reminders_are_stored_sorted_without_duplicates_and_read_everywhere(
        app, client, auth_headers) -> None:
    later, sooner = SOON + timedelta(hours=1), SOON
    response = client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "Call the plumber",
        "reminders": [iso(later), iso(sooner), iso(sooner).replace("+00:00", "Z")],
    })
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert task["reminders"] == [iso(sooner), iso(later)]
    assert client.get(f"/api/v1/tasks/{task['id']}", headers=auth_headers).get_json()[
        "reminders"] == [iso(sooner), iso(later)]
    listed = client.get("/api/v1/tasks", headers=auth_headers).get_json()["items"]
    assert listed[0]["reminders"] == [iso(sooner), iso(later)]
    assert [r.remind_at for r in rows(app, task["id"])] == [sooner, later]


def test_a_naive_datetime_is_utc_and_fractions_of_a_second_are_dropped(client,
                                                                       auth_headers) -> None:
    naive = SOON.replace(tzinfo=None).isoformat() + ".250"
    offset = (SOON + timedelta(hours=3)).astimezone(timezone(timedelta(hours=2))).isoformat()
    task = client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "x", "reminders": [naive, offset]}).get_json()
    assert task["reminders"] == [iso(SOON), iso(SOON + timedelta(hours=3))]


def test_an_edit_keeps_the_delivery_of_times_it_keeps(app, client, auth_headers) -> None:
    task = client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "x", "reminders": [iso(SOON), iso(SOON + timedelta(hours=1))]}).get_json()
    delivered = datetime(2026, 1, 1, tzinfo=timezone.utc)
    with app.app_context():
        first = db.session.scalars(select(Reminder).where(
            Reminder.task_id == task["id"], Reminder.remind_at == SOON)).one()
        first.delivered_at = delivered
        db.session.commit()
    moved = SOON + timedelta(days=1)
    response = client.patch(f"/api/v1/tasks/{task['id']}", headers=auth_headers,
                            json={"reminders": [iso(moved), iso(SOON)]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["reminders"] == [iso(SOON), iso(moved)]
    stored = rows(app, task["id"])
    assert [(r.remind_at, r.delivered_at) for r in stored] == [(SOON, delivered), (moved, None)]
    # A PATCH without reminders leaves them; null removes them all.
    client.patch(f"/api/v1/tasks/{task['id']}", headers=auth_headers, json={"title": "y"})
    assert len(rows(app, task["id"])) == 2
    cleared = client.patch(f"/api/v1/tasks/{task['id']}", headers=auth_headers,
                           json={"reminders": None})
    assert cleared.get_json()["reminders"] == [] and rows(app, task["id"]) == []


def test_a_time_long_past_is_kept_as_delivered(app, client, auth_headers) -> None:
    past = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(hours=1)
    task = client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "x", "reminders": [iso(past), iso(SOON)]}).get_json()
    assert task["reminders"] == [iso(past), iso(SOON)]
    stored = rows(app, task["id"])
    assert stored[0].delivered_at is not None and stored[1].delivered_at is None


@pytest.mark.parametrize(("reminders", "message"), [
    ([iso(SOON + timedelta(minutes=n)) for n in range(6)], "at most 5 reminders"),
    (["tomorrow"], "Item 0: Must be an ISO 8601 datetime."),
    ([iso(SOON), 17], "Item 1: Must be an ISO 8601 datetime."),
    (["1000-01-01T00:00:00Z"], "Item 0: Year must be between"),
    ("2026-12-01T10:00:00Z", "Must be a list"),
    ({"at": iso(SOON)}, "Must be a list"),
])
def test_a_bad_list_is_a_422_naming_reminders(client, auth_headers, reminders,
                                               message) -> None:
    for method, url in (("post", "/api/v1/tasks"),):
        response = getattr(client, method)(url, headers=auth_headers,
                                           json={"title": "x", "reminders": reminders})
        assert response.status_code == 422
        assert response.content_type == "application/problem+json"
        assert message in " ".join(response.get_json()["errors"]["reminders"])
    task = client.post("/api/v1/tasks", headers=auth_headers, json={"title": "y"}).get_json()
    response = client.patch(f"/api/v1/tasks/{task['id']}", headers=auth_headers,
                            json={"reminders": reminders})
    assert response.status_code == 422 and "reminders" in response.get_json()["errors"]
    assert client.get(f"/api/v1/tasks/{task['id']}",
                      headers=auth_headers).get_json()["reminders"] == []


def test_five_identical_plus_one_distinct_is_within_the_limit(client, auth_headers) -> None:
    times = [iso(SOON)] * 5 + [iso(SOON + timedelta(minutes=1))]
    response = client.post("/api/v1/tasks", headers=auth_headers,
                           json={"title": "x", "reminders": times})
    assert response.status_code == 201 and len(response.get_json()["reminders"]) == 2


def test_export_and_import_carry_reminders(app, client, auth_headers, make_user) -> None:
    past = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)
    client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "x", "reminders": [iso(past), iso(SOON)]})
    exported = client.get("/api/v1/users/me/export", headers=auth_headers).get_json()
    assert exported["tasks"][0]["reminders"] == [iso(past), iso(SOON)]
    carol = make_user("carol")
    other = {"Authorization": "Bearer " + client.post("/api/v1/auth/login", json={
        "email": carol.email, "password": PASSWORD}).get_json()["access_token"]}
    assert client.post("/api/v1/users/me/import", json=exported,
                       headers=other).status_code == 201
    again = client.get("/api/v1/users/me/export", headers=other).get_json()
    assert again["tasks"][0]["reminders"] == [iso(past), iso(SOON)]
    [task] = client.get("/api/v1/tasks", headers=other).get_json()["items"]
    imported = rows(app, task["id"])
    # The one already past is not announced to the new account.
    assert [r.delivered_at is not None for r in imported] == [True, False]
    bad = {**exported, "tasks": [{**exported["tasks"][0], "reminders": ["soon"]}]}
    response = client.post("/api/v1/users/me/import", json=bad, headers=other)
    assert response.status_code == 422 and "reminders" in str(response.get_json()["errors"])


@pytest.mark.parametrize("how", ["patch", "bulk"])
def test_completing_a_repeating_task_moves_its_reminders_to_the_next_occurrence(
        app, client, auth_headers, how) -> None:
    due = SOON.replace(hour=9, minute=0)
    task = client.post("/api/v1/tasks", headers=auth_headers, json={
        "title": "Stand-up", "due_date": iso(due), "recurrence": "FREQ=DAILY",
        "reminders": [iso(due - timedelta(minutes=10))]}).get_json()
    if how == "patch":
        response = client.patch(f"/api/v1/tasks/{task['id']}", headers=auth_headers,
                                json={"status": "completed"})
    else:
        response = client.post("/api/v1/tasks/bulk", headers=auth_headers,
                               json={"ids": [task["id"]], "action": "complete"})
    assert response.status_code == 200, response.get_json()
    advanced = client.get(f"/api/v1/tasks/{task['id']}", headers=auth_headers).get_json()
    assert advanced["due_date"] == iso(due + timedelta(days=1))
    assert advanced["reminders"] == [iso(due + timedelta(days=1, minutes=-10))]
    assert [row.delivered_at for row in rows(app, task["id"])] == [None]

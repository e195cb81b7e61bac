"""Due dates in the browser: a date and an optional time in the person's time zone,
"today" and "overdue" in that zone, and an edit never touching a due date it did not
change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.domain.dates import (
    is_overdue,
    local_date_and_time,
    today_in,
    utc_instant,
    zone_named,
)
from taskweb.extensions import db
from taskweb.models import Task, User
from tests.web.conftest import text
from tests.web.html import form_values

NEW_YORK = ZoneInfo("America/New_York")
# 20:30 on 1 January 2030 in New York is already 2 January in UTC.
NEW_YORK_EVENING = datetime(2030, 1, 2, 1, 30, tzinfo=UTC)


def stored_due(app: Flask, task_id: int) -> datetime | None:
    with app.app_context():
        return db.session.get(Task, task_id).due_date


def row_of(page: str, task_id: int) -> str:
    return page.split(f'<li id="task-{task_id}"', 1)[1].split("</li>", 1)[0]


@pytest.fixture
def new_york_evening(stand_at: Callable[[datetime], None]) -> datetime:
    """The server's clock stands at NEW_YORK_EVENING."""
    stand_at(NEW_YORK_EVENING)
    return NEW_YORK_EVENING


# --- the one notion of "today" (domain.dates) -------------------------------------

def test_today_is_the_calendar_day_in_the_zone() -> None:
    assert today_in(NEW_YORK_EVENING, NEW_YORK) == date(2030, 1, 1)
    assert today_in(NEW_YORK_EVENING, UTC) == date(2030, 1, 2)


def test_a_date_without_a_time_is_the_start_of_that_day_in_the_zone() -> None:
    start = utc_instant(date(2030, 1, 1), None, NEW_YORK)
    assert start == datetime(2030, 1, 1, 5, 0, tzinfo=UTC)
    assert local_date_and_time(start, NEW_YORK) == (date(2030, 1, 1), None)
    timed = utc_instant(date(2030, 7, 1), time(17, 0), NEW_YORK)
    assert timed == datetime(2030, 7, 1, 21, 0, tzinfo=UTC)  # summer time
    assert local_date_and_time(timed, NEW_YORK) == (date(2030, 7, 1), time(17, 0))


def test_overdue_after_the_day_or_after_the_moment() -> None:
    today = utc_instant(date(2030, 1, 1), None, NEW_YORK)
    assert not is_overdue(today, NEW_YORK_EVENING, NEW_YORK)  # due all day
    yesterday = utc_instant(date(2029, 12, 31), None, NEW_YORK)
    assert is_overdue(yesterday, NEW_YORK_EVENING, NEW_YORK)
    this_afternoon = utc_instant(date(2030, 1, 1), time(15, 0), NEW_YORK)
    assert is_overdue(this_afternoon, NEW_YORK_EVENING, NEW_YORK)
    tonight = utc_instant(date(2030, 1, 1), time(23, 0), NEW_YORK)
    assert not is_overdue(tonight, NEW_YORK_EVENING, NEW_YORK)


@pytest.mark.parametrize("name", [None, "", "Mars/Olympus_Mons", "../../etc/passwd",
                                  "/etc/localtime", "Europe/Paris\x00", "x" * 200,
                                  "America/New York"])
def test_an_unknown_or_malformed_zone_is_utc(name: str | None) -> None:
    assert zone_named(name).key == "UTC"


def test_known_zones_are_found() -> None:
    assert zone_named("America/New_York") == NEW_YORK
    assert zone_named("Etc/GMT+12").key == "Etc/GMT+12"


# --- pages and forms in the browser's zone ----------------------------------------

def test_today_picked_in_new_york_in_the_evening_is_today_not_overdue(
    app: Flask, logged_in: FlaskClient, hx: dict[str, str], new_york_evening: datetime
) -> None:
    headers = {**hx, "X-Timezone": "America/New_York"}
    response = logged_in.post("/tasks", headers=headers,
                              data={"title": "Tonight", "priority": "medium",
                                    "due_date": "2030-01-01"})
    assert response.status_code == 201
    assert stored_due(app, 1) == datetime(2030, 1, 1, 5, 0, tzinfo=UTC)
    row = row_of(text(response), 1)
    assert ">today</time>" in row and "Overdue" not in row and "task--overdue" not in row
    # A full page load knows the zone from the cookie app.js keeps.
    logged_in.set_cookie("tz", "America%2FNew_York")
    page_row = row_of(text(logged_in.get("/")), 1)
    assert ">today</time>" in page_row and "(Tue 1 Jan 2030)" in page_row


def test_a_date_and_time_are_read_in_the_browsers_zone(
    app: Flask, logged_in: FlaskClient, hx: dict[str, str]
) -> None:
    headers = {**hx, "X-Timezone": "America/New_York"}
    logged_in.post("/tasks", headers=headers, data={
        "title": "Call", "priority": "medium", "due_date": "2030-07-01", "due_time": "17:00",
    })
    assert stored_due(app, 1) == datetime(2030, 7, 1, 21, 0, tzinfo=UTC)
    values = form_values(text(logged_in.get("/tasks/1/edit", headers=headers)))
    assert (values["due_date"], values["due_time"]) == ("2030-07-01", "17:00")


def test_without_a_known_zone_dates_are_utc(
    app: Flask, logged_in: FlaskClient, hx: dict[str, str]
) -> None:
    logged_in.post("/tasks", headers={**hx, "X-Timezone": "Nowhere/Special"},
                   data={"title": "Plain", "priority": "medium", "due_date": "2030-01-02"})
    assert stored_due(app, 1) == datetime(2030, 1, 2, tzinfo=UTC)


def test_a_time_without_a_date_is_refused_next_to_the_date(
    app: Flask, logged_in: FlaskClient, hx: dict[str, str]
) -> None:
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "When?", "priority": "medium", "due_time": "09:00",
    })
    assert response.status_code == 422
    assert 'id="new-due_date-error"' in text(response)
    # The typed input is kept, and "More options" stays open to show it.
    assert 'value="09:00"' in text(response) and "<details class=\"add-task__more\" open>" in text(response)


# --- an edit changes only what the person changed ---------------------------------

def test_a_title_only_edit_keeps_a_due_time_set_through_the_api(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Report", due_date="2030-05-06T17:00:30Z")
    for zone in ("UTC", "America/New_York", "Asia/Kolkata"):
        headers = {**hx, "X-Timezone": zone}
        values = form_values(text(logged_in.get(f"/tasks/{task.id}/edit", headers=headers)))
        values["title"] = f"Report ({zone})"
        assert logged_in.put(f"/tasks/{task.id}", headers=headers, data=values).status_code == 200
        assert stored_due(app, task.id) == datetime(2030, 5, 6, 17, 0, 30, tzinfo=UTC)


def test_changing_the_time_keeps_the_date_and_clearing_both_removes_the_due_date(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Report", due_date="2030-05-06T17:00:00Z")
    headers = {**hx, "X-Timezone": "America/New_York"}
    values = form_values(text(logged_in.get(f"/tasks/{task.id}/edit", headers=headers)))
    assert (values["due_date"], values["due_time"]) == ("2030-05-06", "13:00")
    values["due_time"] = "09:15"
    assert logged_in.put(f"/tasks/{task.id}", headers=headers, data=values).status_code == 200
    assert stored_due(app, task.id) == datetime(2030, 5, 6, 13, 15, tzinfo=UTC)
    values = form_values(text(logged_in.get(f"/tasks/{task.id}/edit", headers=headers)))
    values.update(due_date="", due_time="")
    assert logged_in.put(f"/tasks/{task.id}", headers=headers, data=values).status_code == 200
    assert stored_due(app, task.id) is None


def test_an_edit_form_post_without_due_fields_leaves_the_due_date_alone(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Report", due_date="2030-05-06T17:00:00Z", priority="high")
    response = logged_in.put(f"/tasks/{task.id}", headers=hx,
                             data={"title": "Renamed", "version": str(task.version)})
    assert response.status_code == 200
    with app.app_context():
        after = db.session.get(Task, task.id)
        assert (after.title, after.priority.value) == ("Renamed", "high")
        assert after.due_date == datetime(2030, 5, 6, 17, tzinfo=UTC)


def test_a_stale_save_shows_the_stored_due_date_when_the_person_did_not_touch_it(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Report", due_date="2030-05-06T00:00:00Z")
    opened = form_values(text(logged_in.get(f"/tasks/{task.id}/edit", headers=hx)))
    moved = {**opened, "due_date": "2030-06-01"}
    assert logged_in.put(f"/tasks/{task.id}", headers=hx, data=moved).status_code == 200
    stale = logged_in.put(f"/tasks/{task.id}", headers=hx, data={**opened, "title": "Mine"})
    assert stale.status_code == 409
    kept = form_values(text(stale))
    assert kept["title"] == "Mine" and kept["due_date"] == "2030-06-01"
    assert logged_in.put(f"/tasks/{task.id}", headers=hx, data=kept).status_code == 200
    assert stored_due(app, task.id) == datetime(2030, 6, 1, tzinfo=UTC)


def test_due_words_follow_the_zone(
    logged_in: FlaskClient, user: User, make_task, new_york_evening: datetime
) -> None:
    evening = make_task(user, "Evening", due_date=(NEW_YORK_EVENING + timedelta(hours=1)).isoformat())
    page = text(logged_in.get("/", headers={"X-Timezone": "America/New_York"}))
    assert ">today</time>" in row_of(page, evening.id)
    assert "(Tue 1 Jan 2030, 21:30)" in row_of(page, evening.id)

""""Remind me" in the task edit form, and the bell on a row: presets from the due date,
a custom time in the person's zone, Remove without script, the limit of five."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Task, User
from tests.web.conftest import HX, text
from tests.web.html import form_values

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)
DUE = datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def frozen(stand_at) -> None:
    stand_at(NOW)


def reminders_of(app: Flask, task_id: int) -> list[datetime]:
    with app.app_context():
        return db.session.get(Task, task_id).reminders


def edit_form(client: FlaskClient, task: Task) -> tuple[str, dict[str, object]]:
    fragment = text(client.get(f"/tasks/{task.id}/edit", headers=HX))
    values: dict[str, object] = dict(form_values(fragment))
    values["reminders"] = [moment.isoformat() for moment in task.reminders]
    return fragment, values


def test_presets_count_from_the_due_date_and_the_row_shows_the_bell(
        app, logged_in, user, make_task, hx, stand_at) -> None:
    task = make_task(user, "Pay rent", due_date=DUE.isoformat())
    fragment, values = edit_form(logged_in, task)
    assert "<legend>Reminders</legend>" in fragment and "No reminders yet." in fragment
    assert '<option value="1h" data-needs-due>1 hour before</option>' in fragment
    response = logged_in.put(f"/tasks/{task.id}", headers=hx,
                             data={**values, "remind_preset": "1h"})
    assert response.status_code == 200, text(response)
    assert reminders_of(app, task.id) == [DUE - timedelta(hours=1)]
    row = text(response)
    assert "1 upcoming reminder</span>" in row and 'class="task__bell"' in row
    with app.app_context():
        stored = db.session.get(Task, task.id)
        db.session.expunge(stored)
    fragment, _ = edit_form(logged_in, stored)
    assert "(sent)" not in fragment and "Remove the reminder of Tue 1 Dec 2026, 16:00" in fragment
    # Once its time has passed, the bell goes; the form still lists it, as sent.
    stand_at(DUE)
    assert "task__bell" not in text(logged_in.get(f"/tasks/{task.id}", headers=HX))
    fragment, _ = edit_form(logged_in, stored)
    assert "16:00</time> <span class=\"remind-me__sent\">(sent)</span>" in fragment


def test_a_custom_time_is_read_in_the_persons_zone(app, logged_in, user, make_task,
                                                   hx) -> None:
    with app.app_context():
        db.session.get(User, user.id).time_zone = "Europe/Berlin"
        db.session.commit()
    task = make_task(user, "Call mum")
    _, values = edit_form(logged_in, task)
    response = logged_in.put(f"/tasks/{task.id}", headers=hx, data={
        **values, "remind_preset": "custom", "remind_at": "2026-12-24T18:30"})
    assert response.status_code == 200, text(response)
    assert reminders_of(app, task.id) == [datetime(2026, 12, 24, 17, 30, tzinfo=timezone.utc)]


@pytest.mark.parametrize(("choice", "field", "message"), [
    ({"remind_preset": "10m"}, "remind_preset", "Set a due date to be reminded"),
    ({"remind_preset": "custom", "remind_at": ""}, "remind_at", "Pick the date and time"),
    ({"remind_preset": "custom", "remind_at": "soon"}, "remind_at", "Pick a date and time"),
    ({"remind_preset": "yesterday"}, "remind_preset", "Choose one of the listed options."),
])
def test_a_bad_choice_is_explained_next_to_its_field(app, logged_in, user, make_task, hx,
                                                     choice, field, message) -> None:
    task = make_task(user, "No due date")
    fragment, values = edit_form(logged_in, task)
    assert "Set a due date to be reminded relative to it" in fragment
    assert '<option value="10m" disabled data-needs-due>' in fragment
    response = logged_in.put(f"/tasks/{task.id}", headers=hx, data={**values, **choice})
    assert response.status_code == 422
    assert f'id="task-{task.id}-{field}-error"' in text(response)
    assert message in text(response)
    assert reminders_of(app, task.id) == []


def test_remove_without_script_shows_the_form_without_it_and_saves_nothing(
        app, logged_in, user, make_task, hx) -> None:
    times = [(DUE - timedelta(hours=n)).isoformat() for n in (1, 2)]
    task = make_task(user, "Two reminders", due_date=DUE.isoformat(), reminders=times)
    _, values = edit_form(logged_in, task)
    removed = logged_in.post(f"/tasks/{task.id}", headers={"X-CSRFToken": hx["X-CSRFToken"]},
                             data={**values, "remove_reminder": times[1]})
    assert removed.status_code == 200
    page = text(removed)
    assert times[1] not in page and times[0] in page
    assert len(reminders_of(app, task.id)) == 2  # nothing saved yet
    kept = {**values, "reminders": [times[0]]}
    saved = logged_in.put(f"/tasks/{task.id}", headers=hx, data=kept)
    assert saved.status_code == 200
    assert reminders_of(app, task.id) == [DUE - timedelta(hours=1)]


def test_at_five_the_control_says_so_and_a_sixth_is_refused(app, logged_in, user, make_task,
                                                            hx) -> None:
    times = [(DUE - timedelta(minutes=n)).isoformat() for n in range(5)]
    task = make_task(user, "Busy", due_date=DUE.isoformat(), reminders=times)
    fragment, values = edit_form(logged_in, task)
    assert "at most 5 reminders: remove one to add another" in fragment
    assert "data-remind-limit hidden" not in fragment
    assert " disabled data-remind-preset" in fragment
    response = logged_in.put(f"/tasks/{task.id}", headers=hx,
                             data={**values, "remind_preset": "1d"})
    assert response.status_code == 422
    assert f'id="task-{task.id}-remind_preset-error"' in text(response)
    assert len(reminders_of(app, task.id)) == 5


def test_a_form_without_the_reminders_changes_none(app, logged_in, user, make_task,
                                                   hx) -> None:
    task = make_task(user, "Kept", reminders=[DUE.isoformat()])
    response = logged_in.put(f"/tasks/{task.id}", headers=hx, data={
        "title": "Renamed", "version": str(task.version)})
    assert response.status_code == 200
    assert reminders_of(app, task.id) == [DUE]

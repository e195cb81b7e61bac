"""The Repeat field of the task forms, the repeat on the row, completing a repeating task
in the browser and its activity list."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Task, TaskStatus
from tests.web.conftest import HX, login, text

RULE = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"


def stored(app: Flask, task_id: int) -> Task:
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task is not None
        db.session.expunge(task)
        return task


def add(client: FlaskClient, hx: dict[str, str], **fields: str):
    return client.post("/tasks", headers=hx, data={"title": "Water plants",
                                                    "priority": "medium", **fields})


def test_add_with_a_choice_or_a_custom_rule(app, logged_in, hx) -> None:
    assert add(logged_in, hx, due_date="2030-01-07", repeat="daily").status_code == 201
    assert stored(app, 1).recurrence == "FREQ=DAILY"
    custom = add(logged_in, hx, due_date="2030-01-07", repeat="custom", repeat_rule=RULE)
    assert custom.status_code == 201
    assert stored(app, 2).recurrence == RULE
    # Without script both inputs are sent: typed text wins over the choice.
    add(logged_in, hx, due_date="2030-01-07", repeat="daily", repeat_rule="freq=monthly")
    assert stored(app, 3).recurrence == "FREQ=MONTHLY"
    add(logged_in, hx, repeat="")
    assert stored(app, 4).recurrence is None
    rows = text(logged_in.get("/"))
    assert 'aria-hidden="true">↻</span> <span class="visually-hidden">Repeats:</span> Every 2 weeks on Monday' in rows
    assert "Every day" in rows and "Every month" in rows


def test_bad_repeats_are_explained_next_to_the_field(app, logged_in, hx) -> None:
    cases = [({"repeat": "daily"}, "new-repeat-error", "needs a due date"),
             ({"due_date": "2030-01-07", "repeat": "custom"}, "new-repeat_rule-error",
              "Type a rule"),
             ({"due_date": "2030-01-07", "repeat": "custom", "repeat_rule": "every day"},
              "new-repeat_rule-error", "RFC 5545 RRULE"),
             ({"due_date": "2030-01-07", "repeat_rule": "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"},
              "new-repeat_rule-error", "no date that exists")]
    for fields, error_id, message in cases:
        response = add(logged_in, hx, **fields)
        assert response.status_code == 422, fields
        fragment = text(response)
        assert f'id="{error_id}"' in fragment and message in fragment, fields
        assert "<details class=\"add-task__more\" open>" in fragment
    with app.app_context():
        assert db.session.query(Task).count() == 0


def test_the_edit_form_shows_the_stored_repeat(logged_in, user, make_task) -> None:
    thursday = datetime(2030, 1, 3, 9, tzinfo=UTC)
    preset = make_task(user, "Preset", due_date=thursday, recurrence="FREQ=WEEKLY")
    custom = make_task(user, "Custom", due_date=thursday, recurrence=RULE)
    form = text(logged_in.get(f"/tasks/{preset.id}/edit", headers=HX))
    assert '<option selected value="weekly">Weekly on Thursday</option>' in form
    assert ">Repeat</label>" in form and ">Custom rule</label>" in form
    form = text(logged_in.get(f"/tasks/{custom.id}/edit", headers=HX))
    assert '<option selected value="custom">' in form and f'value="{RULE}"' in form
    assert f'hx-get="/tasks/{custom.id}/activity"' in form


def test_editing_the_repeat_is_recorded_and_can_clear_it(app, logged_in, user, make_task,
                                                          hx) -> None:
    task = make_task(user, "Gym", due_date=datetime(2030, 1, 3, 9, tzinfo=UTC))
    data = {"title": "Gym", "status": "todo", "priority": "medium",
            "version": str(task.version), "repeat": "weekdays", "repeat_rule": ""}
    assert logged_in.put(f"/tasks/{task.id}", headers=hx, data=data).status_code == 200
    assert stored(app, task.id).recurrence == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    data.update(version=str(task.version + 1), repeat="")
    assert logged_in.put(f"/tasks/{task.id}", headers=hx, data=data).status_code == 200
    assert stored(app, task.id).recurrence is None
    activity = text(logged_in.get(f"/tasks/{task.id}/activity", headers=HX))
    assert activity.count('<li class="activity__item">') == 3
    assert ("You</span> changed the repeat from <q>Every weekday</q> to <q>none</q>"
            in activity)


def test_completing_in_the_browser_brings_it_back_with_the_next_date(
    app, logged_in, user, make_task, hx, stand_at
) -> None:
    stand_at(datetime(2030, 1, 3, 12, tzinfo=UTC))
    task = make_task(user, "Water plants", due_date=datetime(2030, 1, 3, 9, tzinfo=UTC),
                     recurrence="FREQ=DAILY")
    row = text(logged_in.post(f"/tasks/{task.id}/complete", headers=hx,
                              data={"completed": "1"}))
    assert " checked" not in row and "task--todo" in row
    assert 'datetime="2030-01-04T09:00:00+00:00"' in row and "tomorrow" in row
    assert stored(app, task.id).status is TaskStatus.TODO
    activity = text(logged_in.get(f"/tasks/{task.id}/activity", headers=HX))
    assert ("You</span> completed it; it repeats, next due Fri 4 Jan 2030, 09:00 · "
            '<time datetime="2030-01-03T12:00:00+00:00"') in activity
    page = logged_in.get(f"/tasks/{task.id}/activity")
    assert page.status_code == 200 and "<h1>Activity: Water plants</h1>" in text(page)
    # The task's own page offers it too (viewers have no edit form).
    assert f'hx-get="/tasks/{task.id}/activity"' in text(logged_in.get(f"/tasks/{task.id}"))


def test_another_persons_activity_is_not_found(app, client, user, make_user,
                                               make_task) -> None:
    task = make_task(user, "Private")
    stranger = make_user("stranger")
    login(client, stranger.email)
    assert client.get(f"/tasks/{task.id}/activity").status_code == 404
    assert client.get(f"/tasks/{task.id}/activity", headers=HX).status_code == 404
    assert client.get("/tasks/999999/activity").status_code == 404


def test_completing_says_when_it_is_due_next_in_the_status_region(
    logged_in, user, make_task, hx, token
) -> None:
    task = make_task(user, "Stretch", due_date=datetime(2030, 1, 3, 9, tzinfo=UTC),
                     recurrence="FREQ=DAILY")
    answer = text(logged_in.post(f"/tasks/{task.id}/complete", headers=hx,
                                 data={"completed": "1"}))
    message = "Completed “Stretch”: it repeats, next due Fri 4 Jan 2030, 09:00."
    assert 'id="flash"' in answer and message in answer
    # Without script: the message comes with the page the browser is sent back to.
    plain = logged_in.post(f"/tasks/{task.id}/complete",
                           data={"completed": "1", "csrf_token": token})
    assert plain.status_code == 303
    assert "next due Sat 5 Jan 2030, 09:00." in text(logged_in.get(plain.headers["Location"]))


def test_the_boards_completed_column_sends_it_back_with_a_message(
    app, logged_in, user, make_task, token
) -> None:
    from taskweb.wiring import project_service

    with app.app_context():
        project = project_service().create(user, {"name": "Garden"}).project.id
    task = make_task(user, "Mow", project_id=project, recurrence="FREQ=WEEKLY",
                     due_date=datetime(2030, 1, 3, 9, tzinfo=UTC))
    response = logged_in.post(f"/projects/{project}/board/move", headers={
        **HX, "X-CSRFToken": token}, data={"task_id": task.id, "status": "completed"})
    assert response.status_code == 200
    assert ("Completed “Mow”: it repeats, next due Thu 10 Jan 2030, 09:00. "
            "Moved “Mow” to To do: card 1 of 1.") in text(response)

"""The Quick add box: on every task list where the user may add, its preview (chips),
Enter adding the task like the detailed form does, errors next to the box, and the
same without htmx."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Task, TaskLabel, TaskPriority, User
from tests.web.conftest import text
from tests.web.test_web_projects import make_project  # noqa: F401 (a fixture)

BOX = 'id="quick-add"'


def all_tasks(app: Flask) -> list[Task]:
    with app.app_context():
        tasks = db.session.scalars(db.select(Task).order_by(Task.id)).all()
        for task in tasks:
            db.session.expunge(task)
        return tasks


def labels_of(app: Flask, task_id: int) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(db.select(TaskLabel.name)
                                       .where(TaskLabel.task_id == task_id)))


def chips(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", chip).strip()
            for chip in re.findall(r'<li class="quick-chip[^"]*">(.*?)</li>', html)]


def test_the_box_is_on_the_tasks_page_with_its_label_and_hint(logged_in: FlaskClient) -> None:
    page = text(logged_in.get("/"))
    assert page.count(BOX) == 1
    assert '<label for="quick-add">Quick add</label>' in page
    assert 'aria-describedby="quick-add-hint quick-add-preview"' in page
    assert 'id="quick-add-preview" class="quick-add__preview" aria-live="polite"' in page
    assert 'hx-trigger="keyup changed delay:150ms' in page
    assert "shortcuts.js" in page  # `q` focuses the box
    assert 'id="add-task"' in page  # the detailed form stays


def test_the_box_is_on_a_project_page_but_not_for_a_viewer(
    logged_in: FlaskClient, user: User, other_user: User, make_project  # noqa: F811
) -> None:
    mine = make_project(user, "Home")
    theirs = make_project(other_user, "Garden", members={user: "viewer"})
    assert BOX in text(logged_in.get(f"/projects/{mine}"))
    assert BOX not in text(logged_in.get(f"/projects/{theirs}"))


def test_the_preview_shows_chips_and_writes_nothing(
    app: Flask, logged_in: FlaskClient, hx: dict, user: User, make_project  # noqa: F811
) -> None:
    make_project(user, "Home")
    response = logged_in.post("/tasks/quick/preview", headers=hx, data={
        "text": "Pay rent tomorrow 5pm #home @money !high every month"})
    assert response.status_code == 200
    fragment = text(response)
    assert "Pay rent" in fragment
    assert chips(fragment) == ["Due: Tomorrow, 17:00", "Project: Home", "Label: money",
                               "Priority: High priority", "Repeats: Every month"]
    assert all_tasks(app) == []


def test_the_preview_of_a_project_page_defaults_to_that_project(
    logged_in: FlaskClient, hx: dict, user: User, make_project  # noqa: F811
) -> None:
    garden = make_project(user, "Garden")
    headers = {**hx, "HX-Current-URL": f"http://localhost/projects/{garden}"}
    fragment = text(logged_in.post("/tasks/quick/preview", headers=headers,
                                   data={"text": "Weed"}))
    assert chips(fragment) == ["Project: Garden"]


def test_the_preview_says_what_is_wrong(logged_in: FlaskClient, hx: dict) -> None:
    response = logged_in.post("/tasks/quick/preview", headers=hx,
                              data={"text": "Plan #Nowhere"})
    assert response.status_code == 200
    assert 'You have no project called &#34;Nowhere&#34;.' in text(response)
    empty = logged_in.post("/tasks/quick/preview", headers=hx, data={"text": "  "})
    assert empty.status_code == 200 and text(empty).strip() == ""


def test_enter_adds_the_task_and_answers_the_list(
    app: Flask, logged_in: FlaskClient, hx: dict, user: User, make_project  # noqa: F811
) -> None:
    home = make_project(user, "Home")
    response = logged_in.post("/tasks/quick", headers=hx, data={
        "text": "Pay rent tomorrow 5pm #Home @money !high every month"})
    assert response.status_code == 201
    fragment = text(response)
    assert BOX in fragment and 'value=""' in fragment  # a fresh box
    assert 'id="task-list"' in fragment and 'hx-swap-oob' in fragment
    assert "Added “Pay rent” to Home." in fragment or "Added “Pay rent”." in fragment
    (task,) = all_tasks(app)
    assert (task.title, task.project_id, task.priority, task.recurrence) == (
        "Pay rent", home, TaskPriority.HIGH, "FREQ=MONTHLY")
    assert labels_of(app, task.id) == ["money"] and task.due_date is not None


def test_an_error_keeps_the_text_next_to_the_box(app: Flask, logged_in: FlaskClient,
                                                 hx: dict) -> None:
    response = logged_in.post("/tasks/quick", headers=hx, data={"text": "!high tomorrow"})
    assert response.status_code == 422
    fragment = text(response)
    assert 'value="!high tomorrow"' in fragment and 'aria-invalid="true"' in fragment
    assert 'id="quick-add-error"' in fragment and "Write a title" in fragment
    assert all_tasks(app) == []


def test_without_htmx_it_redirects_or_shows_the_page_with_the_error(
    app: Flask, logged_in: FlaskClient, token: str
) -> None:
    added = logged_in.post("/tasks/quick", data={"text": "Buy milk", "csrf_token": token},
                           headers={"Referer": "http://localhost/"})
    assert added.status_code == 303
    assert "Added “Buy milk”." in text(logged_in.get(added.headers["Location"]))
    failed = logged_in.post("/tasks/quick", data={"text": "#Nowhere x", "csrf_token": token},
                            headers={"Referer": "http://localhost/"})
    assert failed.status_code == 422
    page = text(failed)
    assert "<html" in page and 'value="#Nowhere x"' in page
    assert "You have no project called" in page
    assert [task.title for task in all_tasks(app)] == ["Buy milk"]


def test_writes_need_the_csrf_token(app: Flask, logged_in: FlaskClient) -> None:
    response = logged_in.post("/tasks/quick", data={"text": "Sneaky"},
                              headers={"HX-Request": "true"})
    assert response.status_code in (400, 403)
    assert all_tasks(app) == []


def test_signed_out_is_sent_to_login(client: FlaskClient) -> None:
    response = client.post("/tasks/quick/preview", data={"text": "x"})
    assert response.status_code in (302, 303, 401, 400)

"""Hostile and odd input in every browser form: an error next to the field with the
right status, or a faithful, escaped round trip; stored data never suffers."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Task, User
from tests.web.conftest import HX, csrf_token, text

BAD_TASK_FIELDS = [
    ("title", ""), ("title", "   "), ("title", "x" * 201), ("title", "nul\x00byte"),
    ("title", "bell\x07"), ("description", "x" * 10_001), ("description", "esc\x1b[0m"),
    ("priority", "urgent"), ("priority", "HIGH"), ("priority", "' OR 1=1 --"),
    ("due_date", "2026-02-30"), ("due_date", "99999-01-01"), ("due_date", "tomorrow"),
    ("due_date", "1800-01-01"), ("due_date", "<script>"),
]
FAITHFUL = ["Buy 🥛", "مرحبا", "e\u0301le\u0300ve", "<img src=x onerror=alert(1)>",
            "'; DROP TABLE tasks; --"]


def stored_titles(app) -> list[str]:
    with app.app_context():
        return [task.title for task in db.session.scalars(db.select(Task))]


@pytest.mark.parametrize(("field", "value"), BAD_TASK_FIELDS)
def test_add_form_rejects_bad_values_next_to_the_field(app, logged_in: FlaskClient, token,
                                                       field, value) -> None:
    data = {"title": "Valid", "priority": "medium", "csrf_token": token, field: value}
    response = logged_in.post("/tasks", data=data, headers=HX)
    assert response.status_code == 422
    html = text(response)
    assert f'id="new-{field}-error"' in html
    assert stored_titles(app) == []


@pytest.mark.parametrize(("field", "value"), BAD_TASK_FIELDS)
def test_edit_form_rejects_bad_values_and_keeps_the_task(app, logged_in, token, user, make_task,
                                                         field, value) -> None:
    task = make_task(user, "Original", description="Keep")
    data = {"title": "Changed", "priority": "low", "status": "todo", "version": "1",
            "csrf_token": token, field: value}
    response = logged_in.post(f"/tasks/{task.id}", data=data, headers=HX)
    assert response.status_code == 422
    assert stored_titles(app) == ["Original"]


@pytest.mark.parametrize("title", FAITHFUL)
def test_titles_round_trip_and_are_escaped(app, logged_in, token, title) -> None:
    response = logged_in.post("/tasks", data={"title": title, "priority": "low",
                                              "csrf_token": token}, headers=HX)
    assert response.status_code == 201
    assert stored_titles(app) == [title]
    page = text(logged_in.get("/"))
    assert "<img src=x" not in page
    if title.startswith("<img"):
        assert "&lt;img src=x onerror=alert(1)&gt;" in page


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("email", "a\x00@example.com"), ("username", "a b"),
     ("username", "<b>"), ("username", "x" * 33), ("full_name", "x" * 101),
     ("password", "short"), ("password", "x" * 129)],
)
def test_signup_form_rejects_bad_values(app, client: FlaskClient, field, value) -> None:
    data = {"email": "ok@example.com", "username": "okname", "password": "long enough pw",
            "csrf_token": csrf_token(client, "/signup"), field: value}
    response = client.post("/signup", data=data, headers=HX)
    assert response.status_code == 422
    assert f'id="{field}-error"' in text(response)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("query", ["status=done", "priority=%00", "sort=owner_id", "page=0",
                                   "page=abc", "q=" + "x" * 201])
def test_bad_list_parameters_answer_422(logged_in, query) -> None:
    assert logged_in.get(f"/?{query}").status_code == 422


@pytest.mark.parametrize("email", ["nul\x00@example.com", "x" * 300 + "@example.com"])
def test_login_form_with_an_impossible_email_is_the_usual_error(client: FlaskClient,
                                                                 email) -> None:
    data = {"email": email, "password": "whatever password",
            "csrf_token": csrf_token(client)}
    response = client.post("/login", data=data, headers=HX)
    assert response.status_code == 401
    assert "Incorrect email or password." in text(response)

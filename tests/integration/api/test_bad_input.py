"""Hostile and odd input on every API field: a clear 4xx or a faithful round trip,
and never a change to what is stored."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.conftest import PASSWORD
from tests.integration.api.test_auth import assert_problem

TASKS = "/api/v1/tasks"

# Text that is valid and must come back exactly as sent.
FAITHFUL_TEXT = [
    "Buy 🥛 and 🍞",
    "مرحبا بالعالم",  # right-to-left
    "e\u0301le\u0300ve",  # combining marks
    "<script>alert(1)</script>",
    "'; DROP TABLE tasks; --",
    "Robert'); SELECT * FROM users WHERE ('1'='1",
    "100% of _all_ \\ backslashes",
]
# Values no text field accepts.
CONTROL_TEXT = ["nul \x00 byte", "bell \x07", "escape \x1b[31m"]
WRONG_TYPES = [123, 1.5, True, ["a"], {"a": 1}]
HUGE_NUMBERS = [10**30, -(10**30), 1e308]
BAD_DATES = ["2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "10000-01-01T00:00:00Z",
             "1800-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "not a date", "", 1700000000,
             "2026-01-01T25:00:00Z", "2026-01-01T00:00:00+25:00"]


@pytest.fixture
def task(client: FlaskClient, auth_headers) -> dict:
    response = client.post(TASKS, json={"title": "Original", "description": "Keep"},
                           headers=auth_headers)
    return response.get_json()


def unchanged(client: FlaskClient, headers: dict, task: dict) -> None:
    assert client.get(f"{TASKS}/{task['id']}", headers=headers).get_json() == task
    assert client.get(TASKS, headers=headers).get_json()["total"] == 1


@pytest.mark.parametrize("text", FAITHFUL_TEXT)
@pytest.mark.parametrize("field", ["title", "description"])
def test_unicode_html_and_sql_round_trip(client, auth_headers, field, text) -> None:
    body = {"title": "t", field: text}
    created = client.post(TASKS, json=body, headers=auth_headers)
    assert created.status_code == 201
    assert created.get_json()[field] == text
    found = client.get(TASKS, query_string={"q": text[:6]}, headers=auth_headers).get_json()
    assert found["total"] == 1


@pytest.mark.parametrize("value", CONTROL_TEXT + WRONG_TYPES + HUGE_NUMBERS + ["", " " * 5,
                                                                              "x" * 201])
def test_bad_titles_are_422_and_change_nothing(client, auth_headers, task, value) -> None:
    for method in ("post", "put", "patch"):
        url = TASKS if method == "post" else f"{TASKS}/{task['id']}"
        body = assert_problem(getattr(client, method)(url, json={"title": value},
                                                      headers=auth_headers), 422)
        assert "title" in body["errors"]
    unchanged(client, auth_headers, task)


@pytest.mark.parametrize("value", CONTROL_TEXT + WRONG_TYPES + ["x" * 10_001])
def test_bad_descriptions_are_422(client, auth_headers, task, value) -> None:
    body = assert_problem(client.patch(f"{TASKS}/{task['id']}", json={"description": value},
                                       headers=auth_headers), 422)
    assert "description" in body["errors"]
    unchanged(client, auth_headers, task)


@pytest.mark.parametrize("value", BAD_DATES + WRONG_TYPES[2:])
def test_bad_due_dates_are_422(client, auth_headers, task, value) -> None:
    body = assert_problem(client.patch(f"{TASKS}/{task['id']}", json={"due_date": value},
                                       headers=auth_headers), 422)
    assert "due_date" in body["errors"]
    unchanged(client, auth_headers, task)


@pytest.mark.parametrize("field", ["status", "priority"])
@pytest.mark.parametrize("value", ["", "TODO", "High", "todo ", None, 1, ["todo"], "\x00"])
def test_bad_enums_are_422(client, auth_headers, task, field, value) -> None:
    body = assert_problem(client.patch(f"{TASKS}/{task['id']}", json={field: value},
                                       headers=auth_headers), 422)
    assert field in body["errors"]
    unchanged(client, auth_headers, task)


@pytest.mark.parametrize("path", [f"{TASKS}/99999999999999999999", f"{TASKS}/-1", f"{TASKS}/abc",
                                  f"{TASKS}/1.5", f"{TASKS}/%00"])
def test_bad_task_ids_are_404(client, auth_headers, path) -> None:
    assert_problem(client.get(path, headers=auth_headers), 404)


@pytest.mark.parametrize(
    "query",
    ["limit=1e3", "limit=99999999999999999999999", "offset=1.5", "limit=", "sort=title;drop",
     "status=todo%00", "due_after=10000-01-01", "q=%00", "priority=high,urgent",
     "sort=-priority,title"],
)
def test_bad_query_parameters_are_422(client, auth_headers, task, query) -> None:
    if query == "limit=":
        # A blank value means "the default", like a blank form field.
        assert client.get(f"{TASKS}?{query}", headers=auth_headers).status_code == 200
        return
    assert_problem(client.get(f"{TASKS}?{query}", headers=auth_headers), 422)


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "a@b@c.com"), ("email", "user@exa mple.com"), ("email", "x" * 250 + "@e.com"),
     ("email", "\x00@example.com"), ("username", "ünïcode"), ("username", "a\u202eb"),
     ("username", "<b>x</b>"), ("username", "x' OR 1=1"), ("full_name", "nul\x00"),
     ("password", "\x00" * 10), ("password", 12345678), ("email", ["a@example.com"])],
)
def test_bad_registration_fields_are_422(client: FlaskClient, field, value) -> None:
    body = {"email": "ok@example.com", "username": "okname", "password": PASSWORD, field: value}
    problem = assert_problem(client.post("/api/v1/auth/register", json=body), 422)
    assert field in problem["errors"]
    login = client.post("/api/v1/auth/login", json={"email": "ok@example.com",
                                                    "password": PASSWORD})
    assert login.status_code == 401


def test_full_name_keeps_unicode(client: FlaskClient) -> None:
    body = {"email": "u@example.com", "username": "uni", "password": "пароль-🔐-секрет",
            "full_name": "Zoë O'Brien-مرحبا"}
    assert client.post("/api/v1/auth/register", json=body).get_json()["full_name"] == body[
        "full_name"]
    assert client.post("/api/v1/auth/login", json={"email": "u@example.com",
                                                   "password": body["password"]}).status_code == 200


@pytest.mark.parametrize("body", [{"email": 1, "password": "x"}, {"email": "a@b.c"},
                                  {"email": None, "password": None}, {"password": "x" * 10**5}])
def test_bad_login_bodies_are_4xx(client: FlaskClient, body) -> None:
    response = client.post("/api/v1/auth/login", json=body)
    assert response.status_code in (401, 422)


@pytest.mark.parametrize("email", ["nul\x00@example.com", "bell\x07@example.com",
                                   "x" * 300 + "@example.com"])
def test_impossible_login_emails_are_the_usual_401(client: FlaskClient, user, email) -> None:
    # Found by the fuzzer: a NUL reached PostgreSQL, which refuses it, and gave a 500.
    response = client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
    assert_problem(response, 401)

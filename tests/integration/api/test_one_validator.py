"""One message per rule, whichever door a value comes in by: the API answers with the
services' own words (the marshmallow schemas only describe the fields)."""

from __future__ import annotations

from typing import Any

import pytest

from taskweb.errors import ValidationFailed
from taskweb.services.tasks import clean_task_fields
from taskweb.services.validation import FieldErrors, clean_email, clean_username
from tests.conftest import PASSWORD
from tests.integration.api.test_auth import assert_problem
from tests.web.conftest import text

TASKS = "/api/v1/tasks"


def service_messages(changes: dict[str, Any], creating: bool) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        clean_task_fields(changes, creating=creating)
    return caught.value.errors


@pytest.mark.parametrize("body", [
    {"title": 5}, {"title": None}, {"title": ["a"]}, {"title": ""}, {"title": "x" * 201},
    {"title": "ok", "description": 7}, {"title": "ok", "status": "done"},
    {"title": "ok", "priority": 3}, {"title": "ok", "due_date": "tomorrow"},
    {"title": "ok", "due_date": 1700000000}, {"title": "ok", "status": None},
    {"description": "no title"},
])
def test_task_fields_get_the_services_messages(client, auth_headers, body) -> None:
    problem = assert_problem(client.post(TASKS, json=body, headers=auth_headers), 422)
    assert problem["errors"] == service_messages(body, creating=True)


def test_not_a_string_reads_the_same_in_the_api_and_the_browser(client, auth_headers) -> None:
    problem = assert_problem(client.post(TASKS, json={"title": 5}, headers=auth_headers), 422)
    assert problem["errors"] == {"title": ["Must be a string."]}


@pytest.mark.parametrize(("field", "value", "rule"), [
    ("email", 42, clean_email), ("email", "not-an-address", clean_email),
    ("username", True, clean_username), ("username", "a", clean_username),
])
def test_registration_fields_get_the_services_messages(client, field, value, rule) -> None:
    body = {"email": "ok@example.com", "username": "okname", "password": PASSWORD, field: value}
    problem = assert_problem(client.post("/api/v1/auth/register", json=body), 422)
    expected = FieldErrors()
    rule(value, expected)
    assert problem["errors"] == expected.errors


def test_missing_and_unknown_fields_use_the_services_words(client, auth_headers) -> None:
    problem = assert_problem(client.post(TASKS, json={"owner_id": 1}, headers=auth_headers), 422)
    assert problem["errors"] == service_messages({"owner_id": 1}, creating=True)


def test_a_too_long_title_reads_the_same_in_both_doors(client, auth_headers, app) -> None:
    from tests.web.conftest import csrf_token, login

    problem = assert_problem(client.post(TASKS, json={"title": "x" * 201},
                                         headers=auth_headers), 422)
    [message] = problem["errors"]["title"]
    browser = app.test_client()
    login(browser, "alice@example.com")
    page = browser.post("/tasks", data={"title": "x" * 201, "priority": "medium",
                                        "csrf_token": csrf_token(browser, "/")})
    assert page.status_code == 422 and message in text(page)

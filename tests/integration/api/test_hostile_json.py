"""JSON that parses in Python but cannot be stored or processed: a clear 400, never a
500 and never a stack trace in the log (found by an attack run)."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import PASSWORD
from tests.integration.api.test_auth import assert_problem

LONE = "\\ud800"  # as written inside a JSON document
JSON = {"Content-Type": "application/json"}


def no_trace_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize(("path", "document"), [
    ("/api/v1/auth/login", f'{{"email": "a{LONE}@example.com", "password": "x"}}'),
    ("/api/v1/auth/register", f'{{"email": "a@example.com", "username": "abc", '
                              f'"password": "{PASSWORD}", "full_name": "Ann {LONE}"}}'),
])
def test_a_lone_surrogate_is_a_400_without_a_token(client, caplog, path, document) -> None:
    body = assert_problem(client.post(path, data=document, headers=JSON), 400)
    assert "JSON" in body["detail"]
    no_trace_logged(caplog)


def test_a_lone_surrogate_in_a_title_is_a_400(client, auth_headers, caplog) -> None:
    response = client.post("/api/v1/tasks", data=f'{{"title": "t{LONE}"}}',
                           headers={**auth_headers, **JSON})
    assert_problem(response, 400)
    assert client.get("/api/v1/tasks", headers=auth_headers).get_json()["total"] == 0
    no_trace_logged(caplog)


def test_a_surrogate_pair_is_an_ordinary_character(client, auth_headers) -> None:
    response = client.post("/api/v1/tasks", data='{"title": "milk \\ud83e\\udd5b"}',
                           headers={**auth_headers, **JSON})
    assert response.status_code == 201 and response.get_json()["title"] == "milk 🥛"


@pytest.mark.parametrize("depth", [5_000, 100_000])
def test_deep_nesting_is_a_400(client, caplog, depth) -> None:
    document = '{"email": ' + "[" * depth + "]" * depth + ', "password": "x"}'
    assert_problem(client.post("/api/v1/auth/login", data=document, headers=JSON), 400)
    no_trace_logged(caplog)

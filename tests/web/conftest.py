"""Fixtures for the browser adapter: a CSRF token read from a page, and clients that
are logged in through the login form (CSRF stays on, as in production)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from taskweb.models import User
from tests.conftest import PASSWORD

HX = {"HX-Request": "true"}
TOKEN_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """The CSRF token of the client's session, as a page hands it to the browser."""
    response = client.get(path)
    match = TOKEN_RE.search(response.get_data(as_text=True))
    assert match, f"no csrf-token meta on {path} ({response.status_code})"
    return match.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD,
          **extra: Any) -> TestResponse:
    data = {"email": email, "password": password, "csrf_token": csrf_token(client), **extra}
    return client.post("/login", data=data)


@pytest.fixture
def logged_in(client: FlaskClient, user: User) -> FlaskClient:
    response = login(client, user.email)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client


@pytest.fixture
def token(logged_in: FlaskClient) -> str:
    return csrf_token(logged_in, "/")


@pytest.fixture
def hx(token: str) -> dict[str, str]:
    """Headers of an htmx request from the tasks page, CSRF token included."""
    return {**HX, "X-CSRFToken": token, "HX-Current-URL": "http://localhost/"}


@pytest.fixture
def new_client(app: Flask) -> Callable[[], FlaskClient]:
    return app.test_client


def text(response: TestResponse) -> str:
    return response.get_data(as_text=True)

"""Sign up, log in, log out, remember me, `next`, CSRF and the session user loader."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import User
from taskweb.web.navigation import safe_next
from tests.conftest import PASSWORD
from tests.web.conftest import HX, csrf_token, login, text


def test_anonymous_visitor_is_sent_to_login_with_next(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query) == {"next": ["/"]}


def test_anonymous_htmx_request_navigates_the_whole_page_to_login(client: FlaskClient) -> None:
    current = {"HX-Current-URL": "http://localhost/?status=todo"}
    response = client.get("/?status=todo", headers={**HX, **current})
    assert response.status_code == 401
    location = urlsplit(response.headers["HX-Redirect"])
    assert location.path == "/login"
    assert parse_qs(location.query) == {"next": ["/?status=todo"]}


@pytest.mark.parametrize("path", ["/profile", "/tasks/1", "/tasks/1/edit"])
def test_every_private_page_needs_a_login(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_login_page_is_a_full_page_and_its_form_a_fragment(client: FlaskClient) -> None:
    page = text(client.get("/login"))
    assert "<title>Log in · taskweb</title>" in page
    assert "<h1>Log in</h1>" in page
    assert '<label for="email">Email</label>' in page
    assert '<label for="password">Password</label>' in page
    assert ">Log in</button>" in page
    fragment = text(client.get("/login", headers=HX))
    assert "<html" not in fragment and fragment.lstrip().startswith("<form")
    assert 'id="login-form"' in fragment


def test_signup_page_names_its_fields(client: FlaskClient) -> None:
    page = text(client.get("/signup"))
    assert "<title>Sign up · taskweb</title>" in page
    for label in ("Email", "Username", "Full name", "Password"):
        assert f">{label}</label>" in page
    assert ">Sign up</button>" in page
    assert "<html" not in text(client.get("/signup", headers=HX))


def test_signup_creates_the_account_and_logs_in(app: Flask, client: FlaskClient) -> None:
    response = client.post("/signup", data={
        "email": "Carol@Example.com", "username": "carol", "full_name": "Carol",
        "password": PASSWORD, "csrf_token": csrf_token(client, "/signup"),
    })
    assert response.status_code == 303
    assert response.headers["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "Welcome, carol!" in text(home)
    with app.app_context():
        assert db.session.query(User).filter_by(username="carol").one().email == "carol@example.com"


def test_signup_errors_sit_next_to_their_fields_and_keep_the_input(
    client: FlaskClient, user: User
) -> None:
    response = client.post("/signup", data={
        "email": user.email, "username": "newname", "full_name": "Someone",
        "password": "a secret password", "csrf_token": csrf_token(client, "/signup"),
    })
    assert response.status_code == 409
    page = text(response)
    assert 'id="email-error"' in page and "already registered" in page
    assert 'value="newname"' in page and 'value="Someone"' in page
    assert "a secret password" not in page


def test_signup_validation_over_htmx_answers_the_form_with_422(client: FlaskClient) -> None:
    token = csrf_token(client, "/signup")
    response = client.post("/signup", headers={**HX, "X-CSRFToken": token}, data={
        "email": "not-an-email", "username": "x", "password": "short",
    })
    assert response.status_code == 422
    fragment = text(response)
    assert fragment.lstrip().startswith("<form")
    for field in ("email", "username", "password"):
        assert f'id="{field}-error"' in fragment
    assert 'aria-invalid="true"' in fragment
    assert "short" not in fragment


def test_login_failure_keeps_the_email_but_never_the_password(
    client: FlaskClient, user: User
) -> None:
    response = login(client, user.email, "wrong password!")
    assert response.status_code == 401
    page = text(response)
    assert "Incorrect email or password." in page
    assert f'value="{user.email}"' in page
    assert "wrong password!" not in page
    assert client.get("/").status_code == 302


def test_login_over_htmx_redirects_with_hx_redirect(client: FlaskClient, user: User) -> None:
    token = csrf_token(client)
    response = client.post("/login", headers={**HX, "X-CSRFToken": token},
                           data={"email": user.email, "password": PASSWORD, "next": "/profile"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == "/profile"


@pytest.mark.parametrize("target", ["/profile", "/?status=todo&q=milk"])
def test_login_follows_a_same_site_next(client: FlaskClient, user: User, target: str) -> None:
    response = login(client, user.email, next=target)
    assert response.headers["Location"] == target


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "javascript:alert(1)", "http:/evil.example", "evil.example", "/\tevil", " //evil.example",
])
def test_login_never_follows_next_to_another_site(
    client: FlaskClient, user: User, target: str
) -> None:
    response = login(client, user.email, next=target)
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_login_page_carries_a_safe_next_into_its_form(client: FlaskClient) -> None:
    assert 'name="next" type="hidden" value="/profile"' in text(client.get("/login?next=/profile"))
    assert 'value="//evil.example"' not in text(client.get("/login?next=//evil.example"))


@pytest.mark.parametrize(("target", "expected"), [
    ("/tasks/3/edit", "/tasks/3/edit"), ("/?page=2", "/?page=2"), (None, "/"), ("", "/"),
    ("//x.example", "/"), ("https://x.example/a", "/"), ("/\\x.example", "/"),
    ("tasks", "/"), ("/a\nb", "/"), ("/#frag", "/"),
])
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_remember_me_sets_a_cookie_that_logs_in_a_new_browser_session(
    app: Flask, client: FlaskClient, user: User
) -> None:
    login(client, user.email, remember="y")
    cookie = client.get_cookie("remember_token")
    assert cookie is not None
    fresh = app.test_client()
    fresh.set_cookie("remember_token", cookie.value)
    assert fresh.get("/").status_code == 200


def test_without_remember_me_there_is_no_remember_cookie(client: FlaskClient, user: User) -> None:
    login(client, user.email)
    assert client.get_cookie("remember_token") is None
    assert client.get("/").status_code == 200


def test_logout_ends_the_session(logged_in: FlaskClient) -> None:
    token = csrf_token(logged_in, "/")
    response = logged_in.post("/logout", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert "You have logged out." in text(logged_in.get("/login"))
    assert logged_in.get("/").status_code == 302


def test_logout_is_post_only(logged_in: FlaskClient) -> None:
    assert logged_in.get("/logout").status_code == 405
    assert logged_in.get("/").status_code == 200


@pytest.mark.parametrize("path", ["/login", "/signup", "/logout"])
def test_auth_forms_refuse_a_post_without_csrf_token(
    logged_in: FlaskClient, user: User, path: str
) -> None:
    response = logged_in.post(path, data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert logged_in.get("/").status_code == 200  # logout did not happen


def test_session_of_a_deactivated_user_is_refused(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    with app.app_context():
        db.session.get(User, user.id).is_active = False
        db.session.commit()
    assert logged_in.get("/").status_code == 302

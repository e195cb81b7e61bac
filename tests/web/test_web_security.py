"""Browser sessions under attack: cookie flags, fixation, logout, brute force."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from config import ProductionConfig
from tests.conftest import PASSWORD, make_app
from tests.web.conftest import csrf_token, login, text


def cookie_headers(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_session_and_remember_cookies_are_httponly_and_lax(client: FlaskClient, user) -> None:
    response = login(client, user.email, remember="y")
    cookies = {header.split("=", 1)[0]: header for header in cookie_headers(response)}
    assert {"session", "remember_token"} <= set(cookies)
    for header in (cookies["session"], cookies["remember_token"]):
        assert "HttpOnly" in header and "SameSite=Lax" in header


def test_cookies_are_secure_in_production(migrated_database, monkeypatch, user) -> None:
    monkeypatch.setenv("SECRET_KEY", "p" * 40)
    monkeypatch.setenv("JWT_SECRET_KEY", "q" * 40)
    monkeypatch.setenv("DATABASE_URL", migrated_database)
    monkeypatch.setenv("PUBLIC_URL", "https://tasks.example.com")
    from taskweb import create_app

    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=migrated_database,
                     BCRYPT_ROUNDS=4, RATELIMIT_ENABLED=False)
    client = app.test_client()
    response = login(client, user.email, remember="y")
    assert response.status_code == 303
    for header in cookie_headers(response):
        assert "Secure" in header and "HttpOnly" in header, header


def test_nothing_from_before_login_survives_it(client: FlaskClient, user) -> None:
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = client.get_cookie("session").value
    login(client, user.email)
    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session and "_user_id" in session


def test_logout_clears_the_session(client: FlaskClient, user) -> None:
    login(client, user.email, remember="y")
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    with client.session_transaction() as session:
        assert "_user_id" not in session
    assert client.get("/").status_code == 302


def test_login_form_is_rate_limited_per_address(migrated_database, user) -> None:
    app = make_app(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute",
                   ACCOUNT_RATE_LIMIT="100 per minute")
    client = app.test_client()
    statuses = [login(client, user.email, "wrong password!").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Too many" in text(response)
    # The form itself can still be shown.
    assert client.get("/login").status_code == 200


def test_login_form_is_rate_limited_per_account(migrated_database, user) -> None:
    app = make_app(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="100 per minute",
                   ACCOUNT_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for address in ("10.0.0.1", "10.0.0.2"):
        client.environ_base["REMOTE_ADDR"] = address
        assert login(client, user.email, "wrong password!").status_code == 401
    client.environ_base["REMOTE_ADDR"] = "10.0.0.3"
    assert login(client, user.email, PASSWORD).status_code == 429


@pytest.mark.parametrize("headers", [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},
    {"Sec-Fetch-Site": "cross-site"},
    {"Origin": "http://localhost.evil.example"},
])
def test_a_write_from_another_site_is_refused_even_with_a_token(logged_in, token,
                                                                 headers) -> None:
    response = logged_in.post("/tasks", data={"title": "Forged", "csrf_token": token},
                              headers=headers)
    assert response.status_code == 403
    assert "Forged" not in logged_in.get("/").get_data(as_text=True)


@pytest.mark.parametrize("headers", [
    {}, {"Origin": "http://localhost"}, {"Sec-Fetch-Site": "same-origin"},
    {"Sec-Fetch-Site": "none"},  # typed into the address bar, a bookmark
])
def test_a_write_from_this_site_goes_through(logged_in, token, headers) -> None:
    response = logged_in.post("/tasks", data={"title": "Mine", "csrf_token": token},
                              headers=headers)
    assert response.status_code in (200, 201, 303)

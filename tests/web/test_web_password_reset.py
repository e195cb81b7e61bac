"""Forgot your password, in the browser: the form, the e-mail's link, the new password,
and every old browser session signed out."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask.testing import FlaskClient

from taskweb.models import User
from taskweb.services.password_reset import LINK_NOT_VALID
from taskweb.web.password_reset import LINK_SENT
from tests.conftest import PASSWORD, make_app
from tests.integration.api.test_password_reset import NEW_PASSWORD, link_for
from tests.mail_server import MailServer
from tests.web.conftest import HX, csrf_token, login, text

NOON = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def forgot(client: FlaskClient, email: str, **headers: str):
    return client.post("/forgot-password", headers=headers,
                       data={"email": email, "csrf_token": csrf_token(client, "/forgot-password")})


def choose(client: FlaskClient, path: str, password: str = NEW_PASSWORD,
           again: str | None = None):
    return client.post(path, data={"password": password, "confirm": again or password,
                                   "csrf_token": csrf_token(client, "/login")})


def test_the_login_page_links_to_the_form(client: FlaskClient) -> None:
    assert 'href="/forgot-password">Forgot your password?</a>' in text(client.get("/login"))
    page = text(client.get("/forgot-password"))
    assert '<label for="email">Email</label>' in page and "Send me a link" in page


def test_one_answer_whether_or_not_the_address_has_an_account(
        client: FlaskClient, user: User, mail_server: MailServer) -> None:
    known, unknown = forgot(client, user.email), forgot(client, "nobody@example.com", **HX)
    assert known.status_code == unknown.status_code == 200
    assert LINK_SENT in text(known) and LINK_SENT in text(unknown)
    assert 'id="flash"' in text(unknown) and 'hx-swap-oob="innerHTML"' in text(unknown)
    assert len(mail_server.messages) == 1 and mail_server.to(user.email)
    bad = forgot(client, "not an address")
    assert bad.status_code == 422 and 'aria-invalid="true"' in text(bad)
    assert LINK_SENT not in text(bad)


def test_the_link_sets_a_password_once_and_signs_out_every_browser(
        client: FlaskClient, app, user: User, mail_server: MailServer) -> None:
    other_browser = app.test_client()
    assert login(other_browser, user.email).status_code == 303
    forgot(client, user.email)
    link, _ = link_for(mail_server, user.email)
    path = link.removeprefix("http://127.0.0.1:5000")
    page = client.get(path)
    assert page.status_code == 200 and "Choose a new password" in text(page)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    differ = choose(client, path, NEW_PASSWORD, "something else entirely")
    assert differ.status_code == 422 and "The two passwords are not the same." in text(differ)
    short = choose(client, path, "short")
    assert short.status_code == 422 and "characters" in text(short)
    done = choose(client, path)
    assert done.status_code == 303 and done.headers["Location"] == "/login"
    assert "Your password has been changed." in text(client.get("/login"))
    assert other_browser.get("/").status_code == 302  # its session has ended
    again = client.get(path)
    assert again.status_code == 400 and 'href="/forgot-password"' in text(again)
    used = client.post(path, headers=HX, data={
        "password": "another new password", "confirm": "another new password",
        "csrf_token": csrf_token(client, "/login")})
    assert used.headers["HX-Redirect"] == path  # to the page that says the link is spent
    assert login(client, user.email, PASSWORD).status_code != 303
    assert login(client, user.email, NEW_PASSWORD).status_code == 303


def test_an_expired_link_says_so_and_offers_a_new_one(
        client: FlaskClient, user: User, mail_server: MailServer, stand_at) -> None:
    stand_at(NOON)
    forgot(client, user.email)
    link, _ = link_for(mail_server, user.email)
    stand_at(NOON + timedelta(minutes=31))
    page = client.get(link.removeprefix("http://127.0.0.1:5000"))
    assert page.status_code == 400
    assert "This link no longer works" in text(page) and "Send me a new link" in text(page)
    assert client.get("/reset-password/not-a-token").status_code == 400
    assert LINK_NOT_VALID  # the API's one message; the page says it in its own words


def test_too_many_requests_show_the_form_with_when_to_try_again(migrated_database,
                                                                 user: User) -> None:
    client = make_app(migrated_database, RATELIMIT_ENABLED=True,
                      PASSWORD_RESET_ACCOUNT_LIMIT="1 per minute").test_client()
    assert forgot(client, user.email).status_code == 200
    refused = forgot(client, user.email)
    assert refused.status_code == 429 and "Too many attempts. Try again" in text(refused)
    assert 'id="forgot-password-form"' in text(refused)

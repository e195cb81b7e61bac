"""POST /api/v1/auth/password-reset and /confirm, end to end through a real SMTP server
in the test process: the link works once and for 30 minutes, unknown addresses answer
the same and get nothing, and a reset ends every session and token of the account."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone

from flask.testing import FlaskClient
from sqlalchemy import select

from taskweb.extensions import db
from taskweb.models import PasswordReset, User
from taskweb.services.password_reset import LINK_NOT_VALID
from tests.conftest import PASSWORD, login_tokens, make_app
from tests.integration.api.test_auth import assert_problem
from tests.mail_server import MailServer, html_part, text_part

NEW_PASSWORD = "a brand new passphrase"
LINK_RE = re.compile(r"(https?://\S+/reset-password/([A-Za-z0-9_-]+))")
NOON = datetime(2026, 11, 26, 12, 0, tzinfo=timezone.utc)


def ask(client: FlaskClient, email: str, address: str = "10.0.0.1"):
    return client.post("/api/v1/auth/password-reset", json={"email": email},
                       environ_base={"REMOTE_ADDR": address})


def confirm(client: FlaskClient, token: str, password: str = NEW_PASSWORD):
    return client.post("/api/v1/auth/password-reset/confirm",
                       json={"token": token, "password": password})


def link_for(mail_server: MailServer, email: str, index: int = -1) -> tuple[str, str]:
    """The link and its token in the ``index``-th e-mail sent to ``email``."""
    match = LINK_RE.search(text_part(mail_server.to(email)[index]))
    assert match, "no reset link in the e-mail"
    return match.group(1), match.group(2)


def test_an_account_gets_a_link_and_a_stranger_the_same_answer(
        client: FlaskClient, user: User, mail_server: MailServer) -> None:
    known = ask(client, "  ALICE@example.com ")
    unknown = ask(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 202
    assert known.get_data() == unknown.get_data()
    assert len(mail_server.messages) == 1 and not mail_server.to("nobody@example.com")
    message = mail_server.to(user.email)[0]
    assert "password" in message["Subject"].lower()
    link, token = link_for(mail_server, user.email)
    assert link.startswith("http://127.0.0.1:5000/reset-password/")  # PUBLIC_URL
    assert link in html_part(message) and "30 minutes" in text_part(message)
    assert len(token) >= 40


def test_the_link_works_once_and_ends_every_session_and_token(
        client: FlaskClient, user: User, mail_server: MailServer) -> None:
    old = login_tokens(client, user.email)
    ask(client, user.email)
    _, token = link_for(mail_server, user.email)
    assert confirm(client, token).status_code == 204
    assert assert_problem(confirm(client, token, "yet another password"), 400)[
        "detail"] == LINK_NOT_VALID
    old_access = {"Authorization": f"Bearer {old['access_token']}"}
    assert client.get("/api/v1/users/me", headers=old_access).status_code == 401
    refreshed = client.post("/api/v1/auth/refresh", json={"refresh_token": old["refresh_token"]})
    assert refreshed.status_code == 401
    assert client.post("/api/v1/auth/login",
                       json={"email": user.email, "password": PASSWORD}).status_code == 401
    login_tokens(client, user.email, NEW_PASSWORD)


def test_the_link_expires_after_30_minutes(client: FlaskClient, user: User,
                                           mail_server: MailServer, stand_at) -> None:
    stand_at(NOON)
    ask(client, user.email)
    ask(client, user.email)
    _, first = link_for(mail_server, user.email, 0)
    _, second = link_for(mail_server, user.email, 1)
    stand_at(NOON + timedelta(minutes=30, seconds=1))
    assert assert_problem(confirm(client, first), 400)["detail"] == LINK_NOT_VALID
    stand_at(NOON + timedelta(minutes=29))
    assert confirm(client, second).status_code == 204


def test_a_reset_uses_up_every_other_link_of_the_account(
        client: FlaskClient, user: User, other_user: User, mail_server: MailServer) -> None:
    ask(client, user.email)
    ask(client, user.email)
    ask(client, other_user.email)
    _, first = link_for(mail_server, user.email, 0)
    _, second = link_for(mail_server, user.email, 1)
    _, bobs = link_for(mail_server, other_user.email)
    assert confirm(client, second).status_code == 204
    assert_problem(confirm(client, first), 400)
    assert confirm(client, bobs).status_code == 204  # another account's link is untouched


def test_bad_input_names_the_field_and_spends_no_link(
        client: FlaskClient, user: User, mail_server: MailServer) -> None:
    for body, field in (({}, "email"), ({"email": "not an address"}, "email"),
                        ({"email": 42}, "email"),
                        ({"email": user.email, "id": 1}, "id")):
        problem = assert_problem(client.post("/api/v1/auth/password-reset", json=body), 422)
        assert field in problem["errors"]
    assert not mail_server.messages
    ask(client, user.email)
    _, token = link_for(mail_server, user.email)
    for body, field in (({"token": token, "password": "short"}, "password"),
                        ({"token": token, "password": "x" * 129}, "password"),
                        ({"token": token, "password": None}, "password"),
                        ({"password": NEW_PASSWORD}, "token"),
                        ({"token": token}, "password")):
        problem = assert_problem(
            client.post("/api/v1/auth/password-reset/confirm", json=body), 422)
        assert field in problem["errors"]
    for garbage in ("", "x", "é" * 43, token[:-1] + ("A" if token[-1] != "A" else "B"), 7):
        assert_problem(client.post("/api/v1/auth/password-reset/confirm",
                                   json={"token": garbage, "password": NEW_PASSWORD}), 400)
    assert confirm(client, token).status_code == 204


def test_two_simultaneous_confirmations_one_wins(
        client: FlaskClient, user: User, mail_server: MailServer, app) -> None:
    ask(client, user.email)
    _, token = link_for(mail_server, user.email)
    barrier = threading.Barrier(2)
    statuses: list[int] = []

    def use(password: str) -> None:
        own = app.test_client()
        barrier.wait()
        statuses.append(confirm(own, token, password).status_code)

    threads = [threading.Thread(target=use, args=(f"racing password {n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [204, 400]


def test_a_mail_server_that_is_down_fails_nothing_the_client_sees(
        client: FlaskClient, user: User, mail_server: MailServer, app) -> None:
    mail_server.stop()
    assert ask(client, user.email).status_code == 202
    mail_server.start()
    assert ask(client, user.email).status_code == 202
    assert len(mail_server.to(user.email)) == 1
    with app.app_context():  # the links of the failed tries were withdrawn
        usable = db.session.scalars(select(PasswordReset).where(
            PasswordReset.used_at.is_(None))).all()
        assert [reset.user_id for reset in usable] == [user.id]


def test_rate_limits_per_client_address_and_per_account(migrated_database, user) -> None:
    app = make_app(migrated_database, RATELIMIT_ENABLED=True,
                   PASSWORD_RESET_ADDRESS_LIMIT="3 per minute",
                   PASSWORD_RESET_ACCOUNT_LIMIT="2 per minute")
    client = app.test_client()
    # Per account (the address asked for, normalised), whatever the client address.
    statuses = [ask(client, email, f"10.0.1.{n}").status_code
                for n, email in enumerate([user.email, " Alice@Example.com", user.email])]
    assert statuses == [202, 202, 429]
    assert int(ask(client, user.email, "10.0.1.9").headers["Retry-After"]) > 0
    # Per client address, whatever the address asked for.
    statuses = [ask(client, f"someone{n}@example.com", "10.0.2.1").status_code
                for n in range(4)]
    assert statuses == [202, 202, 202, 429]
    assert_problem(ask(client, "fresh@example.com", "10.0.2.1"), 429)

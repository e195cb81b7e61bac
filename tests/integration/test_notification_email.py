"""The outbox through a real SMTP server in the test process: the e-mail's content and
headers, the sweep sending each owed e-mail once, a mail server that is down (the
notification stays, the e-mail backs off and goes out when it returns), and the
unsubscribe link (GET, POST, RFC 8058 one-click POST, bad tokens)."""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from datetime import datetime, timezone

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from config import celery_config
from taskweb.extensions import db
from taskweb.jobs.notifications import send_owed_emails
from taskweb.jobs.webhooks import FAN_OUT as WEBHOOK_FAN_OUT
from taskweb.models import EmailState, Notification, User
from taskweb.notification_mail import unsubscribe_token
from taskweb.services.email_outbox import FIRST_RETRY, GIVE_UP_AFTER
from taskweb.wiring import project_service
from tests.conftest import make_app
from tests.integration.api.sharing import new_project, new_task, share
from tests.mail_server import html_part, text_part

MOMENT = datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
UNSUBSCRIBE_RE = re.compile(r"<(http://[^>]+/unsubscribe/[^>]+)>")


def sweep_of(app: Flask):
    """The job as the app's own Celery app runs it (in an app context of ``app``)."""
    return app.extensions["celery"].tasks[send_owed_emails.name]


@pytest.fixture
def sweep(app: Flask):
    def run() -> int:
        result = sweep_of(app).apply()
        assert result.successful(), result.result
        return result.result

    return run


def rows(app: Flask) -> list[Notification]:
    with app.app_context():
        found = db.session.query(Notification).order_by(Notification.id).all()
        db.session.expunge_all()
        return found


@pytest.fixture
def assigned(app, client, stand_at, auth_headers, other_user, other_auth_headers) -> dict:
    """At MOMENT Alice shares Home with Bob and assigns him "Buy milk": two e-mails owed."""
    stand_at(MOMENT)
    project = new_project(client, auth_headers, "Home")
    share(client, auth_headers, project["id"], other_user.username, "editor")
    return new_task(client, auth_headers, "Buy milk", project_id=project["id"],
                    assignee_id=other_user.id)


def test_the_email_of_an_assignment(app, sweep, mail_server, assigned, other_user) -> None:
    assert sweep() == 2
    messages = mail_server.to(other_user.email)
    assert len(messages) == 2
    message = next(m for m in messages if "assigned" in m["Subject"])
    assert message["Subject"].strip() == "Alice Liddell assigned you “Buy milk” in Home"
    public = app.config["PUBLIC_URL"].rstrip("/")
    text, html = text_part(message), html_part(message)
    assert f"{public}/tasks/{assigned['id']}" in text and f"{public}/notifications" in text
    assert f'href="{public}/tasks/{assigned["id"]}"' in html
    assert "Alice Liddell assigned you “Buy milk” in Home" in text
    assert "Alice Liddell assigned you “Buy milk” in Home" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = UNSUBSCRIBE_RE.fullmatch(message["List-Unsubscribe"].strip()).group(1)
    assert url in text and url in html.replace("&amp;", "&")
    assert {row.email_state for row in rows(app)} == {EmailState.SENT}
    assert sweep() == 0 and len(mail_server.messages) == 2  # sent once


def test_a_mail_server_that_is_down_delays_the_email_and_nothing_else(
        app, sweep, client, mail_server, assigned, other_user, other_auth_headers, stand_at) -> None:
    mail_server.stop()
    assert sweep() == 0
    listed = client.get("/api/v1/notifications", headers=other_auth_headers).get_json()
    assert len(listed["items"]) == 2  # the notifications are there all the same
    for row in rows(app):
        assert row.email_state is EmailState.OWED and row.email_attempts == 1
        assert MOMENT + FIRST_RETRY / 2 <= row.email_next_at <= MOMENT + FIRST_RETRY
    stand_at(MOMENT + FIRST_RETRY / 4)  # before the retry is due: nothing is tried
    mail_server.start()
    assert sweep() == 0 and mail_server.messages == []
    stand_at(MOMENT + FIRST_RETRY)
    assert sweep() == 2
    assert sweep() == 0
    assert len(mail_server.to(other_user.email)) == 2
    assert {row.email_state for row in rows(app)} == {EmailState.SENT}


def test_an_email_is_given_up_a_day_after_its_notification(app, sweep, mail_server, assigned,
                                                           stand_at) -> None:
    mail_server.stop()
    stand_at(MOMENT + GIVE_UP_AFTER)
    sweep()
    assert {row.email_state for row in rows(app)} == {EmailState.FAILED}
    assert all(row.email_next_at is None for row in rows(app))


def test_two_sweeps_at_once_send_each_email_once(app, mail_server, assigned) -> None:
    barrier = threading.Barrier(2)
    sent: list[int] = []

    def run() -> None:
        with app.app_context():
            barrier.wait()
            sent.append(sweep_of(app).apply().result)
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) in ([0, 2], [1, 1]) and len(mail_server.messages) == 2


def test_no_email_goes_out_once_turned_off(app, sweep, client, mail_server, assigned,
                                           other_auth_headers) -> None:
    client.put("/api/v1/users/me", json={"email_notifications": False},
               headers=other_auth_headers)
    assert sweep() == 0 and mail_server.messages == []
    assert {row.email_state for row in rows(app)} == {EmailState.NONE}


def _email_on(app: Flask, user: User) -> bool:
    with app.app_context():
        return db.session.get(User, user.id).email_notifications


def _token(app: Flask, user: User) -> str:
    with app.app_context():
        return unsubscribe_token(user.id)


def test_unsubscribe_page_and_its_button(app, client: FlaskClient, user) -> None:
    url = f"/unsubscribe/{_token(app, user)}"
    page = client.get(url)
    assert page.status_code == 200 and "Turn off e-mail notifications" in page.text
    assert _email_on(app, user)
    done = client.post(url)  # no session, no CSRF token: the signed link is the authority
    assert done.status_code == 200 and "E-mail notifications are off" in done.text
    assert not _email_on(app, user)


def test_one_click_unsubscribe_from_a_mail_provider(app, client, user) -> None:
    response = client.post(f"/unsubscribe/{_token(app, user)}",
                           data={"List-Unsubscribe": "One-Click"},
                           headers={"Origin": "https://mail.example.net",
                                    "Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200 and not _email_on(app, user)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_or_tampered_token_is_404(app, client, user, method) -> None:
    good = _token(app, user)
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    with app.app_context():
        from itsdangerous import URLSafeSerializer
        forged = URLSafeSerializer("not-the-secret", salt="taskweb.unsubscribe").dumps(user.id)
    for token in (tampered, forged, "nonsense", good.split(".")[0]):
        response = getattr(client, method)(f"/unsubscribe/{token}")
        assert response.status_code == 404, token
        assert "not valid" in response.text
    assert _email_on(app, user)


def test_a_link_of_a_deleted_account_is_404(app, client) -> None:
    with app.app_context():
        token = unsubscribe_token(987654)
    assert client.post(f"/unsubscribe/{token}").status_code == 404


def _app_with_broker(database_url: str, redis_url: str, queue: str) -> Flask:
    return make_app(database_url, CELERY={**celery_config(redis_url, 5),
                                          "task_default_queue": queue})


def _share_home(app: Flask, owner: User, member: User) -> None:
    with app.app_context():
        alice = db.session.get(User, owner.id)
        project = project_service().create(alice, {"name": "Home"})
        project_service().add_member(alice, project.project.id,
                                     {"username": member.username, "role": "editor"})
        db.session.remove()


def test_a_commit_that_owes_an_email_queues_a_sweep(migrated_database, user,
                                                    other_user) -> None:
    queue = f"notify-test-{uuid.uuid4().hex}"
    redis_url = os.environ["TEST_REDIS_URL"]
    broker = redis.Redis.from_url(redis_url)
    try:
        _share_home(_app_with_broker(migrated_database, redis_url, queue), user, other_user)
        messages = [json.loads(raw) for raw in broker.lrange(queue, 0, -1)]
        # (the membership's project.shared webhook event asks for its own fan-out)
        [message] = [m for m in messages if m["headers"]["task"] != WEBHOOK_FAN_OUT]
        assert message["headers"]["task"] == send_owed_emails.name
    finally:
        broker.delete(queue)
        broker.close()


def test_a_broker_that_is_down_loses_nothing(migrated_database, app, user,
                                             other_user) -> None:
    """Nor does it hold the request: one refused connection, no retries (the test would
    take seconds with Celery's default retries)."""
    _share_home(_app_with_broker(migrated_database, "redis://127.0.0.1:1/0", "unused"),
                user, other_user)
    [row] = rows(app)
    assert row.email_state is EmailState.OWED  # the scheduled sweep will send it


def test_the_sweep_is_on_the_beat_schedule(app) -> None:
    entry = app.config["CELERY"]["beat_schedule"]["send-owed-emails"]
    assert entry["task"] in app.extensions["celery"].tasks and entry["schedule"] <= 10

"""The bell (its fragment, ETag and 304) and the notifications panel (mark read, mark
all read, by htmx and by plain form), and the profile's e-mail checkbox."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import NotificationKind, User
from taskweb.wiring import unit_of_work
from tests.integration.test_statement_counts import counted_statements
from tests.web.conftest import HX, csrf_token, text
from tests.web.html import duplicate_ids


def notify(app: Flask, user: User, message: str, **fields: object) -> int:
    """A notification written server-side, as a reminder or a share would."""
    with app.app_context():
        uow = unit_of_work()
        with uow:
            row = uow.notifications.add(user.id, NotificationKind.SHARED, message,
                                        db.func.now(), email_owed=False, **fields)
        return row.id


@pytest.fixture
def three(app, user) -> list[int]:
    return [notify(app, user, f"Message {n}") for n in range(3)]


def test_the_bell_is_in_the_header_and_loads_its_count(app, logged_in: FlaskClient,
                                                       three) -> None:
    page = text(logged_in.get("/"))
    assert 'id="bell"' in page and 'hx-get="/notifications/bell"' in page
    assert "every 30s" in page
    bell = logged_in.get("/notifications/bell", headers=HX)
    assert bell.status_code == 200
    assert "Notifications, 3 unread" in text(bell) and ">3</span>" in text(bell)
    assert bell.headers["Cache-Control"] == "private, no-cache" and bell.headers["ETag"]


def test_the_bell_answers_304_until_something_changes(app, logged_in, user, three) -> None:
    etag = logged_in.get("/notifications/bell", headers=HX).headers["ETag"]
    with counted_statements(app) as statements:
        same = logged_in.get("/notifications/bell", headers={**HX, "If-None-Match": etag})
    assert same.status_code == 304 and same.get_data() == b""
    assert len(statements) == 2, statements  # the session's user, the count
    notify(app, user, "One more")
    changed = logged_in.get("/notifications/bell", headers={**HX, "If-None-Match": etag})
    assert changed.status_code == 200 and "4 unread" in text(changed)


def test_the_bell_without_a_session_stops_polling_quietly(client) -> None:
    """A page left open after signing out: its bell stops (htmx's 286) and shows no
    count; it neither pulls the page to the login form nor reports an error."""
    response = client.get("/notifications/bell", headers=HX)
    assert response.status_code == 286 and "HX-Redirect" not in response.headers
    assert "Notifications</span>" in response.get_data(as_text=True)
    assert "bell__count" not in response.get_data(as_text=True)


def test_the_panel_lists_newest_first_with_links_and_marks(app, logged_in, user,
                                                           three) -> None:
    notify(app, user, "About a project", project_id=None)
    page = text(logged_in.get("/notifications"))
    assert page.index("About a project") < page.index("Message 2") < page.index("Message 0")
    assert "4 unread" in page and page.count("Mark as read") == 4
    assert "Mark all as read" in page and not duplicate_ids(page)


def test_mark_read_by_htmx_and_by_plain_form(app, logged_in, three) -> None:
    token = csrf_token(logged_in, "/notifications")
    headers = {**HX, "X-CSRFToken": token}
    response = logged_in.post(f"/notifications/{three[0]}/read", headers=headers)
    body = text(response)
    assert response.status_code == 200 and "2 unread" in body and "Marked as read." in body
    assert 'hx-swap-oob="innerHTML"' in body and "Notifications, 2 unread" in body
    plain = logged_in.post("/notifications/read-all", data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["Location"].endswith("/notifications")
    page = text(logged_in.get("/notifications"))
    assert "Marked all as read." in page and "All read" in page and "Mark as read" not in page


def test_another_users_notification_cannot_be_marked(app, logged_in, other_user) -> None:
    theirs = notify(app, other_user, "Not yours")
    token = csrf_token(logged_in, "/notifications")
    response = logged_in.post(f"/notifications/{theirs}/read",
                              headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 404


def test_marking_read_needs_the_csrf_token(logged_in, three) -> None:
    assert logged_in.post(f"/notifications/{three[0]}/read").status_code == 400


def test_the_profile_checkbox_turns_email_off_and_on(app, logged_in, user) -> None:
    page = text(logged_in.get("/profile"))
    assert "E-mail me notifications" in page and 'name="email_notifications"' in page
    checkbox = re.search(r'<input[^>]*name="email_notifications"[^>]*>', page)
    assert checkbox and "checked" in checkbox.group(0)
    form = {"csrf_token": csrf_token(logged_in, "/profile"), "full_name": "Alice Liddell",
            "email": user.email, "username": user.username, "time_zone": "UTC",
            "notifications_offered": "1"}
    logged_in.post("/profile", data=form)
    with app.app_context():
        assert db.session.get(User, user.id).email_notifications is False
    logged_in.post("/profile", data={**form, "email_notifications": "y"})
    with app.app_context():
        assert db.session.get(User, user.id).email_notifications is True
    del form["notifications_offered"]  # a form of before the checkbox leaves it alone
    logged_in.post("/profile", data=form)
    with app.app_context():
        assert db.session.get(User, user.id).email_notifications is True

"""The profile's Calendar feed section: turn on, a new address, turn off."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.web.conftest import text

URL_RE = re.compile(r'id="calendar-feed-url" type="text" readonly value="http://localhost'
                    r'(/calendar/[A-Za-z0-9_-]+\.ics)"')


def feed_path(page: str) -> str | None:
    match = URL_RE.search(page)
    return match.group(1) if match else None


def test_turn_on_rotate_and_turn_off(logged_in: FlaskClient, hx: dict, token: str) -> None:
    page = text(logged_in.get("/profile"))
    assert "Calendar feed" in page and "The feed is off." in page and feed_path(page) is None
    on = logged_in.post("/profile/calendar", data={"csrf_token": token})
    assert on.status_code == 303 and on.headers["Location"] == "/profile"
    first = feed_path(text(logged_in.get("/profile")))
    assert first and logged_in.get(first).status_code == 200
    rotated = logged_in.post("/profile/calendar", headers=hx)
    assert rotated.status_code == 200
    assert 'id="flash"' in text(rotated) and "new address" in text(rotated)
    second = feed_path(text(rotated))
    assert second and second != first
    assert logged_in.get(first).status_code == 404
    assert 'data-copy="calendar-feed-url"' in text(rotated)
    assert 'data-confirm="calendar-new-address-dialog"' in text(rotated)
    off = logged_in.post("/profile/calendar/off", headers=hx)
    assert "The feed is off." in text(off) and logged_in.get(second).status_code == 404


def test_writes_need_the_csrf_token_and_a_session(client: FlaskClient,
                                                  logged_in: FlaskClient) -> None:
    assert logged_in.post("/profile/calendar").status_code == 400
    anonymous = client.application.test_client()
    assert anonymous.post("/profile/calendar").status_code in (302, 400)

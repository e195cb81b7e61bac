"""Logging out ends a browser's session for good: copies of its session and remember-me
cookies open nothing afterwards (found by an attack run), while other browsers stay in
unless the person logs out everywhere."""

from __future__ import annotations

from flask.testing import FlaskClient

from tests.conftest import login_tokens
from tests.web.conftest import csrf_token, login

REMEMBER = "remember_token"


def signed_in_browser(app, email: str, **extra) -> FlaskClient:
    browser = app.test_client()
    assert login(browser, email, **extra).status_code == 303
    return browser


def cookies_of(browser: FlaskClient) -> dict[str, str]:
    return {name: browser.get_cookie(name).value for name in ("session", REMEMBER)
            if browser.get_cookie(name) is not None}


def replayed(app, cookies: dict[str, str]) -> FlaskClient:
    """A browser that holds copies of another browser's cookies."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief


def opens_the_tasks_page(browser: FlaskClient) -> bool:
    return browser.get("/").status_code == 200


def test_a_copied_session_cookie_dies_with_logout(app, user) -> None:
    browser = signed_in_browser(app, user.email)
    copied = cookies_of(browser)
    assert opens_the_tasks_page(replayed(app, copied))
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert not opens_the_tasks_page(replayed(app, copied))


def test_a_copied_remember_me_cookie_dies_with_logout(app, user) -> None:
    browser = signed_in_browser(app, user.email, remember="y")
    remember_only = {REMEMBER: cookies_of(browser)[REMEMBER]}
    assert opens_the_tasks_page(replayed(app, remember_only))
    browser.post("/logout", data={"csrf_token": csrf_token(browser, "/")})
    assert not opens_the_tasks_page(replayed(app, remember_only))


def test_logging_out_one_browser_leaves_the_others_in(app, user) -> None:
    laptop = signed_in_browser(app, user.email)
    phone = signed_in_browser(app, user.email, remember="y")
    laptop.post("/logout", data={"csrf_token": csrf_token(laptop, "/")})
    assert not opens_the_tasks_page(laptop)
    assert opens_the_tasks_page(phone)


def test_logging_out_everywhere_ends_every_browser_and_token(app, client, user) -> None:
    laptop = signed_in_browser(app, user.email)
    phone = signed_in_browser(app, user.email, remember="y")
    phone_cookies = cookies_of(phone)
    tokens = login_tokens(client, user.email)
    response = laptop.post("/logout/everywhere",
                           data={"csrf_token": csrf_token(laptop, "/profile")})
    assert response.status_code == 303
    for browser in (laptop, phone, replayed(app, phone_cookies)):
        assert not opens_the_tasks_page(browser)
    api = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get("/api/v1/users/me", headers=api).status_code == 401
    refreshed = client.post("/api/v1/auth/refresh",
                            json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401
    assert signed_in_browser(app, user.email)  # and logging in again works


def test_log_out_everywhere_needs_a_session_and_a_csrf_token(app, user) -> None:
    assert app.test_client().post("/logout/everywhere").status_code in (302, 303, 400)
    browser = signed_in_browser(app, user.email)
    assert browser.post("/logout/everywhere").status_code == 400
    assert opens_the_tasks_page(browser)

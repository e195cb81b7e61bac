"""The profile page: details and password, with the password change signing out every
other session."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import User
from taskweb.web.display import relative_days
from tests.conftest import PASSWORD
from tests.web.conftest import HX, csrf_token, login, text

NEW_PASSWORD = "a brand new passphrase"


def test_profile_page_and_fragment(logged_in: FlaskClient, user: User) -> None:
    page = text(logged_in.get("/profile"))
    assert "<title>Profile · taskweb</title>" in page and "<h1>Profile</h1>" in page
    for label in ("Full name", "Email", "Username", "Current password", "New password"):
        assert f">{label}</label>" in page
    assert f'value="{user.email}"' in page and 'value="Alice Liddell"' in page
    fragment = text(logged_in.get("/profile", headers=HX))
    assert "<html" not in fragment and 'id="profile-form"' in fragment


def test_update_details_over_htmx(app: Flask, logged_in: FlaskClient, user: User) -> None:
    token = csrf_token(logged_in, "/profile")
    response = logged_in.post("/profile", headers={**HX, "X-CSRFToken": token}, data={
        "full_name": "Alice L.", "email": user.email, "username": "alice2",
    })
    assert response.status_code == 200
    fragment = text(response)
    assert "Profile saved." in fragment
    assert '<span id="nav-user" hx-swap-oob="true">alice2</span>' in fragment
    with app.app_context():
        saved = db.session.get(User, user.id)
        assert (saved.full_name, saved.username) == ("Alice L.", "alice2")


def test_taken_username_is_a_conflict_next_to_the_field(
    logged_in: FlaskClient, user: User, other_user: User
) -> None:
    token = csrf_token(logged_in, "/profile")
    response = logged_in.post("/profile", headers={**HX, "X-CSRFToken": token}, data={
        "full_name": "", "email": user.email, "username": other_user.username.upper(),
    })
    assert response.status_code == 409
    assert 'id="username-error"' in text(response)
    assert f'value="{other_user.username.upper()}"' in text(response)


def test_changing_the_email_needs_the_password(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    token = csrf_token(logged_in, "/profile")
    data = {"full_name": "", "email": "new@example.com", "username": user.username,
            "csrf_token": token}
    missing = logged_in.post("/profile", data=data)
    assert missing.status_code == 422
    assert 'id="profile-current-password-error"' in text(missing)
    assert "<h1>Profile</h1>" in text(missing)
    wrong = logged_in.post("/profile", data={**data, "current_password": "not it at all"})
    assert wrong.status_code == 403
    assert "The current password is not correct." in text(wrong)
    assert "not it at all" not in text(wrong)
    right = logged_in.post("/profile", data={**data, "current_password": PASSWORD})
    assert right.status_code == 303
    with app.app_context():
        assert db.session.get(User, user.id).email == "new@example.com"


def test_password_change_needs_the_current_password(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    token = csrf_token(logged_in, "/profile")
    response = logged_in.post("/profile/password", headers={**HX, "X-CSRFToken": token},
                              data={"current_password": "wrong one!", "new_password": NEW_PASSWORD})
    assert response.status_code == 403
    assert 'id="current_password-error"' in text(response)
    short = logged_in.post("/profile/password", headers={**HX, "X-CSRFToken": token},
                           data={"current_password": PASSWORD, "new_password": "short"})
    assert short.status_code == 422 and 'id="new_password-error"' in text(short)
    assert login(app.test_client(), user.email).status_code == 303  # unchanged


def test_password_change_signs_out_every_other_session(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    other_browser = app.test_client()
    login(other_browser, user.email)
    remembered_browser = app.test_client()
    login(remembered_browser, user.email, remember="y")
    remember_cookie = remembered_browser.get_cookie("remember_token").value
    assert other_browser.get("/").status_code == 200

    token = csrf_token(logged_in, "/profile")
    response = logged_in.post("/profile/password", headers={**HX, "X-CSRFToken": token},
                              data={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert response.status_code == 200
    assert "Your other sessions have been signed out." in text(response)

    assert logged_in.get("/").status_code == 200  # this session stays
    assert other_browser.get("/").status_code == 302
    cookie_only = app.test_client()
    cookie_only.set_cookie("remember_token", remember_cookie)
    assert cookie_only.get("/").status_code == 302
    assert login(app.test_client(), user.email).status_code == 401
    assert login(app.test_client(), user.email, NEW_PASSWORD).status_code == 303


def test_profile_forms_refuse_a_post_without_csrf_token(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    assert logged_in.post("/profile", data={"full_name": "Mallory", "email": user.email,
                                            "username": "mallory"}).status_code == 400
    assert logged_in.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD}).status_code == 400
    with app.app_context():
        assert db.session.get(User, user.id).username == "alice"
    assert login(app.test_client(), user.email).status_code == 303


def test_relative_days_in_words() -> None:
    cases = {0: "today", 1: "tomorrow", -1: "yesterday", 2: "in 2 days", -3: "3 days ago",
             13: "in 13 days", 14: "in 2 weeks", -21: "3 weeks ago", 90: "in 3 months",
             -400: "13 months ago", 800: "in 2 years"}
    assert {days: relative_days(days) for days in cases} == cases

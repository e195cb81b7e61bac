"""The profile's time zone (saved, and then the zone of every page), and the data of an
account: its download, an import, and deleting it after the password."""

from __future__ import annotations

import io
import json
import re
from datetime import UTC, datetime

from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Project, Task, User
from taskweb.wiring import project_service
from tests.conftest import PASSWORD
from tests.web.conftest import HX, csrf_token, login, text


def saved_user(app: Flask, user_id: int) -> User | None:
    with app.app_context():
        found = db.session.get(User, user_id)
        if found is not None:
            db.session.expunge(found)
        return found


def task_titles(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(task.title for task in db.session.scalars(db.select(Task)))


def _profile(user: User, **changes: str) -> dict[str, str]:
    return {"full_name": user.full_name or "", "email": user.email,
            "username": user.username, **changes}


# --- the time zone ----------------------------------------------------------------

def test_the_profile_offers_every_zone_to_search(logged_in: FlaskClient, user: User) -> None:
    page = text(logged_in.get("/profile", headers={"X-Timezone": "Europe/Paris"}))
    assert '<label for="time_zone">Time zone</label>' in page
    assert re.search(r'<input [^>]*id="time_zone" list="time-zones"[^>]*value="UTC"', page)
    assert '<datalist id="time-zones">' in page
    assert '<option value="Europe/Berlin">' in page and '<option value="UTC">' in page
    assert "Your browser is in Europe/Paris." in page


def test_saving_a_zone_makes_it_the_zone_of_every_page(
    app: Flask, logged_in: FlaskClient, user: User, make_task
) -> None:
    token = csrf_token(logged_in, "/profile")
    response = logged_in.post("/profile", headers={**HX, "X-CSRFToken": token},
                              data=_profile(user, time_zone="asia/tokyo"))
    assert response.status_code == 200 and "Profile saved." in text(response)
    assert saved_user(app, user.id).time_zone == "Asia/Tokyo"
    # Due at 20:00 UTC is 05:00 the next day in Tokyo, whatever the browser says.
    make_task(user, "Call", due_date="2030-01-02T20:00:00Z")
    page = text(logged_in.get("/", headers={"X-Timezone": "America/New_York"}))
    assert "(Thu 3 Jan 2030, 05:00)" in page
    assert "data-time-zone" not in page  # app.js must not reload it in the browser's zone


def test_an_unknown_zone_is_refused_next_to_the_field(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    token = csrf_token(logged_in, "/profile")
    response = logged_in.post("/profile", headers={**HX, "X-CSRFToken": token},
                              data=_profile(user, time_zone="Mars/Olympus_Mons"))
    assert response.status_code == 422
    assert 'id="time_zone-error"' in text(response)
    assert 'value="Mars/Olympus_Mons"' in text(response)
    assert saved_user(app, user.id).time_zone == "UTC"


def test_a_profile_on_the_default_zone_follows_the_browser(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    make_task(user, "Call", due_date="2030-01-02T20:00:00Z")
    page = text(logged_in.get("/", headers={"X-Timezone": "Asia/Tokyo"}))
    assert "(Thu 3 Jan 2030, 05:00)" in page and 'data-time-zone="Asia/Tokyo"' in page


def test_sign_up_saves_the_browsers_zone(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client, "/signup")
    response = client.post("/signup", headers={"X-Timezone": "Europe/Berlin"}, data={
        "email": "zed@example.com", "username": "zed", "password": PASSWORD,
        "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        user = db.session.scalars(db.select(User).filter_by(username="zed")).one()
        assert user.time_zone == "Europe/Berlin"


def test_sign_up_with_an_unknown_zone_keeps_the_default(app: Flask, client: FlaskClient) -> None:
    token = csrf_token(client, "/signup")
    client.set_cookie("tz", "Nowhere/Special")
    response = client.post("/signup", data={
        "email": "zoe@example.com", "username": "zoe", "password": PASSWORD,
        "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(db.select(User).filter_by(username="zoe")).one(
        ).time_zone == "UTC"


# --- the account's data -----------------------------------------------------------

def test_download_your_data_is_the_export_document(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    make_task(user, "Paint", labels=["diy"])
    page = text(logged_in.get("/profile"))
    assert 'href="/profile/export" download>Download your data</a>' in page
    response = logged_in.get("/profile/export")
    assert response.status_code == 200 and response.mimetype == "application/json"
    day = datetime.now(UTC).date().isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="taskweb-alice-{day}.json"')
    document = json.loads(response.get_data())
    assert [task["title"] for task in document["tasks"]] == ["Paint"]


def test_an_export_imports_into_another_account(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User, make_task, new_client
) -> None:
    with app.app_context():
        home = project_service().create(user, {"name": "Home"}).project.id
    make_task(user, "Paint", project_id=home, labels=["diy"])
    make_task(user, "Call mum")
    exported = logged_in.get("/profile/export").get_data()
    bob = new_client()
    login(bob, other_user.email)
    token = csrf_token(bob, "/profile")
    response = bob.post("/profile/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(exported), "export.json")})
    assert response.status_code == 303
    assert "Imported 1 project and 2 tasks." in text(bob.get("/profile"))
    assert task_titles(app) == ["Call mum", "Call mum", "Paint", "Paint"]
    with app.app_context():
        names = db.session.scalars(db.select(Project.name).where(
            Project.owner_id == other_user.id).order_by(Project.name))
        assert list(names) == ["Home", "Inbox"]


def test_a_bad_import_says_where_and_writes_nothing(
    app: Flask, logged_in: FlaskClient, user: User
) -> None:
    token = csrf_token(logged_in, "/profile")
    csv = "title,description,status,priority,due_date,project,labels\nGood,,todo,low,,,\n,,todo,urgent,,,\n"
    response = logged_in.post("/profile/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(csv.encode()), "tasks.csv")})
    assert response.status_code == 422
    page = text(response)
    assert 'id="import-file-error"' in page and "Nothing was imported" in page
    problems = page.split('aria-label="Problems in the file">', 1)[1].split("</ul>", 1)[0]
    assert "line 3" in problems
    assert task_titles(app) == []
    garbage = logged_in.post("/profile/import", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(b"\xff\xfe not text"), "tasks.json")})
    assert garbage.status_code == 422 and "This file cannot be read" in text(garbage)
    nothing = logged_in.post("/profile/import", content_type="multipart/form-data",
                             data={"csrf_token": token})
    assert nothing.status_code == 422 and "Choose a file to import." in text(nothing)


def test_deleting_the_account_needs_the_password_and_says_what_happens_to_shared_projects(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User
) -> None:
    with app.app_context():
        garden = project_service().create(user, {"name": "Garden"}).project.id
        project_service().add_member(user, garden, {"username": "bob", "role": "editor"})
    page = text(logged_in.get("/profile"))
    assert "The projects you share — Garden — are not deleted" in page
    assert ">Delete account</button>" in page
    token = csrf_token(logged_in, "/profile")
    wrong = logged_in.post("/profile/delete", data={"csrf_token": token,
                                                    "current_password": "not it at all"})
    assert wrong.status_code == 403
    assert 'id="delete-account-current_password-error"' in text(wrong)
    assert saved_user(app, user.id) is not None
    right = logged_in.post("/profile/delete", data={"csrf_token": token,
                                                    "current_password": PASSWORD})
    assert right.status_code == 303 and right.headers["Location"] == "/login"
    assert saved_user(app, user.id) is None
    assert "Your account has been deleted." in text(logged_in.get("/login"))
    assert logged_in.get("/").status_code == 302
    with app.app_context():
        assert db.session.get(Project, garden).owner_id == other_user.id

"""The account as a whole through the API: its time zone, and deleting it (ownership of
shared projects handed on, tokens dead afterwards, the password checked and rate-limited)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from taskweb.extensions import db
from taskweb.models import (
    BrowserSession,
    Membership,
    Project,
    RefreshToken,
    Role,
    Task,
    User,
)
from tests.conftest import PASSWORD, login_tokens
from tests.integration.api.test_auth import assert_problem
from tests.integration.security.test_rate_limits import limited_app

ME = "/api/v1/users/me"
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


class TestTimeZone:
    def test_defaults_to_utc_and_shows_in_the_user(self, client: FlaskClient,
                                                   auth_headers) -> None:
        assert client.get(ME, headers=auth_headers).get_json()["time_zone"] == "UTC"
        registered = client.post("/api/v1/auth/register", json={
            "email": "tz@example.com", "username": "tzuser", "password": PASSWORD})
        assert registered.get_json()["time_zone"] == "UTC"

    def test_is_set_with_put_in_its_canonical_spelling(self, client: FlaskClient,
                                                       auth_headers) -> None:
        response = client.put(ME, json={"time_zone": "europe/berlin"}, headers=auth_headers)
        assert response.status_code == 200 and response.get_json()["time_zone"] == "Europe/Berlin"
        assert client.get(ME, headers=auth_headers).get_json()["time_zone"] == "Europe/Berlin"

    @pytest.mark.parametrize("zone", ["Mars/Olympus", "", "localtime", "../../etc/passwd",
                                      "Europe/Berlin\x00", 7, None, "x" * 65])
    def test_an_unknown_zone_is_422_naming_the_field(self, client: FlaskClient, auth_headers,
                                                     zone) -> None:
        problem = assert_problem(client.put(ME, json={"time_zone": zone}, headers=auth_headers),
                                 422)
        assert list(problem["errors"]) == ["time_zone"]
        assert client.get(ME, headers=auth_headers).get_json()["time_zone"] == "UTC"


def make_project(app, owner: User | int, name: str, *, color: str | None = None,
                 **members: tuple[Role, datetime]) -> int:
    """A project of ``owner`` (a user or an id) with members given as
    username=(role, joined_at)."""
    owner_id = owner if isinstance(owner, int) else owner.id
    with app.app_context():
        project = Project(owner_id=owner_id, name=name, color=color)
        db.session.add(project)
        db.session.flush()
        db.session.add(Membership(project_id=project.id, user_id=owner_id, role=Role.OWNER,
                                  joined_at=T0))
        for username, (role, joined_at) in members.items():
            member_id = db.session.scalar(select(User.id).where(User.username == username))
            db.session.add(Membership(project_id=project.id, user_id=member_id, role=role,
                                      joined_at=joined_at))
        db.session.commit()
        return project.id


def delete_account(client: FlaskClient, headers: dict, password: str = PASSWORD):
    return client.delete(ME, json={"current_password": password}, headers=headers)


def project_row(app, project_id: int) -> tuple[int, dict[int, Role], str] | None:
    with app.app_context():
        project = db.session.get(Project, project_id)
        if project is None:
            return None
        roles = dict(db.session.execute(select(Membership.user_id, Membership.role)
                                        .where(Membership.project_id == project_id)).all())
        return project.owner_id, roles, project.name


class TestDeleteAccount:
    def test_deletes_the_account_and_what_it_owns_alone(self, app, client, user, tokens,
                                                        make_task) -> None:
        headers = bearer(tokens["access_token"])
        alone = make_project(app, user, "Solo")
        make_task(user, "in the inbox", labels=["x"])
        make_task(user, "in solo", project_id=alone)
        assert delete_account(client, headers).status_code == 204
        with app.app_context():
            assert db.session.get(User, user.id) is None
            for model in (Project, Task, RefreshToken, BrowserSession):
                assert db.session.scalar(select(func.count()).select_from(model)) == 0

    def test_afterwards_its_tokens_give_401(self, client, user, tokens) -> None:
        assert delete_account(client, bearer(tokens["access_token"])).status_code == 204
        for path in (ME, "/api/v1/tasks", f"{ME}/export"):
            response = client.get(path, headers=bearer(tokens["access_token"]))
            assert_problem(response, 401)
            assert response.headers["WWW-Authenticate"] == "Bearer"
        assert_problem(client.post("/api/v1/auth/refresh",
                                   json={"refresh_token": tokens["refresh_token"]}), 401)
        assert_problem(client.post("/api/v1/auth/login",
                                   json={"email": user.email, "password": PASSWORD}), 401)

    def test_a_wrong_password_is_403_and_deletes_nothing(self, app, client, user,
                                                         auth_headers) -> None:
        problem = assert_problem(delete_account(client, auth_headers, "not my password"), 403)
        assert "current_password" in problem["errors"]
        assert client.get(ME, headers=auth_headers).status_code == 200

    @pytest.mark.parametrize("body", [{}, {"current_password": ""}, {"current_password": 5},
                                      {"current_password": PASSWORD, "extra": 1}])
    def test_a_missing_or_bad_password_field_is_422(self, client, auth_headers, body) -> None:
        problem = assert_problem(client.delete(ME, json=body, headers=auth_headers), 422)
        assert set(problem["errors"]) & {"current_password", "extra"}
        assert client.get(ME, headers=auth_headers).status_code == 200

    def test_a_body_that_is_not_json_is_415(self, client, auth_headers) -> None:
        response = client.delete(ME, data="current_password=x", headers=auth_headers,
                                 content_type="application/x-www-form-urlencoded")
        assert_problem(response, 415)

    def test_a_shared_project_passes_to_the_longest_standing_editor(
            self, app, client, user, tokens, make_user, make_task) -> None:
        for name in ("viewer_old", "editor_new", "editor_old"):
            make_user(name)
        shared = make_project(
            app, user, "Shared",
            viewer_old=(Role.VIEWER, T0 + timedelta(days=1)),
            editor_new=(Role.EDITOR, T0 + timedelta(days=3)),
            editor_old=(Role.EDITOR, T0 + timedelta(days=2)),
        )
        task = make_task(user, "mine, in the shared project", project_id=shared)
        assert delete_account(client, bearer(tokens["access_token"])).status_code == 204
        owner_id, roles, name = project_row(app, shared)
        with app.app_context():
            ids = dict(db.session.execute(select(User.username, User.id)).all())
            kept = db.session.get(Task, task.id)
            assert kept is not None and kept.owner_id == ids["editor_old"]
        assert owner_id == ids["editor_old"] and name == "Shared"
        assert roles == {ids["editor_old"]: Role.OWNER, ids["editor_new"]: Role.EDITOR,
                         ids["viewer_old"]: Role.VIEWER}

    def test_without_editors_the_longest_standing_member_becomes_owner(
            self, app, client, user, tokens, make_user) -> None:
        make_user("late")
        make_user("early")
        shared = make_project(app, user, "Viewers only",
                              late=(Role.VIEWER, T0 + timedelta(days=5)),
                              early=(Role.VIEWER, T0 + timedelta(days=4)))
        assert delete_account(client, bearer(tokens["access_token"])).status_code == 204
        owner_id, roles, _ = project_row(app, shared)
        with app.app_context():
            early = db.session.scalar(select(User.id).where(User.username == "early"))
        assert owner_id == early and roles[early] is Role.OWNER and len(roles) == 2

    def test_a_name_the_heir_already_owns_is_suffixed(self, app, client, user, tokens,
                                                      make_user) -> None:
        heir = make_user("heir")
        make_project(app, heir, "Garden")
        shared = make_project(app, user, "garden", heir=(Role.EDITOR, T0))
        assert delete_account(client, bearer(tokens["access_token"])).status_code == 204
        assert project_row(app, shared)[2] == "garden (from alice)"

    def test_tasks_it_created_in_others_projects_stay(self, app, client, user, tokens,
                                                      other_user, make_task) -> None:
        bobs = make_project(app, other_user, "Bob's", alice=(Role.EDITOR, T0))
        task = make_task(user, "alice wrote this", project_id=bobs, assignee_id=user.id)
        assert delete_account(client, bearer(tokens["access_token"])).status_code == 204
        owner_id, roles, _ = project_row(app, bobs)
        assert owner_id == other_user.id and list(roles) == [other_user.id]
        with app.app_context():
            kept = db.session.get(Task, task.id)
            assert kept.owner_id == other_user.id and kept.assignee_id is None

    def test_other_accounts_are_untouched(self, client, user, tokens, other_user,
                                          other_auth_headers, make_task) -> None:
        make_task(other_user, "bob's task")
        assert delete_account(client, bearer(tokens["access_token"])).status_code == 204
        assert client.get("/api/v1/tasks", headers=other_auth_headers).get_json()["total"] == 1


def test_the_password_draws_on_the_sign_in_budget(migrated_database) -> None:
    # Sign-up and login take 2 of the 5: three guesses are left.
    app = limited_app(migrated_database, LOGIN_RATE_LIMIT="100 per minute",
                      ACCOUNT_RATE_LIMIT="5 per minute")
    client = app.test_client()
    assert client.post("/api/v1/auth/register", json={
        "email": "leaver@example.com", "username": "leaver", "password": PASSWORD,
    }).status_code == 201
    headers = bearer(login_tokens(client, "leaver@example.com")["access_token"])
    guesses = [delete_account(client, headers, f"guess {n}").status_code for n in range(4)]
    assert guesses == [403, 403, 403, 429]
    assert delete_account(client, headers).status_code == 429

"""POST /api/v1/auth/*: register, login, refresh with rotation, logout."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from taskweb.models import User
from tests.conftest import PASSWORD, login_tokens

PROBLEM = "application/problem+json"


def register(client: FlaskClient, **overrides):
    body = {"email": "new@example.com", "username": "newbie", "password": PASSWORD}
    body.update(overrides)
    return client.post("/api/v1/auth/register", json=body)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == PROBLEM
    body = response.get_json()
    assert body["status"] == status and body["title"] and body["detail"] and body["type"]
    return body


class TestRegister:
    def test_creates_user_and_hides_secrets(self, client: FlaskClient) -> None:
        response = register(client, email="New@Example.COM", full_name="New Person")
        assert response.status_code == 201
        body = response.get_json()
        assert set(body) == {
            "id", "email", "username", "full_name", "is_active", "time_zone", "created_at",
            "updated_at", "email_notifications",
        }
        assert body["email"] == "new@example.com"
        assert body["full_name"] == "New Person" and body["is_active"] is True
        assert body["created_at"].endswith("+00:00")

    def test_trailing_slash_answers_without_redirect(self, client: FlaskClient) -> None:
        body = {"email": "x@example.com", "username": "xuser", "password": PASSWORD}
        assert client.post("/api/v1/auth/register/", json=body).status_code == 201

    @pytest.mark.parametrize(
        ("field", "value"),
        [("email", "ALICE@example.com"), ("username", "ALICE")],
    )
    def test_taken_email_or_username_case_insensitive_is_409(
        self, client: FlaskClient, user: User, field: str, value: str
    ) -> None:
        body = assert_problem(register(client, **{field: value}), 409)
        assert field in body["errors"]

    def test_both_taken_names_both_fields(self, client: FlaskClient, user: User) -> None:
        body = assert_problem(register(client, email=user.email, username=user.username), 409)
        assert set(body["errors"]) == {"email", "username"}

    @pytest.mark.parametrize(
        ("overrides", "field"),
        [
            ({"email": "not-an-email"}, "email"),
            ({"username": "ab"}, "username"),
            ({"username": "x" * 33}, "username"),
            ({"username": "bad name!"}, "username"),
            ({"password": "short"}, "password"),
            ({"password": "x" * 129}, "password"),
            ({"full_name": "x" * 101}, "full_name"),
            ({"email": 42}, "email"),
        ],
    )
    def test_invalid_fields_are_422_naming_the_field(
        self, client: FlaskClient, overrides: dict, field: str
    ) -> None:
        body = assert_problem(register(client, **overrides), 422)
        assert field in body["errors"]

    def test_missing_fields_are_all_named(self, client: FlaskClient) -> None:
        body = assert_problem(client.post("/api/v1/auth/register", json={}), 422)
        assert {"email", "username", "password"} <= set(body["errors"])

    @pytest.mark.parametrize("field", ["id", "is_active", "hashed_password", "created_at"])
    def test_unknown_or_protected_fields_are_422(self, client: FlaskClient, field: str) -> None:
        body = assert_problem(register(client, **{field: "x"}), 422)
        assert field in body["errors"]

    def test_long_password_is_not_truncated(self, client: FlaskClient) -> None:
        password = "p" * 100 + "A"
        assert register(client, password=password).status_code == 201
        assert client.post(
            "/api/v1/auth/login", json={"email": "new@example.com", "password": "p" * 100 + "B"}
        ).status_code == 401
        login_tokens(client, "new@example.com", password)


class TestLogin:
    def test_returns_token_pair(self, client: FlaskClient, user: User) -> None:
        body = login_tokens(client, user.email)
        assert body["token_type"] == "bearer" and body["expires_in"] == 1800
        assert body["access_token"] and body["refresh_token"]

    def test_email_is_case_insensitive(self, client: FlaskClient, user: User) -> None:
        login_tokens(client, user.email.upper())

    def test_wrong_password_and_unknown_email_look_the_same(
        self, client: FlaskClient, user: User
    ) -> None:
        wrong = client.post("/api/v1/auth/login", json={"email": user.email, "password": "nope-nope"})
        unknown = client.post(
            "/api/v1/auth/login", json={"email": "ghost@example.com", "password": PASSWORD}
        )
        assert assert_problem(wrong, 401)["detail"] == assert_problem(unknown, 401)["detail"]
        assert wrong.headers["WWW-Authenticate"] == "Bearer"

    def test_inactive_user_cannot_log_in(self, app, client: FlaskClient, user: User) -> None:
        deactivate(app, user)
        assert_problem(
            client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}),
            401,
        )

    def test_too_many_attempts_is_429_with_retry_after(self, migrated_database) -> None:
        from tests.conftest import make_app

        app = make_app(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
        client = app.test_client()
        body = {"email": "ghost@example.com", "password": PASSWORD}
        statuses = [client.post("/api/v1/auth/login", json=body).status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        response = client.post("/api/v1/auth/login", json=body)
        assert_problem(response, 429)
        assert int(response.headers["Retry-After"]) > 0


def deactivate(app, user: User) -> None:
    from taskweb.extensions import db

    with app.app_context():
        db.session.get(User, user.id).is_active = False
        db.session.commit()


class TestRefresh:
    def test_rotates_and_revokes_the_used_token(self, client: FlaskClient, tokens: dict) -> None:
        first = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert first.status_code == 200
        pair = first.get_json()
        assert pair["refresh_token"] != tokens["refresh_token"]
        me = client.get(
            "/api/v1/users/me", headers={"Authorization": f"Bearer {pair['access_token']}"}
        )
        assert me.status_code == 200

    def test_refresh_token_as_bearer(self, client: FlaskClient, tokens: dict) -> None:
        response = client.post(
            "/api/v1/auth/refresh",
            headers={"Authorization": f"Bearer {tokens['refresh_token']}"},
        )
        assert response.status_code == 200

    def test_reuse_revokes_the_whole_family(self, client: FlaskClient, tokens: dict) -> None:
        old = tokens["refresh_token"]
        new = client.post("/api/v1/auth/refresh", json={"refresh_token": old}).get_json()
        assert_problem(client.post("/api/v1/auth/refresh", json={"refresh_token": old}), 401)
        # The thief's replay also kills the legitimate successor.
        assert_problem(
            client.post("/api/v1/auth/refresh", json={"refresh_token": new["refresh_token"]}), 401
        )

    def test_access_token_is_not_a_refresh_token(self, client: FlaskClient, tokens: dict) -> None:
        assert_problem(
            client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["access_token"]}),
            401,
        )

    @pytest.mark.parametrize("token", ["garbage", "a.b.c", ""])
    def test_malformed_refresh_token_is_401(self, client: FlaskClient, token: str) -> None:
        assert_problem(client.post("/api/v1/auth/refresh", json={"refresh_token": token}), 401)

    def test_missing_token_is_401(self, client: FlaskClient) -> None:
        assert_problem(client.post("/api/v1/auth/refresh"), 401)

    def test_inactive_user_cannot_refresh(self, app, client: FlaskClient, user: User, tokens) -> None:
        deactivate(app, user)
        assert_problem(
            client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
            401,
        )


class TestLogout:
    def test_revokes_access_and_refresh_tokens(self, client: FlaskClient, tokens: dict) -> None:
        headers = {"Authorization": f"Bearer {tokens['access_token']}"}
        response = client.post(
            "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}, headers=headers
        )
        assert response.status_code == 204 and response.data == b""
        assert_problem(client.get("/api/v1/users/me", headers=headers), 401)
        assert_problem(
            client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}),
            401,
        )

    def test_without_body(self, client: FlaskClient, auth_headers: dict) -> None:
        assert client.post("/api/v1/auth/logout", headers=auth_headers).status_code == 204
        assert_problem(client.get("/api/v1/users/me", headers=auth_headers), 401)

    def test_needs_a_token(self, client: FlaskClient) -> None:
        assert_problem(client.post("/api/v1/auth/logout"), 401)

    def test_other_users_refresh_token_is_refused(
        self, client: FlaskClient, auth_headers: dict, other_user: User
    ) -> None:
        theirs = login_tokens(client, other_user.email)["refresh_token"]
        assert_problem(
            client.post("/api/v1/auth/logout", json={"refresh_token": theirs}, headers=auth_headers),
            401,
        )

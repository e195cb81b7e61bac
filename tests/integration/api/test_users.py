"""GET and PUT /api/v1/users/me."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from taskweb.models import User
from tests.conftest import PASSWORD, login_tokens
from tests.integration.api.test_auth import assert_problem


def test_get_me(client: FlaskClient, user: User, auth_headers: dict) -> None:
    response = client.get("/api/v1/users/me", headers=auth_headers)
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == user.id and body["username"] == "alice"
    assert "hashed_password" not in body


def test_get_me_needs_token(client: FlaskClient) -> None:
    response = client.get("/api/v1/users/me")
    assert_problem(response, 401)
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_update_name_and_username_without_password(client: FlaskClient, auth_headers) -> None:
    before = client.get("/api/v1/users/me", headers=auth_headers).get_json()
    response = client.put(
        "/api/v1/users/me", json={"full_name": "Alice L.", "username": "alice2"},
        headers=auth_headers,
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["full_name"] == "Alice L." and body["username"] == "alice2"
    assert body["updated_at"] > before["updated_at"]


def test_email_change_needs_current_password(client: FlaskClient, auth_headers) -> None:
    body = assert_problem(
        client.put("/api/v1/users/me", json={"email": "a2@example.com"}, headers=auth_headers), 422
    )
    assert "current_password" in body["errors"]


def test_wrong_current_password_is_403(client: FlaskClient, auth_headers) -> None:
    assert_problem(
        client.put(
            "/api/v1/users/me",
            json={"email": "a2@example.com", "current_password": "wrong-password"},
            headers=auth_headers,
        ),
        403,
    )


def test_email_change_with_current_password(client: FlaskClient, auth_headers) -> None:
    response = client.put(
        "/api/v1/users/me",
        json={"email": "A2@Example.com", "current_password": PASSWORD},
        headers=auth_headers,
    )
    assert response.status_code == 200 and response.get_json()["email"] == "a2@example.com"
    login_tokens(client, "a2@example.com")


def test_password_change_revokes_refresh_tokens(client: FlaskClient, tokens: dict, user) -> None:
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    response = client.put(
        "/api/v1/users/me",
        json={"password": "a brand new password", "current_password": PASSWORD},
        headers=headers,
    )
    assert response.status_code == 200
    assert_problem(
        client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}), 401
    )
    login_tokens(client, user.email, "a brand new password")
    assert client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": PASSWORD}
    ).status_code == 401


@pytest.mark.parametrize("field", ["email", "username"])
def test_taken_identity_is_409(client: FlaskClient, auth_headers, other_user, field) -> None:
    value = {"email": "BOB@example.com", "username": "Bob"}[field]
    body = assert_problem(
        client.put(
            "/api/v1/users/me", json={field: value, "current_password": PASSWORD},
            headers=auth_headers,
        ),
        409,
    )
    assert field in body["errors"]


@pytest.mark.parametrize(
    "body", [{"is_active": False}, {"id": 9}, {"hashed_password": "x"}, {"created_at": "2020"}]
)
def test_protected_fields_are_rejected(client: FlaskClient, auth_headers, body) -> None:
    problem = assert_problem(client.put("/api/v1/users/me", json=body, headers=auth_headers), 422)
    assert set(body) <= set(problem["errors"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "no spaces"}, "username"),
        ({"full_name": "x" * 101}, "full_name"),
        ({"password": "short", "current_password": PASSWORD}, "password"),
        ({"email": "nope", "current_password": PASSWORD}, "email"),
    ],
)
def test_invalid_values_are_422(client: FlaskClient, auth_headers, body, field) -> None:
    problem = assert_problem(client.put("/api/v1/users/me", json=body, headers=auth_headers), 422)
    assert field in problem["errors"]


def test_inactive_user_token_is_refused(app, client: FlaskClient, user, auth_headers) -> None:
    from tests.integration.api.test_auth import deactivate

    deactivate(app, user)
    assert_problem(client.get("/api/v1/users/me", headers=auth_headers), 401)


def test_a_password_change_ends_the_access_tokens_already_issued(client, user) -> None:
    old = login_tokens(client, user.email)
    headers = {"Authorization": f"Bearer {old['access_token']}"}
    changed = client.put("/api/v1/users/me", headers=headers,
                         json={"password": "a brand new secret", "current_password": PASSWORD})
    assert changed.status_code == 200
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401
    fresh = login_tokens(client, user.email, "a brand new secret")  # within the same second
    fresh_headers = {"Authorization": f"Bearer {fresh['access_token']}"}
    assert client.get("/api/v1/users/me", headers=fresh_headers).status_code == 200


def test_a_reused_refresh_token_ends_the_access_tokens_too(client, user) -> None:
    stolen = login_tokens(client, user.email)
    client.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": stolen["refresh_token"]})
    assert reuse.status_code == 401
    headers = {"Authorization": f"Bearer {stolen['access_token']}"}
    assert client.get("/api/v1/users/me", headers=headers).status_code == 401

"""/api/v1/tokens: create (the secret once), list (newest first, no secrets), revoke."""

from __future__ import annotations

from sqlalchemy import select

from taskweb.extensions import db
from taskweb.models import PersonalAccessToken


def test_create_list_and_revoke(client, auth_headers, other_auth_headers, app) -> None:
    first = client.post("/api/v1/tokens", headers=auth_headers,
                        json={"name": "cron", "scopes": ["tasks:read", "tasks:write"]})
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert body["token"].startswith("tw_pat_")
    assert set(body) == {"id", "name", "scopes", "token", "expires_at", "created_at",
                         "last_used_at"}
    assert body["scopes"] == ["tasks:read", "tasks:write"] and body["expires_at"] is None
    assert first.headers["Location"].endswith(f"/api/v1/tokens/{body['id']}")
    second = client.post("/api/v1/tokens", headers=auth_headers, json={
        "name": "day", "scopes": ["profile:read"], "expires_at": "2999-01-01T00:00:00Z"})
    assert second.status_code == 201

    listed = client.get("/api/v1/tokens", headers=auth_headers).get_json()["items"]
    assert [item["name"] for item in listed] == ["day", "cron"]
    assert all("token" not in item for item in listed)
    with app.app_context():
        hashes = db.session.scalars(select(PersonalAccessToken.token_hash)).all()
    assert body["token"] not in hashes

    assert client.delete(f"/api/v1/tokens/{body['id']}",
                         headers=other_auth_headers).status_code == 404
    assert client.delete(f"/api/v1/tokens/{body['id']}", headers=auth_headers).status_code == 204
    listed = client.get("/api/v1/tokens", headers=auth_headers).get_json()["items"]
    assert [item["name"] for item in listed] == ["day"]
    assert client.get("/api/v1/tokens", headers=other_auth_headers).get_json()["items"] == []


def test_refusals_name_the_field(client, auth_headers) -> None:
    for body, field in [
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["admin"]}, "scopes"),
        ({"name": "x", "scopes": ["tasks:read"], "expires_at": "2001-01-01T00:00:00Z"},
         "expires_at"),
        ({"name": "x", "scopes": ["tasks:read"], "extra": 1}, "extra"),
    ]:
        answer = client.post("/api/v1/tokens", headers=auth_headers, json=body)
        assert answer.status_code == 422, (body, answer.get_json())
        assert field in answer.get_json()["errors"], answer.get_json()


def test_documented_in_openapi(client) -> None:
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/tokens/"])
    assert "delete" in paths["/api/v1/tokens/{token_id}"]
    assert "token" in client.get("/api/v1/openapi.json").get_json()[
        "components"]["schemas"]["CreatedToken"]["properties"]


def _token(client, auth_headers, *scopes: str, **extra) -> str:
    answer = client.post("/api/v1/tokens", headers=auth_headers,
                         json={"name": "program", "scopes": list(scopes), **extra})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["token"]


def test_a_personal_token_authenticates_within_its_scopes(client, auth_headers, user) -> None:
    bearer = {"Authorization": "Bearer " + _token(client, auth_headers, "tasks:read")}
    assert client.get("/api/v1/tasks", headers=bearer).status_code == 200
    refused = client.post("/api/v1/tasks", headers=bearer, json={"title": "x"})
    assert refused.status_code == 403 and "tasks:write" in refused.get_json()["detail"]
    assert client.get("/api/v1/projects", headers=bearer).status_code == 403
    assert client.get("/api/v1/users/me", headers=bearer).status_code == 403


def test_a_personal_token_cannot_manage_tokens_or_the_account(client, auth_headers) -> None:
    every = ["tasks:read", "tasks:write", "projects:read", "projects:write", "profile:read"]
    bearer = {"Authorization": "Bearer " + _token(client, auth_headers, *every)}
    assert client.get("/api/v1/users/me", headers=bearer).status_code == 200
    for method, path, body in [("post", "/api/v1/tokens", {"name": "x", "scopes": every}),
                               ("get", "/api/v1/tokens", None),
                               ("delete", "/api/v1/tokens/1", None),
                               ("patch", "/api/v1/users/me", {"email": "new@example.com"}),
                               ("delete", "/api/v1/users/me", None),
                               ("post", "/api/v1/auth/refresh", None),
                               ("post", "/api/v1/auth/logout", None)]:
        answer = getattr(client, method)(path, headers=bearer, json=body)
        assert answer.status_code == 403, (method, path, answer.get_json())


def test_revoked_expired_or_unknown_is_401(client, auth_headers, stand_at) -> None:
    from datetime import datetime, timezone
    secret = _token(client, auth_headers, "tasks:read")
    bearer = {"Authorization": "Bearer " + secret}
    token_id = client.get("/api/v1/tokens", headers=auth_headers).get_json()["items"][0]["id"]
    assert client.delete(f"/api/v1/tokens/{token_id}", headers=auth_headers).status_code == 204
    assert client.get("/api/v1/tasks", headers=bearer).status_code == 401
    unknown = {"Authorization": "Bearer tw_pat_" + "x" * 43}
    assert client.get("/api/v1/tasks", headers=unknown).status_code == 401
    expiring = {"Authorization": "Bearer " + _token(
        client, auth_headers, "tasks:read", expires_at="2999-01-01T00:00:00Z")}
    assert client.get("/api/v1/tasks", headers=expiring).status_code == 200
    stand_at(datetime(2999, 1, 1, tzinfo=timezone.utc))
    assert client.get("/api/v1/tasks", headers=expiring).status_code == 401


def test_statements_per_request_and_last_use_once_a_minute(
        app, client, auth_headers, stand_at) -> None:
    from datetime import datetime, timedelta, timezone

    from tests.integration.test_statement_counts import counted_statements
    start = datetime(2030, 1, 1, tzinfo=timezone.utc)
    stand_at(start)
    bearer = {"Authorization": "Bearer " + _token(client, auth_headers, "profile:read")}
    with counted_statements(app) as first:
        assert client.get("/api/v1/users/me", headers=bearer).status_code == 200
    stand_at(start + timedelta(seconds=30))
    with counted_statements(app) as second:
        assert client.get("/api/v1/users/me", headers=bearer).status_code == 200
    used = client.get("/api/v1/tokens", headers=auth_headers).get_json()["items"][0]
    assert used["last_used_at"].startswith("2030-01-01T00:00:00")
    # The token and its user in one statement; the first use also writes last_used_at.
    assert len([s for s in first if s.lstrip().upper().startswith("UPDATE")]) == 1
    assert len(second) == len(first) - 1, (first, second)

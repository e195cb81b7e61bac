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

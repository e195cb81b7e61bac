"""/api/v1/webhooks: registration (the secret once), its refusals, the list, deletion,
the deliveries' page, and who may do what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from taskweb.extensions import db
from taskweb.models import Webhook
from tests.integration.api.sharing import OUTSIDER, make_team

HOOKS = "/api/v1/webhooks"
GOOD = {"url": "https://example.com/hook", "events": ["task.created"]}


def test_register_list_and_delete(client, auth_headers, app, receiver) -> None:
    created = client.post(HOOKS, headers=auth_headers, json={
        "url": receiver.url, "events": ["task.deleted", "task.created"]})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["secret"].startswith("whsec_") and body["events"] == ["task.created",
                                                                      "task.deleted"]
    assert created.headers["Location"].endswith(f"{HOOKS}/{body['id']}")
    with app.app_context():
        stored = db.session.scalar(select(Webhook.secret))
    assert body["secret"] not in stored
    [listed] = client.get(HOOKS, headers=auth_headers).get_json()["items"]
    assert "secret" not in listed and listed["id"] == body["id"]
    assert listed["project_id"] is None and listed["disabled_at"] is None
    assert client.delete(f"{HOOKS}/{body['id']}", headers=auth_headers).status_code == 204
    assert client.get(HOOKS, headers=auth_headers).get_json()["items"] == []
    assert client.delete(f"{HOOKS}/{body['id']}", headers=auth_headers).status_code == 404


@pytest.mark.parametrize(("fields", "field"), [
    ({"url": "http://169.254.169.254/latest/meta-data/"}, "url"),
    ({"url": "http://10.0.0.1/"}, "url"),
    ({"url": "http://localhost/hook"}, "url"),
    ({"url": "http://[::1]:8080/"}, "url"),
    ({"url": "ftp://example.com/"}, "url"),
    ({"url": "https://user:password@example.com/"}, "url"),
    ({"url": 5}, "url"),
    ({"url": None}, "url"),
    ({"events": ["task.exploded"]}, "events"),
    ({"events": []}, "events"),
    ({"events": "task.created"}, "events"),
    ({"project_id": 0}, "project_id"),
    ({"project_id": True}, "project_id"),
    ({"secret": "mine"}, "secret"),
])
def test_bad_input_is_a_422_naming_the_field(client, auth_headers, fields, field) -> None:
    response = client.post(HOOKS, headers=auth_headers, json={**GOOD, **fields})
    assert response.status_code == 422, response.get_json()
    assert response.content_type == "application/problem+json"
    assert set(response.get_json()["errors"]) == {field}


def test_missing_fields_are_named(client, auth_headers) -> None:
    response = client.post(HOOKS, headers=auth_headers, json={})
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"url", "events"}


def test_bad_paging_is_a_422_naming_it(client, auth_headers) -> None:
    hook = client.post(HOOKS, headers=auth_headers, json=GOOD).get_json()
    response = client.get(f"{HOOKS}/{hook['id']}/deliveries?limit=0&offset=x",
                          headers=auth_headers)
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"limit", "offset"}


def test_another_person_s_webhook_and_deliveries_are_404(
        client, auth_headers, other_auth_headers) -> None:
    hook = client.post(HOOKS, headers=auth_headers, json=GOOD).get_json()
    base = f"{HOOKS}/{hook['id']}"
    assert client.delete(base, headers=other_auth_headers).status_code == 404
    assert client.get(f"{base}/deliveries", headers=other_auth_headers).status_code == 404
    assert client.post(f"{base}/deliveries/1/redeliver",
                       headers=other_auth_headers).status_code == 404
    assert client.post(f"{base}/deliveries/999/redeliver",
                       headers=auth_headers).status_code == 404
    assert client.get(HOOKS, headers=other_auth_headers).get_json()["items"] == []
    assert client.get(f"{base}/deliveries", headers=auth_headers).get_json() == {
        "items": [], "total": 0, "limit": 20, "offset": 0}


def test_a_project_webhook_needs_the_right_to_manage_the_project(client, app) -> None:
    team = make_team(client, app)
    answers = {who: client.post(HOOKS, headers=team.as_(who),
                                json={**GOOD, "project_id": team.project["id"]}).status_code
               for who in ("olive", "eddie", "vera", OUTSIDER)}
    assert answers == {"olive": 201, "eddie": 403, "vera": 403, OUTSIDER: 404}


def test_a_personal_token_cannot_manage_webhooks(client, auth_headers) -> None:
    token = client.post("/api/v1/tokens", headers=auth_headers, json={
        "name": "all", "scopes": ["tasks:read", "tasks:write", "projects:read",
                                  "projects:write", "profile:read"]}).get_json()["token"]
    program = {"Authorization": f"Bearer {token}"}
    assert client.post(HOOKS, headers=program, json=GOOD).status_code == 403
    assert client.get(HOOKS, headers=program).status_code == 403

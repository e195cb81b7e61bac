"""The profile's "Personal access tokens" section: create (the secret shown once), list,
revoke; errors next to their fields; htmx in place and a plain POST fallback; CSRF."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from flask import Flask
from flask.testing import FlaskClient

from taskweb.domain.access import SCOPE_DESCRIPTIONS, Scope
from taskweb.models import User
from taskweb.wiring import personal_token_service
from tests.web.conftest import HX, csrf_token, text

SECRET_RE = re.compile(r'id="new-token-secret" type="text" readonly value="(tw_pat_[^"]+)"')


def create(client: FlaskClient, htmx: bool = True, **data) -> object:
    token = csrf_token(client, "/profile")
    headers = {**HX, "X-CSRFToken": token} if htmx else {}
    return client.post("/profile/tokens", headers=headers,
                       data={"csrf_token": token, **data})


def test_the_section_describes_every_scope(logged_in: FlaskClient) -> None:
    page = text(logged_in.get("/profile"))
    assert "Personal access tokens</h2>" in page and "You have no tokens." in page
    for scope in Scope:
        assert f'value="{scope.value}"' in page and SCOPE_DESCRIPTIONS[scope] in page
    assert ">Expires on</label>" in page and 'type="date"' in page


def test_create_over_htmx_shows_the_secret_once(
        app: Flask, logged_in: FlaskClient, user: User) -> None:
    answer = create(logged_in, name="backup", scopes=["tasks:read", "projects:read"],
                    expires_on="2999-12-31")
    assert answer.status_code == 201 and answer.headers["Cache-Control"] == "no-store"
    fragment = text(answer)
    assert "<html" not in fragment and "you will not see it again" in fragment
    assert 'data-copy="new-token-secret"' in fragment and 'hx-swap-oob="innerHTML"' in fragment
    secret = SECRET_RE.search(fragment).group(1)
    # The secret opens the API within its scopes, and is nowhere in the next page.
    bearer = {"Authorization": f"Bearer {secret}"}
    assert logged_in.get("/api/v1/tasks", headers=bearer).status_code == 200
    page = text(logged_in.get("/profile"))
    assert secret not in page and "new-token-secret" not in page
    assert "backup" in page and "tasks:read, projects:read" in page and "Never used" not in page
    assert "End of 31 Dec 2999" in page
    with app.app_context():
        (token,) = personal_token_service().list(user)
    # The end of the chosen day in the user's zone (UTC here).
    assert token.expires_at == datetime(3000, 1, 1, tzinfo=timezone.utc)


def test_a_new_token_is_listed_as_never_used(logged_in: FlaskClient) -> None:
    create(logged_in, name="phone", scopes=["profile:read"])
    page = text(logged_in.get("/profile"))
    assert "phone" in page and "Never used" in page and ">Never<" in page


def test_errors_are_next_to_their_fields(logged_in: FlaskClient) -> None:
    answer = create(logged_in, name="  ", scopes=[], expires_on="2001-01-01")
    assert answer.status_code == 422
    fragment = text(answer)
    assert 'id="token-name-error"' in fragment and 'id="token-scopes-error"' in fragment
    assert 'id="token-expires_on-error"' in fragment and "new-token-secret" not in fragment
    unreadable = create(logged_in, name="x", scopes=["tasks:read"], expires_on="someday")
    assert unreadable.status_code == 422
    assert "Enter a date such as" in text(unreadable)
    too_far = create(logged_in, name="x", scopes=["tasks:read"], expires_on="9999-12-31")
    assert too_far.status_code == 422 and 'id="token-expires_on-error"' in text(too_far)
    # What was typed and ticked is kept.
    kept = text(create(logged_in, name="cron", scopes=["tasks:write"], expires_on="1999-01-01"))
    assert 'value="cron"' in kept and re.search(r'value="tasks:write"[^>]*checked', kept)


def test_without_htmx_the_page_itself_answers(logged_in: FlaskClient) -> None:
    answer = create(logged_in, htmx=False, name="cli", scopes=["tasks:read"])
    assert answer.status_code == 201
    page = text(answer)
    assert "<h1>Profile</h1>" in page and SECRET_RE.search(page)
    assert "Copy it now: you will not see it again." in page  # in the status region
    refused = create(logged_in, htmx=False, name="", scopes=["tasks:read"])
    assert refused.status_code == 422 and 'id="token-name-error"' in text(refused)


def test_revoke_over_htmx_and_without(
        app: Flask, logged_in: FlaskClient, user: User, other_user: User) -> None:
    with app.app_context():
        first = personal_token_service().create(user, {"name": "a", "scopes": ["tasks:read"]})
        second = personal_token_service().create(user, {"name": "b", "scopes": ["tasks:read"]})
        others = personal_token_service().create(other_user,
                                                 {"name": "c", "scopes": ["tasks:read"]})
    token = csrf_token(logged_in, "/profile")
    answer = logged_in.post(f"/profile/tokens/{first.token.id}/revoke",
                            headers={**HX, "X-CSRFToken": token})
    assert answer.status_code == 200 and "Token revoked" in text(answer)
    assert 'data-confirm="revoke-token-dialog"' in text(answer)
    assert logged_in.get("/api/v1/tasks", headers={
        "Authorization": f"Bearer {first.secret}"}).status_code == 401
    plain = logged_in.post(f"/profile/tokens/{second.token.id}/revoke",
                           data={"csrf_token": token})
    assert plain.status_code == 303 and plain.headers["Location"].endswith(
        "/profile#personal-tokens")
    assert "You have no tokens." in text(logged_in.get("/profile"))
    # Another person's token is not found, and stays.
    assert logged_in.post(f"/profile/tokens/{others.token.id}/revoke",
                          data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert [t.name for t in personal_token_service().list(other_user)] == ["c"]


def test_writes_need_the_csrf_token_and_a_session(
        client: FlaskClient, logged_in: FlaskClient) -> None:
    assert logged_in.post("/profile/tokens", data={
        "name": "x", "scopes": ["tasks:read"]}).status_code == 400
    assert "You have no tokens." in text(logged_in.get("/profile"))


def test_the_profile_page_costs_the_same_statements_for_many_tokens(
        app: Flask, logged_in: FlaskClient, user: User) -> None:
    from tests.integration.test_statement_counts import counted_statements

    def tokens(count: int) -> None:
        with app.app_context():
            for number in range(count):
                personal_token_service().create(
                    user, {"name": f"t{number}", "scopes": ["tasks:read"]})

    tokens(1)
    with counted_statements(app) as one:
        assert logged_in.get("/profile").status_code == 200
    tokens(6)
    with counted_statements(app) as seven:
        assert text(logged_in.get("/profile")).count("token-list__item") == 7
    assert len(seven) == len(one), (one, seven)

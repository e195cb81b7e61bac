"""The budget of programs on /api/v1: RateLimit-* headers on every answer, one budget per
personal token, per user with a login token, per client address without one; 429 with
Retry-After past it; browser pages never spend it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config import ConfigError, load_settings
from taskweb.extensions import limiter
from tests.conftest import make_app

BUDGET = 3


@pytest.fixture
def limited(app: Flask, migrated_database: str) -> Iterator[FlaskClient]:
    """A client of an app whose API budget is 3 a minute (the database is ``app``'s, so
    the users and tokens made through ``client`` work in it)."""
    yield make_app(migrated_database, RATELIMIT_ENABLED=True, API_RATE_LIMIT=f"{BUDGET} per minute",
                   LOGIN_RATE_LIMIT="100 per minute").test_client()
    limiter.enabled = app.config["RATELIMIT_ENABLED"]


def new_token(client: FlaskClient, auth_headers: dict[str, str], name: str) -> dict[str, str]:
    answer = client.post("/api/v1/tokens", headers=auth_headers,
                         json={"name": name, "scopes": ["tasks:read"]})
    assert answer.status_code == 201, answer.get_json()
    return {"Authorization": "Bearer " + answer.get_json()["token"]}


def budget_of(answer) -> tuple[int, int, int]:
    headers = answer.headers
    return (int(headers["RateLimit-Limit"]), int(headers["RateLimit-Remaining"]),
            int(headers["RateLimit-Reset"]))


def test_each_token_has_its_own_budget_then_429(client, auth_headers, limited) -> None:
    first, second = (new_token(client, auth_headers, name) for name in ("cron", "phone"))
    seen = [budget_of(limited.get("/api/v1/tasks", headers=first)) for _ in range(BUDGET)]
    assert [(limit, remaining) for limit, remaining, _ in seen] == [(3, 2), (3, 1), (3, 0)]
    # Reset is the seconds until the window ends (a minute at most), not a timestamp.
    assert all(0 < reset <= 60 for _, _, reset in seen), seen

    refused = limited.get("/api/v1/tasks", headers=first)
    assert refused.status_code == 429
    assert refused.mimetype == "application/problem+json"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert budget_of(refused)[:2] == (3, 0)

    # Another token of the same user, and the user's login token, still have theirs.
    assert budget_of(limited.get("/api/v1/tasks", headers=second))[1] == 2
    assert budget_of(limited.get("/api/v1/tasks", headers=auth_headers))[1] == 2


def test_anonymous_calls_and_made_up_tokens_spend_the_address_budget(limited) -> None:
    made_up = {"Authorization": "Bearer tw_pat_" + "x" * 43}
    answers = [limited.get("/api/v1/tasks", headers=made_up),
               limited.get("/api/v1/tasks"),
               limited.get("/api/v1/tasks", headers={"Authorization": "Bearer not.a.jwt"})]
    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert [budget_of(answer)[1] for answer in answers] == [2, 1, 0]
    assert limited.get("/api/v1/tasks").status_code == 429
    # Another address has a budget of its own.
    elsewhere = limited.get("/api/v1/tasks", environ_base={"REMOTE_ADDR": "10.9.9.9"})
    assert elsewhere.status_code == 401 and budget_of(elsewhere)[1] == 2


def test_unknown_api_urls_and_methods_are_counted_too(limited) -> None:
    answers = [limited.get("/api/v1/no-such-thing"), limited.put("/api/v1/tokens/")]
    assert [answer.status_code for answer in answers] == [404, 405]
    assert [budget_of(answer)[1] for answer in answers] == [2, 1]
    assert limited.get("/no-such-page").status_code == 404  # pages: not counted
    assert budget_of(limited.get("/api/v1/tasks"))[1] == 0


def test_simultaneous_requests_never_exceed_the_budget(
        app, migrated_database, client, auth_headers) -> None:
    """Counted in Redis, as in production: of 12 requests sent at once with one token,
    exactly the budget's 5 pass."""
    import os
    import uuid
    from concurrent.futures import ThreadPoolExecutor

    bearer = new_token(client, auth_headers, "burst")
    racing = make_app(migrated_database, RATELIMIT_ENABLED=True, API_RATE_LIMIT="5 per minute",
                      RATELIMIT_STORAGE_URI=os.environ["TEST_REDIS_URL"],
                      RATELIMIT_KEY_PREFIX=uuid.uuid4().hex)
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            statuses = list(pool.map(
                lambda _: racing.test_client().get("/api/v1/tasks", headers=bearer).status_code,
                range(12)))
    finally:
        limiter.enabled = app.config["RATELIMIT_ENABLED"]
    assert sorted(statuses) == [200] * 5 + [429] * 7


def test_a_database_outage_while_keying_counts_the_address(
        client, auth_headers, limited, monkeypatch) -> None:
    """The token cannot be looked up for the key: the address's budget is spent and the
    request goes on (raising would have Flask-Limiter take Redis for dead and retry)."""
    from sqlalchemy.exc import OperationalError

    from taskweb.api import rate_limit

    def database_down(_secret: str) -> None:
        raise OperationalError("SELECT", {}, Exception("connection refused"))

    bearer = new_token(client, auth_headers, "cron")
    monkeypatch.setattr(rate_limit, "personal_token_holder", database_down)
    assert budget_of(limited.get("/api/v1/tasks", headers=bearer))[1] == 2
    assert budget_of(limited.get("/api/v1/tasks"))[1] == 1  # the same address's budget


def test_browser_pages_do_not_spend_the_api_budget(limited) -> None:
    for _ in range(BUDGET + 2):
        page = limited.get("/login")
        assert page.status_code == 200 and "RateLimit-Limit" not in page.headers
    assert budget_of(limited.get("/api/v1/tasks"))[1] == BUDGET - 1


def test_api_rate_limit_setting() -> None:
    assert load_settings({"APP_ENV": "testing"}).flask_config()["API_RATE_LIMIT"] == \
        "600 per minute"
    assert load_settings({"APP_ENV": "testing", "API_RATE_LIMIT": "5 per second"}
                         ).api_rate_limit == "5 per second"
    with pytest.raises(ConfigError, match="API_RATE_LIMIT"):
        load_settings({"APP_ENV": "testing", "API_RATE_LIMIT": "plenty"})


def test_openapi_documents_the_headers_and_the_429(client) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert set(document["components"]["headers"]) == {
        "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "Retry-After"}
    scheme = document["components"]["securitySchemes"]["bearerAuth"]
    assert "tw_pat_" in scheme["bearerFormat"] and "JWT" in scheme["bearerFormat"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "parameters" or not path.startswith("/api/"):
                continue  # /health is no part of the API's budget
            responses = operation["responses"]
            assert "429" in responses, (method, path)
            assert "Retry-After" in responses["429"]["headers"], (method, path)
            for code, response in responses.items():
                if code != "default":
                    assert "RateLimit-Reset" in response["headers"], (method, path, code)
            if operation.get("security"):
                assert "403" in responses, (method, path)


def test_a_personal_token_stands_in_for_a_verified_jwt(app, client, auth_headers, user) -> None:
    """Flask-JWT-Extended has no public hook for another kind of credential: this fails if
    it stops reading what jwt_callbacks leaves for it (current_user, get_jwt...)."""
    from flask_jwt_extended import (
        current_user,
        get_current_user,
        get_jwt,
        get_jwt_identity,
    )

    from taskweb.api.jwt_callbacks import authenticate_personal_token

    secret = new_token(client, auth_headers, "cron")["Authorization"].split()[1]
    with app.test_request_context("/api/v1/tasks", headers={"Authorization": "Bearer " + secret}):
        assert authenticate_personal_token(secret) is None
        assert current_user.id == get_current_user().id == user.id
        assert get_jwt_identity() == str(user.id)
        assert get_jwt()["type"] == "personal" and get_jwt()["pat"] > 0


def test_a_request_verifies_its_login_token_once(
        limited: FlaskClient, auth_headers: dict[str, str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget's key and the view both need the token's user: its signature is checked
    once per request, and a token that fails is still refused."""
    import jwt as pyjwt
    from flask_jwt_extended import jwt_manager

    verified: list[str] = []
    real_decode = pyjwt.decode

    def counting_decode(token: str, *args, **kwargs):
        if kwargs.get("options", {}).get("verify_signature", True):
            verified.append(token)
        return real_decode(token, *args, **kwargs)

    monkeypatch.setattr(jwt_manager.jwt, "decode", counting_decode)
    assert limited.get("/api/v1/users/me", headers=auth_headers).status_code == 200
    assert len(verified) == 1
    assert budget_of(limited.get("/api/v1/users/me", headers=auth_headers))[1] == BUDGET - 2

    verified.clear()
    forged = {"Authorization": auth_headers["Authorization"][:-2] + "xx"}
    assert limited.get("/api/v1/users/me", headers=forged).status_code == 401

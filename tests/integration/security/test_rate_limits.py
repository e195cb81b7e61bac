"""Rate limits on login, registration and refresh: per address, per account, shared storage."""

from __future__ import annotations

import os
import uuid

from tests.conftest import PASSWORD, make_app
from tests.integration.api.test_auth import assert_problem


def limited_app(database_url: str, **overrides):
    settings = {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute",
                "ACCOUNT_RATE_LIMIT": "100 per minute"}
    settings.update(overrides)
    return make_app(database_url, **settings)


def login(client, email: str = "ghost@example.com", address: str = "10.0.0.1"):
    return client.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD},
                       environ_base={"REMOTE_ADDR": address})


def test_per_address_limit_on_registration(migrated_database) -> None:
    client = limited_app(migrated_database).test_client()
    statuses = [
        client.post("/api/v1/auth/register",
                    json={"email": "taken@example.com", "username": f"u{n}", "password": "x"}
                    ).status_code
        for n in range(4)
    ]
    assert statuses[-1] == 429


def test_per_address_limit_on_refresh(migrated_database) -> None:
    client = limited_app(migrated_database).test_client()
    statuses = [client.post("/api/v1/auth/refresh").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_per_account_limit_holds_across_addresses(migrated_database) -> None:
    app = limited_app(migrated_database, LOGIN_RATE_LIMIT="100 per minute",
                      ACCOUNT_RATE_LIMIT="3 per minute")
    client = app.test_client()
    statuses = [login(client, "victim@example.com", f"10.0.0.{n}").status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Another account from the same addresses is not affected.
    assert login(client, "someone-else@example.com", "10.0.0.1").status_code == 401


def test_limit_answer_is_a_problem_with_retry_after(migrated_database) -> None:
    client = limited_app(migrated_database).test_client()
    for _ in range(3):
        login(client)
    response = login(client)
    assert_problem(response, 429)
    assert int(response.headers["Retry-After"]) > 0


def test_limits_are_shared_between_processes_through_redis(migrated_database) -> None:
    # Two apps stand for two gunicorn workers (or two instances) sharing one Redis.
    redis_url = os.environ["TEST_REDIS_URL"]
    prefix = uuid.uuid4().hex
    workers = [
        limited_app(migrated_database, RATELIMIT_STORAGE_URI=redis_url,
                    RATELIMIT_KEY_PREFIX=prefix).test_client()
        for _ in range(2)
    ]
    statuses = [login(workers[n % 2]).status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_one_account_budget_across_the_api_and_the_form(migrated_database) -> None:
    from tests.web.conftest import csrf_token

    app = limited_app(migrated_database, LOGIN_RATE_LIMIT="100 per minute",
                      ACCOUNT_RATE_LIMIT="3 per minute")
    client = app.test_client()
    assert [login(client, "victim@example.com").status_code for _ in range(3)] == [401] * 3
    form = {"email": "victim@example.com", "password": PASSWORD,
            "csrf_token": csrf_token(client)}
    assert client.post("/login", data=form).status_code == 429


def test_one_address_budget_across_every_sign_in_door(migrated_database) -> None:
    from tests.web.conftest import csrf_token

    client = limited_app(migrated_database, LOGIN_RATE_LIMIT="4 per minute").test_client()
    token = csrf_token(client)
    doors = [
        lambda: login(client, "a@example.com", "127.0.0.1"),
        lambda: client.post("/api/v1/auth/refresh"),
        lambda: client.post("/api/v1/auth/register", json={"email": "x"}),
        lambda: client.post("/login", data={"email": "b@example.com", "password": "x",
                                            "csrf_token": token}),
    ]
    assert 429 not in [door().status_code for door in doors]
    for door in doors:
        assert door().status_code == 429
    signup = {"email": "c@example.com", "username": "ccc", "password": PASSWORD,
              "csrf_token": token}
    assert client.post("/signup", data=signup).status_code == 429


def test_reentering_the_current_password_draws_on_the_login_budget(migrated_database) -> None:
    from tests.conftest import login_tokens

    # Sign-up and login take 2 of the 5: three guesses are left.
    app = limited_app(migrated_database, LOGIN_RATE_LIMIT="100 per minute",
                      ACCOUNT_RATE_LIMIT="5 per minute")
    client = app.test_client()
    assert client.post("/api/v1/auth/register", json={
        "email": "guess@example.com", "username": "guess", "password": PASSWORD,
    }).status_code == 201
    token = login_tokens(client, "guess@example.com")["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    guesses = [client.put("/api/v1/users/me", headers=headers,
                          json={"password": "new secret 123", "current_password": f"guess {n}"}
                          ).status_code for n in range(4)]
    assert guesses == [403, 403, 403, 429]
    # The same budget as logins: the account is locked there too, and a change that
    # needs no password is not counted.
    assert login(client, "guess@example.com").status_code == 429
    assert client.put("/api/v1/users/me", headers=headers,
                      json={"full_name": "Still me"}).status_code == 200

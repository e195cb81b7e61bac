"""Forwarded headers are believed only from the TRUSTED_PROXIES proxies in front.

With none (the default) a client's own X-Forwarded-For gives it no fresh rate-limit
budget and its X-Forwarded-Proto does not make the app think it came over https. Behind
one proxy (nginx with deploy/nginx/taskweb.conf) the address that proxy saw counts, and
whatever the client wrote before it does not. X-Forwarded-Host is never believed.
"""

from __future__ import annotations

from flask import Flask, request, url_for

from tests.conftest import PASSWORD, make_app
from tests.integration.security.test_rate_limits import limited_app

CLIENT = "203.0.113.9"
PROXY = "127.0.0.1"
SPOOFED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example"}


def what_the_app_sees(app: Flask) -> list[dict[str, str | None]]:
    """Note, for every request, the client address and the app's own external URL."""
    seen: list[dict[str, str | None]] = []

    @app.before_request
    def note() -> None:
        seen.append({"address": request.remote_addr,
                     "url": url_for("system.health", _external=True)})

    return seen


def get_health(app: Flask, address: str, headers: dict[str, str] | None = None) -> None:
    response = app.test_client().get("/health", headers=headers or {},
                                     environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 200


def login(app: Flask, address: str, forwarded_for: str) -> int:
    response = app.test_client().post(
        "/api/v1/auth/login", json={"email": "ghost@example.com", "password": PASSWORD},
        headers={"X-Forwarded-For": forwarded_for}, environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def test_no_proxy_is_trusted_by_default(migrated_database: str) -> None:
    app = make_app(migrated_database)
    seen = what_the_app_sees(app)
    get_health(app, CLIENT, {"X-Forwarded-For": "198.51.100.7", **SPOOFED})
    assert seen == [{"address": CLIENT, "url": "http://localhost/health"}]


def test_without_a_trusted_proxy_a_spoofed_address_gets_no_fresh_budget(
    migrated_database: str,
) -> None:
    app = limited_app(migrated_database)  # 3 sign-ins a minute per address
    statuses = [login(app, CLIENT, f"198.51.100.{n}") for n in range(4)]
    assert statuses == [401, 401, 401, 429]


def test_behind_one_proxy_the_address_it_saw_counts(migrated_database: str) -> None:
    app = make_app(migrated_database, TRUSTED_PROXIES=1)
    seen = what_the_app_sees(app)
    # nginx appends the address it saw to whatever the client sent.
    get_health(app, PROXY, {"X-Forwarded-For": f"198.51.100.7, {CLIENT}", **SPOOFED})
    get_health(app, PROXY)
    assert seen == [
        {"address": CLIENT, "url": "https://localhost/health"},
        {"address": PROXY, "url": "http://localhost/health"},
    ]


def test_behind_two_proxies_the_address_the_outer_one_saw_counts(migrated_database: str) -> None:
    app = make_app(migrated_database, TRUSTED_PROXIES=2)
    seen = what_the_app_sees(app)
    get_health(app, PROXY, {"X-Forwarded-For": f"198.51.100.7, {CLIENT}, 10.0.0.2",
                            "X-Forwarded-Proto": "https, http"})
    assert seen == [{"address": CLIENT, "url": "https://localhost/health"}]


def test_behind_a_proxy_a_spoofed_entry_gets_no_fresh_budget(migrated_database: str) -> None:
    app = limited_app(migrated_database, TRUSTED_PROXIES=1)
    statuses = [login(app, PROXY, f"198.51.100.{n}, {CLIENT}") for n in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Another client behind the same proxy has a budget of its own.
    assert login(app, PROXY, "203.0.113.10") == 401

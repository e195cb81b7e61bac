"""The shipped nginx configuration in front of gunicorn run with TRUSTED_PROXIES=1, as
README's production recipe has it: rate limits count the address nginx saw, whatever
the client claims; a browser's form passes the CSRF checks (Host, Origin, Referer over
https) on any port; one address holds at most 32 requests at once; nginx's own errors
are problem+json like the app's."""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from http.client import HTTPMessage
from urllib.parse import urlencode

import pytest

from tests.conftest import PASSWORD
from tests.resilience.servers import Endpoint, Gunicorn, Nginx, PostgresCluster

pytestmark = pytest.mark.slow

REQUESTS_PER_ADDRESS = 32  # limit_conn in deploy/nginx/taskweb.conf


@pytest.fixture(scope="module")
def nginx(migrated_cluster_template: PostgresCluster) -> Iterator[Nginx]:
    """One set of servers for this module: its tests use addresses of their own."""
    with ExitStack() as stack:
        cluster = stack.enter_context(PostgresCluster.running_copy(migrated_cluster_template))
        # One worker, so that its in-memory rate-limit counts are the only ones.
        gunicorn = Gunicorn(cluster.url, {"TRUSTED_PROXIES": "1",
                                          "LOGIN_RATE_LIMIT": "2 per minute"}, "--workers 1")
        stack.callback(gunicorn.stop, graceful=False)
        server = Nginx(f"127.0.0.1:{gunicorn.port}")
        stack.callback(server.stop)
        yield server


def login(endpoint: Endpoint, source: str, forwarded_for: str) -> int:
    return endpoint.request("POST", "/api/v1/auth/login",
                            {"X-Forwarded-For": forwarded_for},
                            {"email": "ghost@example.com", "password": PASSWORD},
                            source=source)[0]


def assert_problem(answer: tuple[int, HTTPMessage, bytes], status: int) -> None:
    assert answer[0] == status, answer
    assert answer[1]["Content-Type"] == "application/problem+json", answer
    assert json.loads(answer[2])["status"] == status


def test_rate_limits_count_the_address_nginx_saw(nginx: Nginx) -> None:
    endpoint = nginx.endpoint()
    statuses = [login(endpoint, "127.0.3.1", f"198.51.100.{n}") for n in range(3)]
    assert statuses == [401, 401, 429]
    assert login(endpoint, "127.0.3.2", "127.0.3.1") == 401


def test_a_browser_signs_in_through_nginx(nginx: Nginx) -> None:
    """The app sees the Host the browser asked for, port included, and (from nginx's
    X-Forwarded-Proto) https, so the Origin and, over https, Flask-WTF's Referer checks
    pass for a form of this site."""
    endpoint = nginx.endpoint()
    site = f"https://127.0.0.1:{nginx.port}"
    account = {"email": "browser@example.com", "username": "browser", "password": PASSWORD}
    assert endpoint.request("POST", "/api/v1/auth/register", body=account,
                            source="127.0.5.2")[0] == 201
    _, headers, page = endpoint.request("GET", "/login", source="127.0.5.1")
    token = re.search(rb'<meta name="csrf-token" content="([^"]+)">', page)
    assert token, page[:300]
    cookies = "; ".join(c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or [])
    form = urlencode({"csrf_token": token.group(1).decode(), "email": account["email"],
                      "password": PASSWORD}).encode()
    status, headers, body = endpoint.request(
        "POST", "/login",
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies,
         "Origin": site, "Referer": f"{site}/login", "Sec-Fetch-Site": "same-origin"},
        form, source="127.0.5.1",
    )
    assert status == 303, (status, body[:500])


def test_a_body_over_1_mib_is_refused_unread(nginx: Nginx) -> None:
    answer = nginx.endpoint().request("POST", "/api/v1/tasks",
                                      {"Content-Length": str(2 * 1024 * 1024)})
    assert_problem(answer, 413)


def test_one_address_holds_at_most_32_requests_at_once(nginx: Nginx) -> None:
    endpoint = nginx.endpoint()
    held: list[socket.socket] = []

    def hold_a_request() -> None:
        """A request whose body never comes: nginx keeps it, waiting to read the body."""
        sock = endpoint.connect("127.0.4.1")
        sock.sendall(b"POST /api/v1/tasks HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        held.append(sock)

    try:
        for _ in range(REQUESTS_PER_ADDRESS - 1):
            hold_a_request()
        assert endpoint.request("GET", "/health", source="127.0.4.1")[0] == 200
        hold_a_request()
        # nginx counts a request once it has read its headers, a moment after they are sent.
        deadline = time.monotonic() + 5
        while (answer := endpoint.request("GET", "/health", source="127.0.4.1"))[0] == 200:
            assert time.monotonic() < deadline, "the 33rd request at once was not refused"
            time.sleep(0.1)
        assert_problem(answer, 429)
        assert answer[1]["Retry-After"] == "1"
        assert endpoint.request("GET", "/health", source="127.0.4.2")[0] == 200
    finally:
        for sock in held:
            sock.close()

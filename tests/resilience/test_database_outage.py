"""With PostgreSQL down: 503s, not 500s; once it is back, the same processes serve again."""

from __future__ import annotations

import http.client
import re
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

import pytest

from bench.mixed_load import PASSWORD, ApiClient
from tests.resilience.servers import Gunicorn, PostgresCluster

pytestmark = pytest.mark.slow
TOKEN_RE = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class Browser:
    """Just enough of a browser for a form login over plain HTTP: it keeps the cookies
    itself, since the production cookies are Secure (sent over HTTPS only) and the test
    server speaks HTTP, and it follows no redirects."""

    def __init__(self, base_url: str) -> None:
        self.netloc = urlsplit(base_url).netloc
        self.cookies: dict[str, str] = {}

    def open(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.netloc, timeout=30)  # one per request
        connection.request("POST" if form is not None else "GET", path, body, headers)
        response = connection.getresponse()
        html = response.read().decode()
        connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, html

    def log_in(self, email: str, password: str) -> None:
        _, page = self.open("/login")
        token = TOKEN_RE.search(page).group(1)
        status, _ = self.open("/login", {"email": email, "password": password,
                                         "csrf_token": token})
        assert status == 303


def test_outage_gives_503_and_recovers_without_restart(
    cluster: PostgresCluster, gunicorn: Gunicorn
) -> None:
    with urllib.request.urlopen(f"{gunicorn.base_url}/health") as response:
        banner = response.headers.get("Server", "")
    assert not any(character.isdigit() for character in banner), banner  # no versions

    client = ApiClient(gunicorn.base_url)
    email = client.sign_up()
    assert client.call("POST", "/api/v1/tasks", {"title": "before"})[0] == 201
    workers_before = set(gunicorn.worker_pids())
    browser = Browser(gunicorn.base_url)
    browser.log_in(email, PASSWORD)
    assert browser.open("/")[0] == 200

    cluster.stop()
    status, health = client.call("GET", "/health")
    assert (status, health["database"]) == (503, "unavailable")
    for method, path, body in [("GET", "/api/v1/tasks", None),
                               ("POST", "/api/v1/tasks", {"title": "during"})]:
        status, problem = client.call(method, path, body)
        assert status == 503, (method, path, status, problem)
        assert problem["status"] == 503 and "Traceback" not in problem["detail"]
    page = ApiClient(gunicorn.base_url)
    status, _ = page.call("POST", "/api/v1/auth/login",
                          {"email": "nobody@example.com", "password": "whatever-password"})
    assert status == 503
    # A signed-in browser gets the outage page, not the server's bare 500 (loading the
    # session's user fails too, and the page must not try again).
    for path in ("/", "/profile"):
        status, html = browser.open(path)
        assert status == 503, (path, status, html[:200])
        assert "database is unavailable" in html and "Traceback" not in html

    cluster.start()
    assert client.call("GET", "/health")[0] == 200
    status, page_of_tasks = client.call("GET", "/api/v1/tasks")
    assert status == 200 and [t["title"] for t in page_of_tasks["items"]] == ["before"]
    assert browser.open("/")[0] == 200
    assert set(gunicorn.worker_pids()) == workers_before
    assert "Traceback" not in gunicorn.log_text()

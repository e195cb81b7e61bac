"""Small HTTP exchanges the driver makes before the load: health, log-ins, preflight."""

from __future__ import annotations

import hashlib
import http.client
import json
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.database import connect
from bench.load import Request

CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"|'
                        r'<input[^>]*value="([^"]+)"[^>]*name="csrf_token"')


@dataclass(frozen=True)
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((value for key, value in self.headers if key.lower() == name.lower()), None)

    def cookies(self) -> dict[str, str]:
        """``name -> value`` of every Set-Cookie (attributes such as Secure are dropped)."""
        jar = {}
        for key, value in self.headers:
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                jar[name.strip()] = rest.split(";", 1)[0]
        return jar


def with_cookies_of(cookie: str, reply: Reply) -> str:
    """A ``Cookie`` header value: ``cookie`` with what ``reply`` set (a browser keeps the
    session a page has just written, e.g. with its CSRF secret, instead of the older one)."""
    jar = dict(part.split("=", 1) for part in cookie.split("; ") if "=" in part)
    return "; ".join(f"{name}={value}" for name, value in {**jar, **reply.cookies()}.items())


def exchange(port: int, request: Request, timeout: float = 30) -> Reply:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        path = request.path.replace("{id}", str(request.ids[0])) if request.ids else request.path
        conn.request(request.method, path, body=request.body, headers=request.headers)
        response = conn.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        conn.close()


def wait_healthy(port: int, timeout: float = 60) -> None:
    """Wait until GET /health answers 200 (gunicorn and the database are up)."""
    deadline = time.monotonic() + timeout
    last_error = "no answer"
    while time.monotonic() < deadline:
        try:
            reply = exchange(port, Request("GET", "/health"), timeout=5)
            if reply.status == 200:
                return
            last_error = f"status {reply.status}"
        except OSError as error:
            last_error = str(error)
        time.sleep(0.3)
    raise RuntimeError(f"port {port} did not become healthy: {last_error}")


def api_token(port: int, email: str, password: str) -> str:
    """An access token from POST /api/v1/auth/login."""
    body = json.dumps({"email": email, "password": password})
    reply = exchange(port, Request("POST", "/api/v1/auth/login",
                                   {"Content-Type": "application/json"}, body))
    if reply.status != 200:
        raise RuntimeError(f"API login failed: {reply.status} {reply.body[:300]!r}")
    return json.loads(reply.body)["access_token"]


def session_cookie(port: int, email: str, password: str) -> str:
    """A ``Cookie`` header value for a browser session: GET /login, then post the form.

    The CSRF token comes from the form, and the pre-login session cookie (which holds the
    CSRF secret) goes back with the post, as a browser would send them.
    """
    page = exchange(port, Request("GET", "/login"))
    if page.status != 200:
        raise RuntimeError(f"GET /login answered {page.status}")
    match = CSRF_INPUT.search(page.body.decode())
    if match is None:
        raise RuntimeError("no csrf_token input on the login page")
    jar = page.cookies()
    form = urlencode({"email": email, "password": password,
                      "csrf_token": match.group(1) or match.group(2), "next": "/"})
    reply = exchange(port, Request("POST", "/login", {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": "; ".join(f"{name}={value}" for name, value in jar.items()),
    }, form))
    if reply.status not in (200, 302, 303) or "session" not in reply.cookies():
        raise RuntimeError(f"form login failed: {reply.status} {reply.body[:300]!r}")
    jar.update(reply.cookies())
    return "; ".join(f"{name}={value}" for name, value in jar.items())


def floor_session_cookie(user_id: int) -> str:
    """A ``Cookie`` header value for the floor's pages: a browser session of ``user_id``
    (a row in browser_sessions, as taskweb's login makes) named by a plain cookie."""
    session_id = secrets.token_urlsafe(32)
    conn = connect()
    try:
        with conn.cursor() as cur:
            cur.execute("INSERT INTO browser_sessions (id_hash, user_id) VALUES (%s, %s)",
                        (hashlib.sha256(session_id.encode()).hexdigest(), user_id))
            cur.execute("SELECT session_version FROM users WHERE id = %s", (user_id,))
            version = cur.fetchone()[0]
        conn.commit()
    finally:
        conn.close()
    return f"floor_user={user_id}:{version}:{session_id}"

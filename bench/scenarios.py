"""The benchmark scenarios: what each one sends, for taskweb and for the floor alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from bench.load import Request
from bench.seed import HEAVY_EMAIL, PASSWORD
from bench.words import SEARCH_WORD

SEARCH_QUERY = f"status=todo&q={SEARCH_WORD}"
TASK_BODY = json.dumps({
    "title": "Prepare the quarterly report",
    "description": "Collect the numbers from finance and draft the summary.",
    "priority": "high",
    "due_date": "2026-12-18T17:00:00Z",
})
UPDATE_BODY = json.dumps({"status": "completed", "priority": "high"})
LOGIN_BODY = json.dumps({"email": HEAVY_EMAIL, "password": PASSWORD})
JSON_BODY = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Credentials:
    """How one server knows the heavy user: a bearer token and a browser cookie."""

    token: str
    cookie: str


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    kind: str  # "api", "page" or "login" (bcrypt-bound, reported apart)
    method: str
    path: str
    auth: str | None = "bearer"  # "bearer", "cookie" or None
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    uses_ids: bool = False
    writes: bool = False

    def request(self, credentials: Credentials, ids: tuple[int, ...]) -> Request:
        headers = dict(self.headers)
        if self.auth == "bearer":
            headers["Authorization"] = f"Bearer {credentials.token}"
        elif self.auth == "cookie":
            headers["Cookie"] = credentials.cookie
        return Request(self.method, self.path, headers, self.body,
                       ids if self.uses_ids else ())


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("list", "API list (20, default sort)", "api", "GET", "/api/v1/tasks"),
    Scenario("search", f"API list status=todo + q={SEARCH_WORD}", "api", "GET",
             f"/api/v1/tasks?{SEARCH_QUERY}"),
    Scenario("get", "API get one", "api", "GET", "/api/v1/tasks/{id}", uses_ids=True),
    Scenario("page", "htmx tasks page (full)", "page", "GET", "/", auth="cookie"),
    Scenario("fragment", "htmx list fragment", "page", "GET", "/", auth="cookie",
             headers={"HX-Request": "true"}),
    Scenario("create", "API create", "api", "POST", "/api/v1/tasks", headers=JSON_BODY,
             body=TASK_BODY, writes=True),
    Scenario("update", "API update (PATCH)", "api", "PATCH", "/api/v1/tasks/{id}",
             headers=JSON_BODY, body=UPDATE_BODY, uses_ids=True, writes=True),
    Scenario("login", "API login (bcrypt, 12 rounds)", "login", "POST", "/api/v1/auth/login",
             auth=None, headers=JSON_BODY, body=LOGIN_BODY, writes=True),
)
GROWTH_SCENARIOS = ("list", "search")
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}

"""The benchmark scenarios: what each one sends, for taskweb and for the floor alike."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from urllib.parse import quote

from bench.load import Request
from bench.seed import (
    BOARD_PROJECT_ID,
    BOARD_PROJECT_NAME,
    HEAVY_EMAIL,
    PASSWORD,
    SHARED_PROJECT_ID,
)
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
# Issue 11. What a person types into Quick add (a project of the heavy user's, a label,
# a priority, a date with a time, a repeat); the preview parses it without writing.
QUICK_ADD_BODY = json.dumps({
    "text": f"Pay rent tomorrow 5pm #{BOARD_PROJECT_NAME} @money !high every month",
})
QUICK_PREVIEW_PATH = "/api/v1/tasks/quick?preview=true"
# A query of the filter grammar (API.md, Part 2): several statuses, a relative date
# range and a negation.
FILTER = "status:todo,in_progress due:<=next-7-days -priority:low"
FILTER_QUERY = "filter=" + quote(FILTER, safe="")
BOARD_PATH = f"/projects/{BOARD_PROJECT_ID}/board"
SHARED_PATH = f"/api/v1/tasks?project_id={SHARED_PROJECT_ID}"


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
    # Whether bench/floor.py has a comparable route: without one, taskweb alone is
    # measured and the report gives its absolute latency, no ratio.
    floor: bool = True
    # wrk's connections (and threads) for this scenario, instead of the run's setting:
    # 1 measures the latency one person sees, with no queue in front of the workers.
    connections: int | None = None
    # A poll: every request carries If-None-Match with the ETag of a first answer, so the
    # answer expected is a 304.
    conditional: bool = False
    # A bulk action on this many of the heavy user's tasks (their ids go in the body).
    bulk_ids: int = 0

    def request(self, credentials: Credentials, ids: tuple[int, ...],
                etag: str | None = None) -> Request:
        headers = dict(self.headers)
        if self.auth == "bearer":
            headers["Authorization"] = f"Bearer {credentials.token}"
        elif self.auth == "cookie":
            headers["Cookie"] = credentials.cookie
        if etag is not None:
            headers["If-None-Match"] = etag
        body = self.body
        if self.bulk_ids:
            body = json.dumps({"ids": list(ids[:self.bulk_ids]), "action": "set_priority",
                               "value": "high"})
        return Request(self.method, self.path, headers, body, ids if self.uses_ids else ())


SCENARIOS: tuple[Scenario, ...] = (
    Scenario("list", "API list (20, default sort)", "api", "GET", "/api/v1/tasks"),
    Scenario("search", f"API list status=todo + q={SEARCH_WORD}", "api", "GET",
             f"/api/v1/tasks?{SEARCH_QUERY}"),
    Scenario("get", "API get one", "api", "GET", "/api/v1/tasks/{id}", uses_ids=True),
    # Issue 15: another user's project shared with the heavy user (an editor), its tasks
    # with labels, subtask progress, assignees.
    Scenario("shared", "API list of a shared project", "api", "GET", SHARED_PATH),
    Scenario("page", "htmx tasks page (full)", "page", "GET", "/", auth="cookie"),
    Scenario("fragment", "htmx list fragment", "page", "GET", "/", auth="cookie",
             headers={"HX-Request": "true"}),
    Scenario("create", "API create", "api", "POST", "/api/v1/tasks", headers=JSON_BODY,
             body=TASK_BODY, writes=True),
    Scenario("update", "API update (PATCH)", "api", "PATCH", "/api/v1/tasks/{id}",
             headers=JSON_BODY, body=UPDATE_BODY, uses_ids=True, writes=True),
    Scenario("login", "API login (bcrypt, 12 rounds)", "login", "POST", "/api/v1/auth/login",
             auth=None, headers=JSON_BODY, body=LOGIN_BODY, writes=True),
    # Issue 11. The floor replays taskweb's statements for these (bench/floor_replay.py:
    # it has no quick-add parser, agenda, board or filter grammar of its own).
    Scenario("quick_preview", "API quick-add preview, 1 connection", "api", "POST",
             QUICK_PREVIEW_PATH, headers=JSON_BODY, body=QUICK_ADD_BODY,
             connections=1),
    Scenario("quick_preview_busy", "API quick-add preview (32 connections)", "api", "POST",
             QUICK_PREVIEW_PATH, headers=JSON_BODY, body=QUICK_ADD_BODY),
    Scenario("filter", f"API list filter={FILTER}", "api", "GET",
             f"/api/v1/tasks?{FILTER_QUERY}"),
    Scenario("today", "Today page (full)", "page", "GET", "/today", auth="cookie"),
    Scenario("upcoming", "Upcoming page (full)", "page", "GET", "/upcoming", auth="cookie"),
    Scenario("board", "Board page, 500 cards (full)", "page", "GET", BOARD_PATH,
             auth="cookie"),
    # Issue 15: every endpoint people and programs call often is in the benchmark.
    Scenario("projects", "API project list with counts (the sidebar's)", "api", "GET",
             "/api/v1/projects"),
    # The same priority again and again: every request locks and updates the 50 rows (a
    # history entry only the first time, when the priority changes).
    Scenario("bulk", "API bulk action on 50 tasks (set_priority)", "api", "POST",
             "/api/v1/tasks/bulk", headers=JSON_BODY, bulk_ids=50, writes=True),
    Scenario("bell", "Notifications bell poll (304 while unchanged)", "page", "GET",
             "/notifications/bell", auth="cookie", headers={"HX-Request": "true"},
             conditional=True),
    # No floor (a replay of a write would name the rows taskweb made): compare with create.
    Scenario("quick_add", "API quick add (creates the task)", "api", "POST",
             "/api/v1/tasks/quick", headers=JSON_BODY, body=QUICK_ADD_BODY, writes=True,
             floor=False),
)
GROWTH_SCENARIOS = ("list", "search", "shared")
BY_NAME = {scenario.name: scenario for scenario in SCENARIOS}

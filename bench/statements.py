"""What SQL taskweb sends per request, and how PostgreSQL runs its list queries.

Runs taskweb in-process (production configuration, the benchmark database) behind
Flask's test client, with a psycopg2 connection class that records every round trip:
statements (pool pre-pings included), and the BEGIN, COMMIT and ROLLBACK that psycopg2
sends. Then it runs ``EXPLAIN (ANALYZE, BUFFERS)`` on the task statements of the list,
search, filter-grammar list, Today, Upcoming and board requests (the count and the page
of each; not the sidebar's or the labels') exactly as taskweb sent them. The driver runs it in a subprocess
(``python -m bench.statements TASK_ID``) and reads the JSON it prints.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from typing import Any

from psycopg2.extensions import STATUS_READY
from psycopg2.extensions import connection as PgConnection
from psycopg2.extensions import cursor as PgCursor

from bench.clients import floor_session_cookie
from bench.database import connect
from bench.scenarios import (
    BOARD_PATH,
    FILTER_QUERY,
    QUICK_ADD_BODY,
    QUICK_PREVIEW_PATH,
    SEARCH_QUERY,
    SHARED_PATH,
    TASK_BODY,
    UPDATE_BODY,
)
from bench.seed import HEAVY_EMAIL, HEAVY_USER_ID, PASSWORD

_events: list[tuple[str, str, Any]] = []


class _RecordingCursor(PgCursor):
    def execute(self, query, vars=None):  # noqa: A002 (psycopg2's own name)
        if not self.connection.autocommit and self.connection.status == STATUS_READY:
            _events.append(("BEGIN", "BEGIN", None))
        _events.append(("statement", query if isinstance(query, str) else query.decode(), vars))
        return super().execute(query, vars)


class RecordingConnection(PgConnection):
    def cursor(self, *args, **kwargs):
        kwargs.setdefault("cursor_factory", _RecordingCursor)
        return super().cursor(*args, **kwargs)

    def commit(self) -> None:
        if self.status != STATUS_READY:
            _events.append(("COMMIT", "COMMIT", None))
        super().commit()

    def rollback(self) -> None:
        if self.status != STATUS_READY:
            _events.append(("ROLLBACK", "ROLLBACK", None))
        super().rollback()


PING = "SELECT 1"


@dataclass
class Capture:
    """One request's SQL: statements exclude the pool's pre-ping, round trips count it all."""

    status: int
    statements: int
    pings: int
    round_trips: int
    sql: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list, repr=False)


def _summarise(sql: str) -> str:
    """The statement's first words and the tables it touches, enough to tell them apart."""
    text = re.sub(r"\s+", " ", sql).strip()
    if text in ("BEGIN", "COMMIT", "ROLLBACK"):
        return text
    if text == PING:
        return "pre-ping SELECT 1"
    tables = dict.fromkeys(re.findall(r"\b(?:FROM|INTO|UPDATE|JOIN) (\w+)", text))
    return f"{text.split(' FROM ')[0][:24]}… [{', '.join(tables)}]"


def _capture(client, method: str, path: str, **kwargs: Any) -> Capture:
    _events.clear()
    response = getattr(client, method)(path, **kwargs)
    statements = [(sql, params) for kind, sql, params in _events if kind == "statement"]
    pings = sum(1 for sql, _params in statements if sql.strip() == PING)
    return Capture(
        status=response.status_code,
        statements=len(statements) - pings,
        pings=pings,
        round_trips=len(_events),
        sql=[_summarise(sql) for _kind, sql, _params in _events],
        params=[(sql, params) for sql, params in statements],
    )


def _web_login(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    if token is None:
        token = re.search(r'value="([^"]+)"[^>]*name="csrf_token"', page)
    client.post("/login", data={"email": HEAVY_EMAIL, "password": PASSWORD,
                                "csrf_token": token.group(1), "next": "/"})


def _scenario_requests(api, browser, bearer: dict[str, str], task_id: int) -> dict[str, tuple]:
    json_headers = {**bearer, "Content-Type": "application/json"}
    return {
        "list": (api, "get", "/api/v1/tasks", {"headers": bearer}),
        "list_limit_1": (api, "get", "/api/v1/tasks?limit=1", {"headers": bearer}),
        "list_limit_100": (api, "get", "/api/v1/tasks?limit=100", {"headers": bearer}),
        "search": (api, "get", f"/api/v1/tasks?{SEARCH_QUERY}", {"headers": bearer}),
        "get": (api, "get", f"/api/v1/tasks/{task_id}", {"headers": bearer}),
        "create": (api, "post", "/api/v1/tasks", {"headers": json_headers, "data": TASK_BODY}),
        "update": (api, "patch", f"/api/v1/tasks/{task_id}",
                   {"headers": json_headers, "data": UPDATE_BODY}),
        "page": (browser, "get", "/", {}),
        "fragment": (browser, "get", "/", {"headers": {"HX-Request": "true"}}),
        "login": (api, "post", "/api/v1/auth/login",
                  {"json": {"email": HEAVY_EMAIL, "password": PASSWORD}}),
        # Issue 11 (taskweb only: the floor has no such routes).
        "quick_preview": (api, "post", QUICK_PREVIEW_PATH,
                          {"headers": json_headers, "data": QUICK_ADD_BODY}),
        "filter": (api, "get", f"/api/v1/tasks?{FILTER_QUERY}", {"headers": bearer}),
        "today": (browser, "get", "/today", {}),
        "upcoming": (browser, "get", "/upcoming", {}),
        "board": (browser, "get", BOARD_PATH, {}),
        # Issue 15.
        "shared": (api, "get", SHARED_PATH, {"headers": bearer}),
        "projects": (api, "get", "/api/v1/projects", {"headers": bearer}),
        "quick_add": (api, "post", "/api/v1/tasks/quick",
                      {"headers": json_headers, "data": QUICK_ADD_BODY}),
        "bulk": (api, "post", "/api/v1/tasks/bulk", {"headers": json_headers, "data": json.dumps(
            {"ids": [task_id], "action": "set_priority", "value": "high"})}),
        "bell": (browser, "get", "/notifications/bell", {"headers": {"HX-Request": "true"}}),
    }


# The requests bench/floor.py can answer.
FLOOR_REQUESTS = ("list", "list_limit_1", "list_limit_100", "search", "get", "create",
                  "update", "page", "fragment", "login", "shared", "projects", "bulk", "bell")
# The requests whose task statements are explained.
EXPLAINED = ("list", "search", "shared", "filter", "today", "upcoming", "board")


def _capture_each(requests: dict[str, tuple]) -> dict[str, Capture]:
    """One recorded request per scenario, after an unrecorded one of the same kind."""
    captures = {}
    for name, (client, method, path, kwargs) in requests.items():
        if name != "login":
            getattr(client, method)(path, **kwargs)
        captures[name] = _capture(client, method, path, **kwargs)
    return captures


def _token(client) -> str:
    reply = client.post("/api/v1/auth/login", json={"email": HEAVY_EMAIL, "password": PASSWORD})
    return json.loads(reply.get_data())["access_token"]


def _taskweb_requests(task_id: int) -> dict[str, tuple]:
    """Every scenario's request to an in-process taskweb on a recording connection, its
    clients signed in (a token for the API, a session for the pages)."""
    from config import config_for_environment
    from taskweb import create_app

    options = dict(config_for_environment().SQLALCHEMY_ENGINE_OPTIONS)
    options["connect_args"] = {"connection_factory": RecordingConnection}
    app = create_app(SQLALCHEMY_ENGINE_OPTIONS=options)
    api, browser = app.test_client(), app.test_client()
    bearer = {"Authorization": f"Bearer {_token(api)}"}
    _web_login(browser)
    return _scenario_requests(api, browser, bearer, task_id)


def capture_taskweb(task_id: int) -> dict[str, Capture]:
    return _capture_each(_taskweb_requests(task_id))


def capture_floor(task_id: int) -> dict[str, Capture]:
    """The same requests to the floor, called in-process on a recording connection."""
    import psycopg2
    from werkzeug.test import Client

    from bench import floor

    floor._local.conn = psycopg2.connect(floor.DSN, connection_factory=RecordingConnection)
    client = Client(floor.app)
    bearer = {"Authorization": f"Bearer {_token(client)}"}
    browser = Client(floor.app)
    name, _, value = floor_session_cookie(HEAVY_USER_ID).partition("=")
    browser.set_cookie(name, value)
    requests = _scenario_requests(client, browser, bearer, task_id)
    # With taskweb's recorded statements (BENCH_FLOOR_REPLAY), the replayed requests too.
    names = FLOOR_REQUESTS + (REPLAYED if os.environ.get("BENCH_FLOOR_REPLAY") else ())
    return _capture_each({name: requests[name] for name in names})


def _outer(sql: str) -> str:
    """The statement without its parenthesised parts (subqueries, argument lists)."""
    previous = None
    while previous != sql:
        previous, sql = sql, re.sub(r"\([^()]*\)", "", sql)
    return sql


def _is_task_read(sql: str) -> bool:
    """A SELECT whose own FROM is tasks (not the sidebar's projects with a count of their
    tasks in a subquery, nor the labels of the tasks read)."""
    return (sql.lstrip().upper().startswith("SELECT")
            and re.search(r"\bFROM tasks\b", _outer(sql)) is not None)


def explain(captures: dict[str, Capture]) -> dict[str, str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the count and page statements of EXPLAINED.

    Each statement runs once to warm the cache; the plan shown is the second run's.
    """
    plans = {}
    conn = connect()
    try:
        with conn.cursor() as cur:
            for scenario in EXPLAINED:
                for sql, params in captures[scenario].params:
                    if not _is_task_read(sql):
                        continue
                    # (The page's subtask counts are count(*) subqueries too.)
                    kind = "count" if re.match(r"\s*SELECT count\(", sql, re.I) else "page"
                    for _ in range(2):
                        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                        lines = [row[0] for row in cur.fetchall()]
                    name = f"{scenario} {kind}"
                    if name in plans:
                        name += f" {sum(1 for key in plans if key.startswith(name)) + 1}"
                    plans[name] = (
                        cur.mogrify(sql, params).decode() + "\n\n" + "\n".join(lines)
                    )
        conn.rollback()
    finally:
        conn.close()
    return plans


# The requests the floor answers by sending taskweb's own statements again
# (bench/floor_replay.py): the filter grammar, the agenda, the board and the quick-add
# preview have no hand-written floor, so it replays what taskweb sent for them. (Reads
# only: a write's statements name the rows it made.)
REPLAYED = ("filter", "today", "upcoming", "board", "quick_preview")


def replay_statements(task_id: int) -> dict[str, list[str]]:
    """taskweb's statements for each REPLAYED request, as literal SQL, without the pool's
    pre-ping and the first statement (the caller's authentication, which the floor does
    its own way)."""
    requests = _taskweb_requests(task_id)
    captures = _capture_each({name: requests[name] for name in REPLAYED})
    conn = connect()
    try:
        with conn.cursor() as cur:
            return {name: [cur.mogrify(sql, params).decode() for sql, params in
                           [pair for pair in capture.params if pair[0].strip() != PING][1:]]
                    for name, capture in captures.items()}
    finally:
        conn.close()


def main() -> None:
    if sys.argv[1] == "--replay":
        json.dump(replay_statements(int(sys.argv[2])), sys.stdout)
        return
    task_id = int(sys.argv[1])
    captures = capture_taskweb(task_id)
    floor_captures = capture_floor(task_id)

    def public(found: dict[str, Capture]) -> dict[str, dict]:
        return {name: {k: v for k, v in asdict(c).items() if k != "params"}
                for name, c in found.items()}

    output = {"taskweb": public(captures), "floor": public(floor_captures),
              "plans": explain(captures)}
    json.dump(output, sys.stdout, indent=1)


if __name__ == "__main__":
    main()

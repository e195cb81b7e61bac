"""The floor: the work of each benchmark scenario with no framework, as a bare WSGI callable.

Served by the same gunicorn settings as taskweb (``gunicorn -c gunicorn.conf.py
bench.floor:app``), it does per request what taskweb must do at the least, so taskweb ÷
floor says what the framework layers cost:

* bearer requests: verify the JWT with PyJWT (HS256 pinned, ``type`` must be
  ``access``), then, like taskweb's Flask-JWT-Extended callbacks, one statement that
  loads the user (who must be active) and tells whether the token's jti is revoked;
* the same list / count / get SQL as taskweb's repository (tasks scoped through the
  caller's memberships, with their role, subtask counts, labels and reminders as
  correlated subqueries on the row), and the smallest writes: one
  ``INSERT … RETURNING`` into the caller's Inbox (found by a subquery) and one
  ``UPDATE … FROM memberships … RETURNING`` that checks the caller may edit and
  returns the subtask counts and labels (taskweb reads the row before and after; the
  statement counts in the report show the difference);
* reads end with a rollback and writes with a commit, as taskweb's session does;
* JSON with the standard library, the same fields as taskweb's; pages with plain
  string formatting;
* pages: the Flask session cookie's signature is *not* verified (out of scope); the
  cookie ``floor_user=<id>:<session version>:<browser session id>`` names the user and
  a browser session, checked in one statement as taskweb does (the driver makes the
  session's row: bench.clients.floor_session_cookie); the pages list top-level tasks
  and read the sidebar's projects and (full page) labels with taskweb's SQL;
* login: the user by e-mail, bcrypt over the same SHA-256 prehash, a refresh-token row,
  and an access + refresh JWT pair, as taskweb's AuthService does;
* issue 15's project list, bell poll and bulk action (bench/floor_extra.py), and the
  scenarios whose SQL the floor replays from taskweb (bench/floor_replay.py).

The task row, the authentication and the answers they all share are in
bench/floor_base.py. One psycopg2 connection per gunicorn thread, opened on first use
and kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

import bcrypt
import jwt
import psycopg2

from bench import floor_extra, floor_pages, floor_replay
from bench.database import database_url, libpq_dsn
from bench.floor_base import (
    EDITING_ROLES,
    HTML_TYPE,
    ROW_ID,
    ROW_PROJECT,
    ROW_VERSION,
    SECRET,
    SEEN,
    TASK_COLUMNS,
    USER_COLUMNS,
    VISIBLE,
    Response,
    bearer_user,
    json_response,
    labels_of,
    page_item,
    session_user,
    task_json,
)
from bench.floor_input import HttpError, clean_task, json_body, list_query

DSN = libpq_dsn(database_url())
ACCESS_LIFETIME = timedelta(minutes=30)
REFRESH_LIFETIME = timedelta(days=7)

_local = threading.local()


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg2.connect(DSN)
    return conn


def _list(cur, user_id: int, query: dict[str, list[str]], *, top_level: bool = False
          ) -> tuple[list[tuple], dict[int, list[str]], int, int, int]:
    """As taskweb's TaskRepository.list: count + page, or with `q` one statement whose
    rows carry the count (count(*) OVER ()); the labels are on the rows. The browser's
    list shows ``top_level`` tasks only (subtasks go under their task)."""
    conditions, args, limit, offset = list_query(query)
    if top_level:
        conditions.insert(0, "tasks.parent_id IS NULL")
    where = f"WHERE {' AND '.join(conditions)} " if conditions else ""
    order = "ORDER BY tasks.created_at DESC, tasks.id DESC LIMIT %s OFFSET %s"
    if any(value.strip() for value in query.get("q", [])):
        cur.execute(f"SELECT {SEEN}, count(*) OVER () {VISIBLE} {where}{order}",
                    [user_id, *args, limit, offset])
        rows = cur.fetchall()
        total = rows[0][-1] if rows else 0  # the benchmark never pages past the end
        rows = [row[:-1] for row in rows]
    else:
        cur.execute(f"SELECT count(*) {VISIBLE} {where}".rstrip(), [user_id, *args])
        total = cur.fetchone()[0]
        cur.execute(f"SELECT {SEEN} {VISIBLE} {where}{order}", [user_id, *args, limit, offset])
        rows = cur.fetchall()
    return rows, labels_of(cur, rows), total, limit, offset


def _etag(version: int) -> list[tuple[str, str]]:
    return [("ETag", f'"{version}"')]


def list_tasks(environ: dict, cur) -> Response:
    replayed = floor_replay.filtered_list(environ, cur)  # filter=: taskweb's statements
    if replayed is not None:
        return replayed
    user = bearer_user(environ, cur)
    rows, labels, total, limit, offset = _list(cur, user[0],
                                               parse_qs(environ.get("QUERY_STRING", "")))
    items = [task_json(row, labels[row[ROW_ID]]) for row in rows]
    return json_response(200, {"items": items, "total": total, "limit": limit, "offset": offset})


def create_task(environ: dict, cur) -> Response:
    """Into the caller's Inbox, at the end (a position from the clock, as taskweb's
    domain/positions.py new_position); a new task has no labels and no subtasks."""
    user = bearer_user(environ, cur)
    fields = clean_task(json_body(environ), creating=True)
    now = datetime.now(UTC)
    status = fields.get("status", "todo")
    cur.execute(
        "INSERT INTO tasks (title, description, status, priority, due_date, owner_id, "
        "project_id, completed_at, position, version, created_at, updated_at) VALUES "
        "(%s, %s, %s, %s, %s, %s, (SELECT projects.id FROM projects WHERE projects.owner_id = %s "
        f"AND projects.is_inbox), %s, %s, 1, %s, %s) RETURNING {TASK_COLUMNS}, 'owner', 0, 0, "
        "NULL, NULL",
        (fields["title"], fields.get("description"), status, fields.get("priority", "medium"),
         fields.get("due_date"), user[0], user[0], now if status == "completed" else None,
         f"{time.time_ns() // 1000:016x}", now, now),
    )
    row = cur.fetchone()
    cur.connection.commit()
    headers = [("Location", f"/api/v1/tasks/{row[ROW_ID]}"), *_etag(row[ROW_VERSION])]
    return json_response(201, task_json(row, []), headers)


def get_task(environ: dict, cur, task_id: int) -> Response:
    user = bearer_user(environ, cur)
    cur.execute(f"SELECT {SEEN} {VISIBLE} WHERE tasks.id = %s", (user[0], task_id))
    row = cur.fetchone()
    if row is None:
        raise HttpError(404, f"Task {task_id} was not found.")
    return json_response(200, task_json(row, labels_of(cur, [row])[task_id]), _etag(row[ROW_VERSION]))


def update_task(environ: dict, cur, task_id: int) -> Response:
    """One statement: the change, if the caller may edit the task's project; completed_at
    set when the status becomes completed and cleared when it leaves it."""
    user = bearer_user(environ, cur)
    fields = clean_task(json_body(environ), creating=False)
    now = datetime.now(UTC)
    assignments = "".join(f"{name} = %s, " for name in fields)
    values: list[Any] = list(fields.values())
    if "status" in fields:
        assignments += ("completed_at = CASE WHEN %s = 'completed' "
                        "THEN coalesce(tasks.completed_at, %s) END, ")
        values += [fields["status"], now]
    cur.execute(
        f"UPDATE tasks SET {assignments}version = tasks.version + 1, updated_at = %s "
        "FROM memberships WHERE memberships.project_id = tasks.project_id "
        f"AND memberships.user_id = %s AND memberships.role IN {EDITING_ROLES} "
        f"AND tasks.id = %s AND tasks.deleted_at IS NULL RETURNING {SEEN}",
        (*values, now, user[0], task_id),
    )
    row = cur.fetchone()
    if row is None:
        raise HttpError(404, f"Task {task_id} was not found.")
    cur.connection.commit()
    return json_response(200, task_json(row, labels_of(cur, [row])[task_id]), _etag(row[ROW_VERSION]))


def _catalog(cur, user_id: int, *, with_labels: bool) -> tuple[list[tuple], list[tuple]]:
    """What the pages' sidebar lists, as taskweb's pages read it: the caller's projects
    (counted, then up to 100 with their role, member count and open-task count) and,
    for a full page, their labels with their counts."""
    member = "JOIN memberships ON memberships.project_id = projects.id AND memberships.user_id = %s"
    cur.execute(f"SELECT count(*) FROM projects {member}", (user_id,))
    cur.fetchone()
    cur.execute(
        "SELECT projects.id, projects.owner_id, projects.name, projects.description, "
        "projects.color, projects.is_inbox, projects.archived, projects.created_at, "
        "projects.updated_at, memberships.role, (SELECT count(*) FROM memberships AS members "
        "WHERE members.project_id = projects.id), (SELECT count(*) FROM tasks WHERE "
        f"tasks.project_id = projects.id AND tasks.status != 'completed') FROM projects {member} "
        "ORDER BY projects.is_inbox DESC, lower(projects.name), projects.id LIMIT 100 OFFSET 0",
        (user_id,),
    )
    projects = cur.fetchall()
    labels: list[tuple] = []
    if with_labels:
        cur.execute(
            "SELECT task_labels.key, task_labels.name, count(*), count(CASE WHEN "
            "tasks.status != 'completed' THEN 1 END), min(task_labels.task_id) FROM task_labels "
            "JOIN tasks ON tasks.id = task_labels.task_id JOIN memberships ON "
            "memberships.project_id = tasks.project_id AND memberships.user_id = %s "
            "GROUP BY task_labels.key, task_labels.name",
            (user_id,),
        )
        labels = cur.fetchall()
    return projects, labels


def tasks_page(environ: dict, cur) -> Response:
    """The full page, or the list fragment for htmx (``HX-Request: true``); both read
    the projects that name the rows, the full page also the sidebar's labels."""
    user = session_user(environ, cur)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    rows, _labels_unshown, total, limit, offset = _list(cur, user[0], query, top_level=True)
    fragment_only = environ.get("HTTP_HX_REQUEST") == "true"
    projects, labels = _catalog(cur, user[0], with_labels=not fragment_only)
    names = {project[0]: project[2] for project in projects if not project[5]}
    items = [{**page_item(row), "project": names.get(row[ROW_PROJECT])} for row in rows]
    # Stands for the CSRF token taskweb renders into every form.
    csrf = hmac.new(SECRET.encode(), str(user[0]).encode(), hashlib.sha256).hexdigest()
    fragment = floor_pages.list_fragment(items, total, limit, offset, csrf)
    if fragment_only:
        return 200, HTML_TYPE, fragment.encode()
    sidebar = floor_pages.sidebar(user[0], projects, labels)
    page = floor_pages.full_page(fragment, sidebar, user[2], query.get("q", [""])[-1], csrf)
    return 200, HTML_TYPE, page.encode()


def login(environ: dict, cur) -> Response:
    body = json_body(environ)
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str) or not isinstance(password, str):
        raise HttpError(422, "email and password are required.")
    cur.execute(f"SELECT {USER_COLUMNS} FROM users WHERE lower(users.email) = %s",
                (email.strip().lower(),))
    user = cur.fetchone()
    prehash = base64.b64encode(hashlib.sha256(password.encode()).digest())
    if user is None or not bcrypt.checkpw(prehash, user[4].encode()) or not user[5]:
        raise HttpError(401, "Incorrect email or password.")
    now = datetime.now(UTC)
    refresh_jti, family = str(uuid.uuid4()), str(uuid.uuid4())
    cur.execute("INSERT INTO refresh_tokens (jti, user_id, family_id, expires_at, created_at) "
                "VALUES (%s, %s, %s, %s, %s)", (refresh_jti, user[0], family, now + REFRESH_LIFETIME, now))
    cur.connection.commit()
    return json_response(200, {
        "access_token": _token(user[0], "access", str(uuid.uuid4()), now, ACCESS_LIFETIME),
        "refresh_token": _token(user[0], "refresh", refresh_jti, now, REFRESH_LIFETIME, fam=family),
        "token_type": "bearer",
        "expires_in": int(ACCESS_LIFETIME.total_seconds()),
    })


def _token(user_id: int, kind: str, jti: str, now: datetime, lifetime: timedelta,
           **extra: str) -> str:
    claims = {"fresh": False, "iat": now, "jti": jti, "type": kind, "sub": str(user_id),
              "nbf": now, "exp": now + lifetime, **extra}
    return jwt.encode(claims, SECRET, algorithm="HS256")


def health(_environ: dict, cur) -> Response:
    cur.execute("SELECT 1")
    return json_response(200, {"status": "ok", "database": "ok"})


ROUTES: dict[tuple[str, str], Callable[[dict, Any], Response]] = {
    ("GET", "/health"): health,
    ("POST", "/api/v1/auth/login"): login,
    ("GET", "/api/v1/tasks"): list_tasks,
    ("POST", "/api/v1/tasks"): create_task,
    ("GET", "/"): tasks_page,
}
ITEM_ROUTES = {"GET": get_task, "PATCH": update_task, "PUT": update_task}
ITEM_PREFIX = "/api/v1/tasks/"


def _dispatch(environ: dict, cur) -> Response:
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
    if path != "/":
        path = path.rstrip("/")
    handler = ROUTES.get((method, path))
    if handler is not None:
        return handler(environ, cur)
    if path.startswith(ITEM_PREFIX) and path[len(ITEM_PREFIX):].isdigit():
        item_handler = ITEM_ROUTES.get(method)
        if item_handler is not None:
            return item_handler(environ, cur, int(path[len(ITEM_PREFIX):]))
    raise HttpError(404, "Not found.")


def app(environ: dict, start_response: Callable) -> list[bytes]:
    conn = _connection()
    try:
        with conn.cursor() as cur:
            status, headers, body = _dispatch(environ, cur)
    except HttpError as error:
        status, headers, body = json_response(error.status, {"status": error.status, "detail": error.detail})
    except psycopg2.Error:
        conn.close()
        status, headers, body = json_response(500, {"status": 500, "detail": "Database error."})
    finally:
        if not conn.closed:
            conn.rollback()
    start_response(f"{status} {HTTPStatus(status).phrase}",
                   [*headers, ("Content-Length", str(len(body)))])
    return [body]

# Issue 15's scenarios.
ROUTES.update(floor_extra.ROUTES)
ROUTES.update(floor_replay.ROUTES)

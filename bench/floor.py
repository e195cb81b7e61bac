"""The floor: the work of each benchmark scenario with no framework, as a bare WSGI callable.

Served by the same gunicorn settings as taskweb (``gunicorn -c gunicorn.conf.py
bench.floor:app``), it does per request what taskweb must do at the least, so taskweb ÷
floor says what the framework layers cost:

* bearer requests: verify the JWT with PyJWT (HS256 pinned, ``type`` must be
  ``access``), then, like taskweb's Flask-JWT-Extended callbacks, one statement that
  loads the user (who must be active) and tells whether the token's jti is revoked;
* the same list / count / get SQL as taskweb's repository, and the smallest writes:
  ``INSERT … RETURNING`` and ``UPDATE … RETURNING`` (taskweb reads the row before and
  after; the statement counts in the report show the difference);
* reads end with a rollback and writes with a commit, as taskweb's session does;
* JSON with the standard library; pages with plain string formatting;
* pages: the Flask session cookie's signature is *not* verified (out of scope); the
  cookie ``floor_user=<id>:<session version>`` names the user, who is loaded by id;
* login: the user by e-mail, bcrypt over the same SHA-256 prehash, a refresh-token row,
  and an access + refresh JWT pair, as taskweb's AuthService does.

One psycopg2 connection per gunicorn thread, opened on first use and kept.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import threading
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable
from urllib.parse import parse_qs

import bcrypt
import jwt
import psycopg2

from bench import floor_pages
from bench.database import database_url, libpq_dsn
from bench.floor_input import HttpError, clean_task, json_body, list_query

SECRET = os.environ["JWT_SECRET_KEY"]
DSN = libpq_dsn(database_url())
ACCESS_LIFETIME = timedelta(minutes=30)
REFRESH_LIFETIME = timedelta(days=7)
TASK_COLUMNS = "id, title, description, status, priority, due_date, owner_id, created_at, updated_at"
USER_COLUMNS = ("id, email, username, full_name, hashed_password, is_active, session_version, "
                "created_at, updated_at")
TASK_KEYS = tuple(TASK_COLUMNS.split(", "))
JSON_TYPE = [("Content-Type", "application/json")]
HTML_TYPE = [("Content-Type", "text/html; charset=utf-8")]

_local = threading.local()


Response = tuple[int, list[tuple[str, str]], bytes]


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None or conn.closed:
        conn = _local.conn = psycopg2.connect(DSN)
    return conn


def _json(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return status, [*JSON_TYPE, *headers], json.dumps(payload).encode()


def _task_fields(row: tuple) -> dict[str, Any]:
    return dict(zip(TASK_KEYS, row))


def _task(row: tuple) -> dict[str, Any]:
    """A task as the API shows it (datetimes in ISO 8601)."""
    task = _task_fields(row)
    for name in ("due_date", "created_at", "updated_at"):
        if task[name] is not None:
            task[name] = task[name].isoformat()
    return task


def _active_user(cur, user_id: int) -> tuple:
    cur.execute(f"SELECT {USER_COLUMNS} FROM users WHERE users.id = %s", (user_id,))
    user = cur.fetchone()
    if user is None or not user[5]:
        raise HttpError(401, "The account does not exist or is not active.")
    return user


def _bearer_user(environ: dict, cur) -> tuple:
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer":
        raise HttpError(401, "Authentication is required.")
    try:
        claims = jwt.decode(token.strip(), SECRET, algorithms=["HS256"])
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError):
        raise HttpError(401, "The token is not valid.") from None
    if claims.get("type") != "access":
        raise HttpError(401, "The token is not valid.")
    cur.execute(
        f"SELECT {USER_COLUMNS}, EXISTS (SELECT * FROM revoked_access_tokens "
        "WHERE revoked_access_tokens.jti = %s) AS revoked FROM users WHERE users.id = %s",
        (claims.get("jti", ""), user_id),
    )
    row = cur.fetchone()
    if row is not None and row[-1]:
        raise HttpError(401, "The token has been revoked.")
    if row is None or not row[5]:
        raise HttpError(401, "The account does not exist or is not active.")
    return row[:-1]


def _session_user(environ: dict, cur) -> tuple:
    cookies = dict(part.strip().partition("=")[::2]
                   for part in environ.get("HTTP_COOKIE", "").split(";"))
    user_id, _, version = cookies.get("floor_user", "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        raise HttpError(401, "Log in first.")
    user = _active_user(cur, int(user_id))
    if user[6] != int(version):
        raise HttpError(401, "Log in first.")
    return user


def _list(cur, owner_id: int, query: dict[str, list[str]]) -> tuple[list[tuple], int, int, int]:
    """As taskweb's TaskRepository.list: count + page, or with `q` one statement whose
    rows carry the count (count(*) OVER ())."""
    where, args, limit, offset = list_query(query, owner_id)
    order = "ORDER BY tasks.created_at DESC, tasks.id DESC LIMIT %s OFFSET %s"
    if any(value.strip() for value in query.get("q", [])):
        cur.execute(f"SELECT {TASK_COLUMNS}, count(*) OVER () FROM tasks WHERE {where} {order}",
                    [*args, limit, offset])
        rows = cur.fetchall()
        total = rows[0][-1] if rows else 0  # the benchmark never pages past the end
        return [row[:-1] for row in rows], total, limit, offset
    cur.execute(f"SELECT count(*) FROM tasks WHERE {where}", args)
    total = cur.fetchone()[0]
    cur.execute(f"SELECT {TASK_COLUMNS} FROM tasks WHERE {where} {order}", [*args, limit, offset])
    return cur.fetchall(), total, limit, offset


def _etag(version: int) -> list[tuple[str, str]]:
    return [("ETag", f'"{version}"')]


def list_tasks(environ: dict, cur) -> Response:
    user = _bearer_user(environ, cur)
    rows, total, limit, offset = _list(cur, user[0], parse_qs(environ.get("QUERY_STRING", "")))
    return _json(200, {"items": [_task(row) for row in rows], "total": total, "limit": limit, "offset": offset})


def create_task(environ: dict, cur) -> Response:
    user = _bearer_user(environ, cur)
    fields = clean_task(json_body(environ), creating=True)
    now = datetime.now(timezone.utc)
    cur.execute(
        "INSERT INTO tasks (title, description, status, priority, due_date, owner_id, version, "
        f"created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, 1, %s, %s) "
        f"RETURNING {TASK_COLUMNS}, version",
        (fields["title"], fields.get("description"), fields.get("status", "todo"),
         fields.get("priority", "medium"), fields.get("due_date"), user[0], now, now),
    )
    row = cur.fetchone()
    cur.connection.commit()
    headers = [("Location", f"/api/v1/tasks/{row[0]}"), *_etag(row[9])]
    return _json(201, _task(row), headers)


def get_task(environ: dict, cur, task_id: int) -> Response:
    user = _bearer_user(environ, cur)
    cur.execute(f"SELECT {TASK_COLUMNS}, version FROM tasks "
                "WHERE tasks.id = %s AND tasks.owner_id = %s", (task_id, user[0]))
    row = cur.fetchone()
    if row is None:
        raise HttpError(404, f"Task {task_id} was not found.")
    return _json(200, _task(row), _etag(row[9]))


def update_task(environ: dict, cur, task_id: int) -> Response:
    user = _bearer_user(environ, cur)
    fields = clean_task(json_body(environ), creating=False)
    assignments = "".join(f"{name} = %s, " for name in fields)
    cur.execute(
        f"UPDATE tasks SET {assignments}version = version + 1, updated_at = %s "
        f"WHERE tasks.id = %s AND tasks.owner_id = %s RETURNING {TASK_COLUMNS}, version",
        (*fields.values(), datetime.now(timezone.utc), task_id, user[0]),
    )
    row = cur.fetchone()
    if row is None:
        raise HttpError(404, f"Task {task_id} was not found.")
    cur.connection.commit()
    return _json(200, _task(row), _etag(row[9]))


def tasks_page(environ: dict, cur) -> Response:
    """The full page, or the list fragment for htmx (``HX-Request: true``)."""
    user = _session_user(environ, cur)
    query = parse_qs(environ.get("QUERY_STRING", ""))
    rows, total, limit, offset = _list(cur, user[0], query)
    items = [_task_fields(row) for row in rows]
    # Stands for the CSRF token taskweb renders into every form.
    csrf = hmac.new(SECRET.encode(), str(user[0]).encode(), hashlib.sha256).hexdigest()
    fragment = floor_pages.list_fragment(items, total, limit, offset, csrf)
    if environ.get("HTTP_HX_REQUEST") == "true":
        return 200, HTML_TYPE, fragment.encode()
    page = floor_pages.full_page(fragment, user[2], query.get("q", [""])[-1], csrf)
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
    now = datetime.now(timezone.utc)
    refresh_jti, family = str(uuid.uuid4()), str(uuid.uuid4())
    cur.execute("INSERT INTO refresh_tokens (jti, user_id, family_id, expires_at, created_at) "
                "VALUES (%s, %s, %s, %s, %s)", (refresh_jti, user[0], family, now + REFRESH_LIFETIME, now))
    cur.connection.commit()
    return _json(200, {
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
    return _json(200, {"status": "ok", "database": "ok"})


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
        status, headers, body = _json(error.status, {"status": error.status, "detail": error.detail})
    except psycopg2.Error:
        conn.close()
        status, headers, body = _json(500, {"status": 500, "detail": "Database error."})
    finally:
        if not conn.closed:
            conn.rollback()
    start_response(f"{status} {'OK' if status < 400 else 'Error'}",
                   [*headers, ("Content-Length", str(len(body)))])
    return [body]

"""The floor: the work of each benchmark scenario with no framework, as a bare WSGI callable.

Served by the same gunicorn settings as taskweb (``gunicorn -c gunicorn.conf.py
bench.floor:app``), it does per request what taskweb must do at the least, so taskweb ÷
floor says what the framework layers cost:

* bearer requests: verify the JWT with PyJWT (HS256 pinned, ``type`` must be
  ``access``), then, like taskweb's Flask-JWT-Extended callbacks, one statement for the
  revoked-token check and one to load the user (who must be active);
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

SECRET = os.environ["JWT_SECRET_KEY"]
DSN = libpq_dsn(database_url())
ACCESS_LIFETIME = timedelta(minutes=30)
REFRESH_LIFETIME = timedelta(days=7)
TASK_COLUMNS = "id, title, description, status, priority, due_date, owner_id, created_at, updated_at"
USER_COLUMNS = ("id, email, username, full_name, hashed_password, is_active, session_version, "
                "created_at, updated_at")
TASK_KEYS = tuple(TASK_COLUMNS.split(", "))
STATUSES = frozenset({"todo", "in_progress", "completed"})
PRIORITIES = frozenset({"low", "medium", "high"})
TASK_FIELDS = frozenset({"title", "description", "status", "priority", "due_date"})
JSON_TYPE = [("Content-Type", "application/json")]
HTML_TYPE = [("Content-Type", "text/html; charset=utf-8")]

_local = threading.local()


class HttpError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


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
    cur.execute("SELECT EXISTS (SELECT * FROM revoked_access_tokens "
                "WHERE revoked_access_tokens.jti = %s)", (claims.get("jti", ""),))
    if cur.fetchone()[0]:
        raise HttpError(401, "The token has been revoked.")
    return _active_user(cur, user_id)


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


def _body(environ: dict) -> dict[str, Any]:
    if not environ.get("CONTENT_TYPE", "").startswith("application/json"):
        raise HttpError(415, "Send JSON.")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > 1 << 20:
        raise HttpError(413, "Too large.")
    try:
        body = json.loads(environ["wsgi.input"].read(length))
    except ValueError:
        raise HttpError(400, "Not JSON.") from None
    if not isinstance(body, dict):
        raise HttpError(422, "Expected an object.")
    return body


def _clean_task(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The checks taskweb's services make on a task's fields, briefly."""
    if set(body) - TASK_FIELDS or (creating and "title" not in body):
        raise HttpError(422, "Unknown or missing fields.")
    fields = dict(body)
    if "title" in fields:
        if not isinstance(fields["title"], str) or not 1 <= len(fields["title"].strip()) <= 200:
            raise HttpError(422, "Bad title.")
        fields["title"] = fields["title"].strip()
    description = fields.get("description")
    if description is not None and (not isinstance(description, str) or len(description) > 10_000):
        raise HttpError(422, "Bad description.")
    if fields.get("status", "todo") not in STATUSES or fields.get("priority", "low") not in PRIORITIES:
        raise HttpError(422, "Bad status or priority.")
    if fields.get("due_date") is not None:
        try:
            due = datetime.fromisoformat(fields["due_date"])
        except (TypeError, ValueError):
            raise HttpError(422, "Bad due_date.") from None
        fields["due_date"] = due if due.tzinfo else due.replace(tzinfo=timezone.utc)
    return fields


def _list_query(query: dict[str, list[str]], owner_id: int) -> tuple[str, list[Any], int, int]:
    """WHERE clause, its arguments, limit and offset, as taskweb's repository builds them."""
    where, args = ["tasks.owner_id = %s"], [owner_id]
    for name, allowed in (("status", STATUSES), ("priority", PRIORITIES)):
        values = [v for raw in query.get(name, []) for v in raw.split(",") if v]
        if set(values) - allowed:
            raise HttpError(422, f"Bad {name}.")
        if values:
            where.append(f"tasks.{name} IN ({', '.join(['%s'] * len(values))})")
            args.extend(values)
    text = query.get("q", [""])[-1].strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(tasks.title ILIKE %s ESCAPE '\\' OR tasks.description ILIKE %s ESCAPE '\\')")
        args.extend([pattern, pattern])
    try:
        limit = int(query.get("limit", ["20"])[-1])
        offset = int(query.get("offset", ["0"])[-1])
        if "page" in query and "offset" not in query:
            offset = (int(query["page"][-1]) - 1) * limit
    except ValueError:
        raise HttpError(422, "Bad limit or offset.") from None
    if not 1 <= limit <= 100 or offset < 0:
        raise HttpError(422, "Bad limit or offset.")
    return " AND ".join(where), args, limit, offset


def _list(cur, owner_id: int, query: dict[str, list[str]]) -> tuple[list[tuple], int, int, int]:
    where, args, limit, offset = _list_query(query, owner_id)
    cur.execute(f"SELECT count(*) FROM (SELECT {TASK_COLUMNS} FROM tasks WHERE {where}) AS anon_1",
                args)
    total = cur.fetchone()[0]
    cur.execute(f"SELECT {TASK_COLUMNS} FROM tasks WHERE {where} "
                "ORDER BY tasks.created_at DESC, tasks.id DESC LIMIT %s OFFSET %s",
                [*args, limit, offset])
    return cur.fetchall(), total, limit, offset


def _etag(version: int) -> list[tuple[str, str]]:
    return [("ETag", f'"{version}"')]


def list_tasks(environ: dict, cur) -> Response:
    user = _bearer_user(environ, cur)
    rows, total, limit, offset = _list(cur, user[0], parse_qs(environ.get("QUERY_STRING", "")))
    return _json(200, {"items": [_task(row) for row in rows], "total": total, "limit": limit, "offset": offset})


def create_task(environ: dict, cur) -> Response:
    user = _bearer_user(environ, cur)
    fields = _clean_task(_body(environ), creating=True)
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
    fields = _clean_task(_body(environ), creating=False)
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
    body = _body(environ)
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

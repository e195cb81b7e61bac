"""What every route of the floor shares: the task row as taskweb's repository reads it,
the caller's authentication (a bearer token or a browser session, one statement each, as
taskweb's), and the answers (bench/floor.py has the routes; bench/floor_extra.py and
bench/floor_replay.py more of them)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import jwt

from bench.floor_input import HttpError

SECRET = os.environ["JWT_SECRET_KEY"]
USER_COLUMNS = ("users.id, users.email, users.username, users.full_name, users.hashed_password, "
                "users.is_active, users.session_version, users.email_skeleton, "
                "users.username_skeleton, users.time_zone, users.created_at, users.updated_at")
# A task row as taskweb's repository reads it: the columns, the caller's role in its
# project and its subtasks' progress (ROW_* are the positions of what the floor uses).
TASK_COLUMNS = ("tasks.id, tasks.title, tasks.description, tasks.status, tasks.priority, "
                "tasks.due_date, tasks.owner_id, tasks.project_id, tasks.parent_id, "
                "tasks.assignee_id, tasks.completed_at, tasks.position, tasks.version, "
                "tasks.created_at, tasks.updated_at")
SUBTASKS = ("(SELECT count(*) FROM tasks AS subtasks WHERE subtasks.parent_id = tasks.id "
            "AND subtasks.deleted_at IS NULL), "
            "(SELECT count(*) FROM tasks AS subtasks WHERE subtasks.parent_id = tasks.id "
            "AND subtasks.deleted_at IS NULL AND subtasks.status = 'completed')")
# The labels (in their order) and the reminders ride on the row, as in taskweb's
# Task.label_text and Task.reminder_times.
ON_THE_ROW = ("(SELECT string_agg(ordered.name, ',') FROM (SELECT task_labels.name FROM "
              "task_labels WHERE task_labels.task_id = tasks.id ORDER BY task_labels.position) "
              "AS ordered), (SELECT string_agg(to_char(reminders.remind_at AT TIME ZONE 'UTC', "
              "'YYYY-MM-DD HH24:MI:SS.US'), ',') FROM reminders WHERE reminders.task_id = tasks.id)")
SEEN = f"{TASK_COLUMNS}, memberships.role, {SUBTASKS}, {ON_THE_ROW}"
VISIBLE = ("FROM tasks JOIN memberships ON memberships.project_id = tasks.project_id "
           "AND memberships.user_id = %s AND tasks.deleted_at IS NULL")
(ROW_ID, ROW_TITLE, ROW_DESCRIPTION, ROW_STATUS, ROW_PRIORITY, ROW_DUE, ROW_OWNER,
 ROW_PROJECT, ROW_PARENT, ROW_ASSIGNEE, ROW_COMPLETED_AT, ROW_POSITION, ROW_VERSION,
 ROW_CREATED, ROW_UPDATED, ROW_ROLE, ROW_SUBTASKS, ROW_SUBTASKS_DONE, ROW_LABELS,
 ROW_REMINDERS) = range(20)
EDITING_ROLES = "('owner', 'editor')"
JSON_TYPE = [("Content-Type", "application/json")]
HTML_TYPE = [("Content-Type", "text/html; charset=utf-8")]



Response = tuple[int, list[tuple[str, str]], bytes]


def json_response(status: int, payload: Any, headers: Iterable[tuple[str, str]] = ()) -> Response:
    return status, [*JSON_TYPE, *headers], json.dumps(payload).encode()


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def task_json(row: tuple, labels: list[str]) -> dict[str, Any]:
    """A task as taskweb's API shows it (same fields, same order; datetimes in ISO 8601)."""
    return {
        "id": row[ROW_ID],
        "title": row[ROW_TITLE],
        "description": row[ROW_DESCRIPTION],
        "status": row[ROW_STATUS],
        "priority": row[ROW_PRIORITY],
        "due_date": iso(row[ROW_DUE]),
        "owner_id": row[ROW_OWNER],
        "created_by": row[ROW_OWNER],
        "project_id": row[ROW_PROJECT],
        "labels": labels,
        "parent_id": row[ROW_PARENT],
        "assignee_id": row[ROW_ASSIGNEE],
        "position": row[ROW_POSITION],
        "completed_at": iso(row[ROW_COMPLETED_AT]),
        "subtasks": {"total": row[ROW_SUBTASKS], "completed": row[ROW_SUBTASKS_DONE]},
        "reminders": [f"{moment.replace(' ', 'T')}Z" for moment in
                      sorted((row[ROW_REMINDERS] or "").split(",")) if moment],
        "created_at": iso(row[ROW_CREATED]),
        "updated_at": iso(row[ROW_UPDATED]),
    }


def page_item(row: tuple) -> dict[str, Any]:
    """What a row of the tasks page shows."""
    return {"id": row[ROW_ID], "title": row[ROW_TITLE], "description": row[ROW_DESCRIPTION],
            "status": row[ROW_STATUS], "priority": row[ROW_PRIORITY], "due_date": row[ROW_DUE],
            "project_id": row[ROW_PROJECT]}


def labels_of(_cur, rows: list[tuple]) -> dict[int, list[str]]:
    """The labels of the tasks read, from their rows (no statement, as in taskweb)."""
    return {row[ROW_ID]: row[ROW_LABELS].split(",") if row[ROW_LABELS] else [] for row in rows}


def bearer_user(environ: dict, cur) -> tuple:
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


def session_user(environ: dict, cur) -> tuple:
    cookies = dict(part.strip().partition("=")[::2]
                   for part in environ.get("HTTP_COOKIE", "").split(";"))
    user_id, version, session_id = (cookies.get("floor_user", "").split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and session_id):
        raise HttpError(401, "Log in first.")
    cur.execute(
        f"SELECT {USER_COLUMNS}, EXISTS (SELECT * FROM browser_sessions "
        "WHERE browser_sessions.id_hash = %s AND browser_sessions.user_id = users.id "
        "AND browser_sessions.revoked_at IS NULL) AS active FROM users WHERE users.id = %s",
        (hashlib.sha256(session_id.encode()).hexdigest(), int(user_id)),
    )
    row = cur.fetchone()
    if row is None or not row[-1] or not row[5] or row[6] != int(version):
        raise HttpError(401, "Log in first.")
    return row[:-1]

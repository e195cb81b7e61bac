"""The floor's side of issue 15's scenarios: the project list, the bell's poll and a
bulk action, each with the SQL taskweb sends for it (bench/statements.py counts both).

bench/floor.py adds ``ROUTES`` to its own; the helpers (the bearer and session checks, the
task row, JSON) are bench/floor_base.py's.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from bench.floor_base import (
    HTML_TYPE,
    JSON_TYPE,
    ROW_ID,
    ROW_ROLE,
    SEEN,
    VISIBLE,
    Response,
    bearer_user,
    iso,
    json_response,
    labels_of,
    session_user,
    task_json,
)
from bench.floor_input import HttpError, json_body

PRIORITIES = {"low", "medium", "high"}
MEMBER = "JOIN memberships ON memberships.project_id = projects.id AND memberships.user_id = %s"


def list_projects(environ: dict, cur) -> Response:
    """As taskweb's API project list: a count, then the page with the caller's role, the
    member count and the open-task count of each project (Inbox first, then by name)."""
    user = bearer_user(environ, cur)
    cur.execute(f"SELECT count(*) FROM projects {MEMBER} WHERE NOT projects.archived",
                (user[0],))
    total = cur.fetchone()[0]
    cur.execute(
        "SELECT projects.id, projects.name, projects.description, projects.color, "
        "projects.is_inbox, projects.archived, projects.owner_id, memberships.role, "
        "(SELECT count(*) FROM memberships AS members WHERE members.project_id = projects.id), "
        "(SELECT count(*) FROM tasks WHERE tasks.project_id = projects.id AND "
        "tasks.status != 'completed' AND tasks.deleted_at IS NULL), projects.created_at, "
        f"projects.updated_at FROM projects {MEMBER} WHERE NOT projects.archived "
        "ORDER BY projects.is_inbox DESC, lower(projects.name), projects.id LIMIT 20 OFFSET 0",
        (user[0],))
    keys = ("id", "name", "description", "color", "is_inbox", "archived", "owner_id", "role",
            "member_count", "open_task_count", "created_at", "updated_at")
    items = [{key: iso(value) if isinstance(value, datetime) else value
              for key, value in zip(keys, row, strict=True)} for row in cur.fetchall()]
    return json_response(200, {"items": items, "total": total, "limit": 20, "offset": 0})


def bell(environ: dict, cur) -> Response:
    """The notifications bell's poll: the unread count and the newest unread id in one
    statement make the ETag; a 304 while it matches ``If-None-Match``."""
    user = session_user(environ, cur)
    cur.execute("SELECT count(*), coalesce(max(notifications.id), 0) FROM notifications "
                "WHERE notifications.user_id = %s AND notifications.read_at IS NULL", (user[0],))
    count, newest = cur.fetchone()
    etag = f'"bell-{count}-{newest}"'
    headers = [("ETag", etag), ("Cache-Control", "private, no-cache"),
               ("Vary", "Cookie, HX-Request")]
    if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
        return 304, headers, b""
    label = f"{count} unread" if count else "No unread notifications"
    body = f'<a class="bell" href="/notifications">{label}</a>'.encode()
    return 200, [*HTML_TYPE, *headers], body


def bulk(environ: dict, cur) -> Response:
    """``set_priority`` on up to 100 tasks, all or none, as taskweb's bulk action: lock
    the tasks the caller sees (and read their label rows, as taskweb's lock does), refuse
    unless every one is there and editable, one UPDATE, then read them as they are now."""
    user = bearer_user(environ, cur)
    body = json_body(environ)
    ids, value = body.get("ids"), body.get("value")
    if (body.get("action") != "set_priority" or value not in PRIORITIES
            or not isinstance(ids, list) or not 1 <= len(ids) <= 100
            or not all(isinstance(task_id, int) for task_id in ids)):
        raise HttpError(422, "Bad bulk request.")
    marks = ", ".join(["%s"] * len(ids))
    cur.execute(f"SELECT {SEEN} {VISIBLE} WHERE tasks.id IN ({marks}) "
                "ORDER BY tasks.id FOR UPDATE OF tasks", (user[0], *ids))
    locked = cur.fetchall()
    cur.execute("SELECT task_labels.task_id, task_labels.key, task_labels.name, "
                f"task_labels.position FROM task_labels WHERE task_labels.task_id IN ({marks}) "
                "ORDER BY task_labels.position", ids)
    cur.fetchall()
    if len(locked) != len(set(ids)):
        raise HttpError(404, "No task you can see has these ids.")
    if any(row[ROW_ROLE] not in ("owner", "editor") for row in locked):
        raise HttpError(403, "You may only view some of these tasks.")
    now = datetime.now(UTC)
    cur.execute(f"UPDATE tasks SET priority = %s, version = tasks.version + 1, updated_at = %s "
                f"WHERE tasks.id IN ({marks})", (value, now, *ids))
    cur.execute(f"SELECT {SEEN} {VISIBLE} WHERE tasks.id IN ({marks}) "
                "ORDER BY tasks.id", (user[0], *ids))
    rows = cur.fetchall()
    cur.connection.commit()
    labels = labels_of(cur, rows)
    items: list[dict[str, Any]] = [task_json(row, labels[row[ROW_ID]]) for row in rows]
    return 200, JSON_TYPE, json.dumps({"items": items}).encode()


ROUTES = {
    ("GET", "/api/v1/projects"): list_projects,
    ("GET", "/notifications/bell"): bell,
    ("POST", "/api/v1/tasks/bulk"): bulk,
}

"""The floor's request parsing: JSON bodies, task fields and list parameters.

The checks are those taskweb's services make, kept brief: the floor must do the same
work, not the same error messages. Tasks take the fields the scenarios send (not
project_id, labels, parent_id or assignee_id, which need checks against the database).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

STATUSES = frozenset({"todo", "in_progress", "completed"})
PRIORITIES = frozenset({"low", "medium", "high"})
TASK_FIELDS = frozenset({"title", "description", "status", "priority", "due_date"})


class HttpError(Exception):
    def __init__(self, status: int, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def json_body(environ: dict) -> dict[str, Any]:
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


def clean_task(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
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


def list_query(query: dict[str, list[str]]) -> tuple[list[str], list[Any], int, int]:
    """The filters' conditions (the list's scope is the join on the caller's memberships),
    their arguments, limit and offset, as taskweb's repository builds them."""
    where: list[str] = []
    args: list[Any] = []
    for name, allowed in (("status", STATUSES), ("priority", PRIORITIES)):
        values = [v for raw in query.get(name, []) for v in raw.split(",") if v]
        if set(values) - allowed:
            raise HttpError(422, f"Bad {name}.")
        if values:
            where.append(f"tasks.{name} IN ({', '.join(['%s'] * len(values))})")
            args.extend(values)
    projects = [raw for value in query.get("project_id", []) for raw in value.split(",") if raw]
    if projects:
        if not all(raw.isdigit() for raw in projects):
            raise HttpError(422, "Bad project_id.")
        where.append(f"tasks.project_id IN ({', '.join(['%s'] * len(projects))})")
        args.extend(int(raw) for raw in projects)
    text = query.get("q", [""])[-1].strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        # taskweb's match (repositories/tasks.py _text_matches): lower() LIKE lower().
        where.append("(lower(tasks.title) LIKE lower(%s) ESCAPE '\\' "
                     "OR lower(tasks.description) LIKE lower(%s) ESCAPE '\\')")
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
    return where, args, limit, offset

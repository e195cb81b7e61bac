"""/api/v1/tasks: the token user's tasks. Another user's task is a 404, never a 403."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb import rules
from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.schemas import TaskCreateSchema, TaskPageSchema, TaskSchema, TaskWriteSchema
from taskweb.api.serializers import json_response, page_json, task_json
from taskweb.errors import PreconditionFailed
from taskweb.models import Task, TaskPriority, TaskStatus
from taskweb.services import task_service
from taskweb.services.task_query import SORT_CHOICES, parse_task_query
from taskweb.services.tasks import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="Your tasks.")


def _query_parameter(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict:
    return {"in": "query", "name": name, "required": False, "schema": schema,
            "description": description, **extra}


def _list_of(enum_class: type) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string", "enum": [m.value for m in enum_class]}}


LIST_PARAMETERS = [
    _query_parameter("status", _list_of(TaskStatus),
                     "One value, a comma-separated list, or the parameter repeated.",
                     style="form", explode=True),
    _query_parameter("priority", _list_of(TaskPriority),
                     "One value, a comma-separated list, or the parameter repeated.",
                     style="form", explode=True),
    _query_parameter("due_before", {"type": "string", "format": "date-time"},
                     "Inclusive upper bound on due_date; a naive datetime is UTC."),
    _query_parameter("due_after", {"type": "string", "format": "date-time"},
                     "Inclusive lower bound on due_date; a naive datetime is UTC."),
    _query_parameter("q", {"type": "string", "maxLength": rules.SEARCH_MAX},
                     "Case-insensitive text search in title and description."),
    _query_parameter("sort", {"type": "string", "enum": list(SORT_CHOICES),
                              "default": "-created_at"},
                     "Prefix `-` for descending; ties broken by id. Priority sorts by rank "
                     "(low < medium < high), status in workflow order (todo < in_progress "
                     "< completed); tasks without a due date sort last in both directions."),
    _query_parameter("limit", {"type": "integer", "minimum": rules.PAGE_LIMIT_MIN,
                               "maximum": rules.PAGE_LIMIT_MAX,
                               "default": rules.PAGE_LIMIT_DEFAULT}, "Page size."),
    _query_parameter("offset", {"type": "integer", "minimum": 0, "maximum": rules.OFFSET_MAX,
                                "default": 0}, "Tasks to skip."),
]
IF_MATCH = {
    "in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
    "description": "The task's `ETag`; if it no longer matches, the write is refused with 412.",
}
IDEMPOTENCY_KEY = {
    "in": "header", "name": IDEMPOTENCY_HEADER, "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
    "description": "Makes the create safe to retry: the same key (per user, kept 24 hours) "
    "returns the task created first, with `Idempotent-Replayed: true`. The same key with "
    "another body is refused with 422.",
}
ETAG_HEADER = {"ETag": {"description": "The task's version.", "schema": {"type": "string"}}}


def etag_of(task: Task) -> str:
    return f'"{task.version}"'


def expected_version() -> int | None:
    """The version named by If-Match, None when absent or `*`; 412 when unusable."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    value = header.split(",")[0].strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailed("If-Match does not name a version of this task.")
    return int(value)


def _with_etag(task: Task, status: int = 200, **headers: str) -> Response:
    return json_response(task_json(task), status, {"ETag": etag_of(task), **headers})


@blp.route("/")
class TaskCollection(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=LIST_PARAMETERS)
    @blp.response(200, TaskPageSchema)
    @documents_problems(blp, 422)
    def get(self):
        """List your tasks: filters, text search, sort and pagination."""
        query = parse_task_query(request.args.to_dict(flat=False))
        return json_response(page_json(task_service().list(current_user, query)))

    @bearer_protected(blp)
    @blp.doc(parameters=[IDEMPOTENCY_KEY])
    @blp.arguments(TaskCreateSchema)
    @blp.response(201, TaskSchema, headers={
        "Location": {"description": "URL of the new task.", "schema": {"type": "string"}},
        **ETAG_HEADER,
    })
    @documents_problems(blp, 400, 413, 415, 422)
    def post(self, body: dict[str, Any]):
        """Create a task. With `Idempotency-Key`, a retry returns the first task."""
        key = request.headers.get(IDEMPOTENCY_HEADER)
        headers: dict[str, str] = {}
        if key is None:
            task = task_service().create(current_user, body)
        else:
            task, replayed = task_service().create_idempotent(current_user, body, key)
            headers["Idempotent-Replayed"] = "true" if replayed else "false"
        location = url_for("tasks.TaskItem", task_id=task.id)
        return _with_etag(task, 201, Location=location, **headers)


@blp.route("/<int:task_id>")
class TaskItem(MethodView):
    @bearer_protected(blp)
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @documents_problems(blp, 404)
    def get(self, task_id: int):
        """One of your tasks."""
        return _with_etag(task_service().get(current_user, task_id))

    @bearer_protected(blp)
    @blp.doc(parameters=[IF_MATCH])
    @blp.arguments(TaskWriteSchema)
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @documents_problems(blp, 400, 404, 412, 413, 415, 422)
    def put(self, body: dict[str, Any], task_id: int):
        """Update a task; omitted fields are unchanged."""
        return self._update(body, task_id)

    @bearer_protected(blp)
    @blp.doc(parameters=[IF_MATCH])
    @blp.arguments(TaskWriteSchema)
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @documents_problems(blp, 400, 404, 412, 413, 415, 422)
    def patch(self, body: dict[str, Any], task_id: int):
        """Update some fields of a task (same body as PUT)."""
        return self._update(body, task_id)

    @bearer_protected(blp)
    @blp.doc(parameters=[IF_MATCH])
    @blp.response(204)
    @documents_problems(blp, 404, 412)
    def delete(self, task_id: int):
        """Delete a task."""
        task_service().delete(current_user, task_id, expected_version())

    @staticmethod
    def _update(body: dict[str, Any], task_id: int):
        task = task_service().update(current_user, task_id, body, expected_version())
        return _with_etag(task)

"""/api/v1/tasks: the token user's tasks. Another user's task is a 404, never a 403."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb import rules
from taskweb.api.docs import bearer_protected, documents_problems, paging_parameters
from taskweb.api.schemas import (
    TaskCreateSchema,
    TaskPageSchema,
    TaskSchema,
    TaskWriteSchema,
)
from taskweb.api.serializers import json_response
from taskweb.domain.filter_grammar import FILTER_EXAMPLE, FILTER_MAX
from taskweb.domain.task_json import page_json, task_json
from taskweb.domain.task_query import (
    DEFAULT_SORT,
    FILTERS,
    SORT_CHOICES,
    SORT_DESCRIPTION,
    Filter,
    FilterKind,
)
from taskweb.models import Task
from taskweb.services.task_query import parse_task_query
from taskweb.services.tasks import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX
from taskweb.wiring import task_service

blp = Blueprint("tasks", __name__, url_prefix="/api/v1/tasks", description="Your tasks.")


def _query_parameter(name: str, schema: dict[str, Any], description: str, **extra: Any) -> dict:
    return {"in": "query", "name": name, "required": False, "schema": schema,
            "description": description, **extra}


def _filter_parameter(spec: Filter) -> dict[str, Any]:
    """The OpenAPI description of one filter of the list."""
    if spec.kind is FilterKind.ENUM_LIST:
        assert spec.choices is not None
        values = [member.value for member in spec.choices]
        schema = {"type": "array", "items": {"type": "string", "enum": values}}
        return _query_parameter(spec.parameter, schema, spec.description,
                                style="form", explode=True)
    if spec.kind is FilterKind.IDS:
        schema = {"type": "array", "items": {"type": "integer", "minimum": 1}}
        return _query_parameter(spec.parameter, schema, spec.description,
                                style="form", explode=True)
    if spec.kind is FilterKind.LABELS:
        schema = {"type": "array", "items": {"type": "string", "minLength": 1,
                                             "maxLength": rules.LABEL_MAX,
                                             "pattern": r"^[^\s,]+$"}}
        return _query_parameter(spec.parameter, schema, spec.description,
                                style="form", explode=True)
    if spec.kind is FilterKind.ASSIGNEE:
        schema = {"type": "string", "pattern": "^(me|none|[1-9][0-9]{0,9})$"}
    elif spec.kind is FilterKind.PARENT:
        schema = {"type": "string", "pattern": "^(none|[1-9][0-9]{0,9})$"}
    elif spec.kind is FilterKind.DATETIME:
        schema = {"type": "string", "format": "date-time"}
    elif spec.kind is FilterKind.EXPRESSION:
        schema = {"type": "string", "maxLength": FILTER_MAX, "pattern": rules.TEXT_PATTERN,
                  "example": FILTER_EXAMPLE}
    else:
        schema = {"type": "string", "maxLength": rules.SEARCH_MAX, "pattern": rules.TEXT_PATTERN}
    return _query_parameter(spec.parameter, schema, spec.description)


LIST_PARAMETERS = [
    *(_filter_parameter(spec) for spec in FILTERS),
    _query_parameter("sort", {"type": "string", "enum": list(SORT_CHOICES),
                              "default": DEFAULT_SORT}, SORT_DESCRIPTION),
    *paging_parameters("Tasks"),
]
# One or more quoted entity tags, comma-separated (weak ones allowed but never matching), or *.
_ENTITY_TAG = r'(W/)?"[^"]*"'
IF_MATCH = {
    "in": "header", "name": "If-Match", "required": False,
    "schema": {"type": "string", "example": '"3"',
               "pattern": rf"^\s*(\*|{_ENTITY_TAG}(\s*,\s*{_ENTITY_TAG})*)\s*$"},
    "description": "One or more of the task's `ETag`s (or `*`); if none is the current one, "
    "the write is refused with 412. Weak tags (`W/`) never match, as RFC 9110 says.",
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


def expected_versions() -> frozenset[int] | None:
    """The versions ``If-Match`` accepts; None when it is absent or ``*``.

    Werkzeug parses the list; an If-Match compares strongly, so weak tags are left out
    and a header naming no version of ours accepts none (412).
    """
    condition = request.if_match
    if not condition or condition.star_tag:
        return None
    return frozenset(
        int(tag) for tag in condition.as_set() if tag and tag.isascii() and tag.isdigit()
    )


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
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
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
    @documents_problems(blp, 400, 403, 404, 412, 413, 415, 422)
    def put(self, body: dict[str, Any], task_id: int):
        """Update a task; omitted fields are unchanged."""
        return self._update(body, task_id)

    @bearer_protected(blp)
    @blp.doc(parameters=[IF_MATCH])
    @blp.arguments(TaskWriteSchema)
    @blp.response(200, TaskSchema, headers=ETAG_HEADER)
    @documents_problems(blp, 400, 403, 404, 412, 413, 415, 422)
    def patch(self, body: dict[str, Any], task_id: int):
        """Update some fields of a task (same body as PUT)."""
        return self._update(body, task_id)

    @bearer_protected(blp)
    @blp.doc(parameters=[IF_MATCH])
    @blp.response(204)
    @documents_problems(blp, 403, 404, 412)
    def delete(self, task_id: int):
        """Delete a task."""
        task_service().delete(current_user, task_id, expected_versions())

    @staticmethod
    def _update(body: dict[str, Any], task_id: int):
        task = task_service().update(current_user, task_id, body, expected_versions())
        return _with_etag(task)

"""GET /api/v1/tasks/{id}/history: who created, changed, completed, moved, deleted or
restored a task, and when."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems, paging_parameters
from taskweb.api.serializers import json_response
from taskweb.models import TaskEventKind
from taskweb.repositories.history import HistoryEntry
from taskweb.services.history import HistoryPage
from taskweb.services.task_query import parse_page
from taskweb.wiring import history_service

blp = Blueprint("task_history", __name__, url_prefix="/api/v1/tasks",
                description="What happened to a task, newest first.")


class TaskEventSchema(Schema):
    at = fields.AwareDateTime(required=True, metadata={"description": "When it happened."})
    user_id = fields.Integer(required=True, allow_none=True, metadata={
        "description": "Who did it (null once that account is deleted)."})
    kind = fields.String(required=True, metadata={
        "enum": [kind.value for kind in TaskEventKind],
        "description": "`completed` is also recorded when a repeating task advances to its "
                       "next occurrence instead of being completed."})
    changes = fields.Dict(keys=fields.String(), values=fields.List(fields.Raw()),
                          required=True, metadata={
        "description": "`{field: [old, new]}` for each field the write changed (title, "
                       "description, status, priority, due_date, project_id, labels, "
                       "parent_id, assignee_id, recurrence); `{}` for created, deleted "
                       "and restored."})


class TaskHistorySchema(Schema):
    items = fields.List(fields.Nested(TaskEventSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Events of the task."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


def event_json(entry: HistoryEntry) -> dict[str, Any]:
    event = entry.event
    return {"at": event.at, "user_id": event.user_id, "kind": event.kind.value,
            "changes": event.changes}


def history_json(page: HistoryPage) -> dict[str, Any]:
    return {"items": [event_json(entry) for entry in page.items], "total": page.total,
            "limit": page.limit, "offset": page.offset}


@blp.route("/<int:task_id>/history")
class TaskHistory(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=paging_parameters("Events"))
    @blp.response(200, TaskHistorySchema)
    @documents_problems(blp, 404, 422)
    def get(self, task_id: int):
        """A task's history, newest first: its creation, each change (with the fields
        changed, old and new), completions, moves to another project, deletion and
        restoration, each with who and when. Any member of the task's project may read
        it, viewers too; a task in the trash answers 404, as for other reads."""
        limit, offset = parse_page(request.args.to_dict(flat=False))
        return json_response(history_json(history_service().page(current_user, task_id,
                                                                 limit, offset)))

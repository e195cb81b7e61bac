"""/api/v1/trash: deleted tasks, restored with their id or deleted for good."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems, paging_parameters
from taskweb.api.request_checks import body_optional
from taskweb.api.schemas import TaskSchema
from taskweb.api.serializers import json_response
from taskweb.api.tasks import etag_of
from taskweb.domain.task_json import task_json
from taskweb.models import Task
from taskweb.services.task_query import parse_page
from taskweb.services.trash import TRASH_RETENTION, TrashPage
from taskweb.wiring import trash_service

blp = Blueprint(
    "trash", __name__, url_prefix="/api/v1/trash",
    description="Deleted tasks, kept "
    f"{TRASH_RETENTION.days} days: `DELETE /api/v1/tasks/{{id}}` moves a task here with "
    "its subtasks. Only the projects you may edit (owner, editor) have a trash for you; "
    "a viewer gets 403 on a restore or delete of one of its tasks, a non-member 404.",
)


class TrashedTaskSchema(TaskSchema):
    deleted_at = fields.AwareDateTime(required=True, metadata={
        "description": "When it went to the trash (its subtasks share the instant)."})


class TrashPageSchema(Schema):
    items = fields.List(fields.Nested(TrashedTaskSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Tasks in the trash."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


PAGE_PARAMETERS = paging_parameters("Tasks")
TASK_ID = {"in": "path", "name": "task_id", "required": True,
           "schema": {"type": "integer", "minimum": 1}, "description": "The task's id."}


def trashed_task_json(task: Task) -> dict[str, Any]:
    return {**task_json(task), "deleted_at": task.deleted_at}


def trash_page_json(page: TrashPage) -> dict[str, Any]:
    return {"items": [trashed_task_json(task) for task in page.items], "total": page.total,
            "limit": page.limit, "offset": page.offset}


@blp.route("/")
class TrashCollection(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=PAGE_PARAMETERS)
    @blp.response(200, TrashPageSchema)
    @documents_problems(blp, 422)
    def get(self):
        """The trash of the projects you may edit, newest deletion first. A subtask that
        went to the trash with its parent is not listed on its own: the parent's entry
        (its `subtasks.total`) stands for it."""
        limit, offset = parse_page(request.args.to_dict(flat=False))
        return json_response(trash_page_json(trash_service().list(current_user, limit, offset)))

    @bearer_protected(blp)
    @blp.response(204)
    def delete(self):
        """Empty the trash of every project you may edit: those tasks are gone for good.
        The trash of projects you only view is left alone."""
        trash_service().empty(current_user)


@blp.route("/<int:task_id>", parameters=[TASK_ID])
class TrashItem(MethodView):
    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 403, 404)
    def delete(self, task_id: int):
        """Delete a task of the trash for good, with its subtasks. 404 if the task is
        not in the trash (delete it first) or not in a project you belong to."""
        trash_service().delete_forever(current_user, task_id)


@blp.route("/<int:task_id>/restore", parameters=[TASK_ID])
class TrashRestore(MethodView):
    @bearer_protected(blp)
    @blp.response(200, TaskSchema, headers={
        "ETag": {"description": "The task's version.", "schema": {"type": "string"}}})
    @documents_problems(blp, 403, 404)
    @body_optional
    def post(self, task_id: int):
        """Bring a task back from the trash: the same id, `created_at`, labels, and the
        subtasks that went to the trash with it (a subtask deleted on its own earlier
        stays there). Restoring a subtask whose parent is in the trash brings the parent
        back too. A project's deletion deletes its tasks for good, so a task in the trash
        always has its project."""
        task = trash_service().restore(current_user, task_id)
        return json_response(task_json(task), 200, {"ETag": etag_of(task)})

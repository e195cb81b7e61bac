"""/api/v1/sync: what changed since the client's cursor, for programs that keep a copy."""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.project_schemas import ProjectSchema
from taskweb.api.schemas import TaskSchema
from taskweb.api.serializers import json_response
from taskweb.domain.sync import PAGE_SIZE
from taskweb.domain.task_json import task_json
from taskweb.services.sync import CURSOR_FIELD, SyncPage
from taskweb.wiring import sync_service

blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync",
                description="Changes since a cursor, each once and in order, for clients "
                "that keep a copy of your tasks and projects.")

SINCE = {
    "in": "query", "name": CURSOR_FIELD, "required": False,
    "schema": {"type": "string", "maxLength": 64},
    "description": "The `cursor` of the previous answer, sent back as it was (it is "
    "opaque). Omitted or empty: everything you can see. A cursor this server did not "
    "hand out, or one ahead of its changes (a database restored from an older backup), "
    "is refused with 422 naming `since`: start over without one.",
}


class DeletedSchema(Schema):
    tasks = fields.List(fields.Integer(), required=True, metadata={
        "description": "Tasks deleted, put in the trash, or out of your sight (moved to a "
                       "project you are not in, or you left or were removed from theirs)."})
    projects = fields.List(fields.Integer(), required=True, metadata={
        "description": "Projects deleted, or that you left or were removed from."})


class SyncPageSchema(Schema):
    cursor = fields.String(required=True, metadata={
        "description": "Send it back as `since` for the changes after this page."})
    tasks = fields.List(fields.Nested(TaskSchema), required=True, metadata={
        "description": "Tasks created, changed, restored from the trash or newly shared "
                       "with you, as `GET /api/v1/tasks/{id}` shows them now."})
    projects = fields.List(fields.Nested(ProjectSchema), required=True, metadata={
        "description": "Projects created, changed or newly shared with you (or whose "
                       "role for you changed), as `GET /api/v1/projects/{id}` shows them. "
                       "`member_count` and `open_task_count` are as of that change: a "
                       "change of the counts alone is not a change of the project (count "
                       "the synced tasks instead)."})
    deleted = fields.Nested(DeletedSchema, required=True)
    has_more = fields.Boolean(required=True, metadata={
        "description": f"More changes wait: ask again with `cursor` at once. A page "
                       f"holds at most {PAGE_SIZE} changes."})


def sync_json(page: SyncPage) -> dict:
    return {
        "cursor": page.cursor,
        "tasks": [task_json(task) for task in page.tasks],
        "projects": ProjectSchema(many=True).dump(page.projects),
        "deleted": {"tasks": page.deleted_tasks, "projects": page.deleted_projects},
        "has_more": page.has_more,
    }


@blp.route("")
class SyncFeed(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=[SINCE])
    @blp.response(200, SyncPageSchema)
    @documents_problems(blp, 403, 422)
    def get(self):
        """Everything you can see that changed after `since`, oldest change first.

        Each object a page touches appears once, in its state now. Store `cursor` only
        once the page is applied; while `has_more` is true, ask again at once.
        """
        page = sync_service().changes(current_user, request.args.get(CURSOR_FIELD))
        return json_response(sync_json(page))

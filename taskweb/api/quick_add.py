"""POST /api/v1/tasks/quick: a task from one line of text, or a preview of it."""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.schemas import (
    RECURRENCE_DESCRIPTION,
    Described,
    StrictSchema,
    TaskSchema,
    _text,
)
from taskweb.api.serializers import json_response
from taskweb.api.tasks import ETAG_HEADER, IDEMPOTENCY_KEY, etag_of
from taskweb.domain.task_json import task_json
from taskweb.errors import ValidationFailed
from taskweb.services.quick_add import QUICK_ADD_TEXT_MAX, QuickAddPlan
from taskweb.services.tasks import IDEMPOTENCY_HEADER
from taskweb.wiring import quick_add_service

blp = Blueprint("quick_add", __name__, url_prefix="/api/v1/tasks",
                description="Quick add: a task from one line of text.")

TEXT_DESCRIPTION = (
    "One line: the title plus any of `!high` `!medium` `!low` (`!1`–`!3`), `#Project` or "
    '`#"Two words"` (a project you may edit, case-insensitive), `@label`, a due date '
    "(`today`, `tonight`, `tomorrow`, `friday`, `next monday`, `in 3 days`, `in 2 weeks`, "
    "`dec 5`, `5 december`, `2026-12-05`) with an optional time (`5pm`, `17:00`, `at 9`, "
    "`noon`) read in your time zone, and `every day|weekday|monday|2 weeks|month|year|1st`. "
    "Text in double quotes is kept literally (the quotes dropped). A date without a year "
    "is never in the past; a weekday name is today while its time is still ahead, else "
    "next week. When several dates are written the last counts. Anything wrong with the "
    "text, an unknown `#Project` included, is a 422 on `errors.text`."
)
PREVIEW_PARAMETER = {
    "in": "query", "name": "preview", "required": False,
    "schema": {"type": "string", "enum": ["true", "false"], "default": "false"},
    "description": "`true`: answer 200 with what would be created, writing nothing.",
}


class QuickAddSchema(StrictSchema):
    text = _text(required=True, minLength=1, maxLength=QUICK_ADD_TEXT_MAX,
                 description=TEXT_DESCRIPTION)
    project_id = Described(nullable=True, type="integer", minimum=1,
                           description="The project when the text names none (default: "
                           "your Inbox); a `#Project` in the text wins.")


class QuickAddPreviewSchema(Schema):
    title = fields.String(required=True)
    priority = fields.String(required=True, metadata={"enum": ["low", "medium", "high"],
                                                      "description": "Medium if none given."})
    priority_given = fields.Boolean(required=True)
    project_id = fields.Integer(required=True)
    project_name = fields.String(required=True)
    labels = fields.List(fields.String(), required=True)
    due_date = fields.AwareDateTime(allow_none=True, required=True)
    due_time = fields.Boolean(required=True, metadata={
        "description": "Whether `due_date` has a time of day (else it is the start of the "
        "day in your time zone, meaning that whole day)."})
    recurrence = fields.String(allow_none=True, required=True,
                               metadata={"description": RECURRENCE_DESCRIPTION})


def preview_json(plan: QuickAddPlan) -> dict[str, Any]:
    return {
        "title": plan.fields["title"],
        "priority": plan.priority.value,
        "priority_given": plan.parsed.priority is not None,
        "project_id": plan.project_id,
        "project_name": plan.project_name,
        "labels": plan.fields["labels"],
        "due_date": plan.fields["due_date"],
        "due_time": plan.parsed.has_time,
        "recurrence": plan.fields["recurrence"],
    }


def _wants_preview() -> bool:
    value = request.args.get("preview", "false")
    if value not in ("true", "false"):
        raise ValidationFailed({"preview": ["Must be true or false."]})
    return value == "true"


@blp.route("/quick")
class QuickAdd(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=[PREVIEW_PARAMETER, IDEMPOTENCY_KEY])
    @blp.arguments(QuickAddSchema)
    @blp.response(201, TaskSchema, headers={
        "Location": {"description": "URL of the new task.", "schema": {"type": "string"}},
        **ETAG_HEADER,
    })
    @blp.alt_response(200, schema=QuickAddPreviewSchema,
                      description="`?preview=true`: the task that would be created.")
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
    def post(self, body: dict[str, Any]):
        """Create a task from one line of text (`?preview=true`: only show it)."""
        service = quick_add_service()
        text, project_id = body.get("text"), body.get("project_id")
        if _wants_preview():
            return json_response(preview_json(service.preview(current_user, text, project_id)))
        key = request.headers.get(IDEMPOTENCY_HEADER)
        task, replayed = service.create(current_user, text, project_id, key)
        headers = {"ETag": etag_of(task),
                   "Location": url_for("tasks.TaskItem", task_id=task.id)}
        if key is not None:
            headers["Idempotent-Replayed"] = "true" if replayed else "false"
        return json_response(task_json(task), 201, headers)

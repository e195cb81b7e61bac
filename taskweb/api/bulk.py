"""/api/v1/tasks/bulk: one action on many tasks, all or nothing."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb import rules
from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.schemas import Described, StrictSchema, TaskSchema
from taskweb.api.serializers import json_response
from taskweb.domain.bulk import BULK_IDS_MAX, BULK_IDS_MIN, BulkAction
from taskweb.domain.task_json import task_json
from taskweb.models import TaskPriority
from taskweb.wiring import bulk_service

blp = Blueprint("bulk", __name__, url_prefix="/api/v1/tasks/bulk",
                description="One action on many of your tasks.")

ACTIONS_DESCRIPTION = (
    "`complete` (completed ones are left as they are), `reopen` (completed ones go back "
    "to `todo`), `delete` (to the trash, with their subtasks), `move` (`value`: a project "
    "id you may edit; subtasks move with their parent, and a subtask named without its "
    "parent is refused), `set_priority` (`value`: low, medium, high), `set_due_date` "
    "(`value`: a datetime or null), `add_labels` / `remove_labels` (`value`: a list of "
    f"1 to {rules.LABELS_PER_TASK} labels), `assign` (`value`: a member's user id, or "
    "null to unassign)."
)


class BulkSchema(StrictSchema):
    ids = Described(required=True, type="array",
                    items={"type": "integer", "minimum": 1},
                    minItems=BULK_IDS_MIN, maxItems=BULK_IDS_MAX,
                    description="The tasks to change (repeats count once).")
    action = Described(required=True, type="string",
                       enum=[action.value for action in BulkAction],
                       description=ACTIONS_DESCRIPTION)
    value = Described(nullable=True, description="What the action needs, as listed "
                      "under `action`; absent or null for complete, reopen and delete.",
                      example=TaskPriority.HIGH.value)


class BulkResultSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema), required=True, metadata={
        "description": "Every task named, as it is now, in the order named (after a "
                       "`delete`, as it is in the trash)."})


@blp.route("/")
class BulkTasks(MethodView):
    @bearer_protected(blp)
    @blp.arguments(BulkSchema)
    @blp.response(200, BulkResultSchema)
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
    def post(self, body: dict[str, Any]):
        """Apply one action to 1–100 tasks in one transaction: every task changes, or
        none does. The errors name the ids at fault in `errors.ids` (each id as a
        string): 404 when some are not tasks you can see (or are in the trash), 403 when
        you may only view some, 422 when the value does not fit some (`errors.value`
        says why) — or, without `errors.ids`, names the bad field of the body."""
        tasks = bulk_service().apply(current_user, body)
        return json_response({"items": [task_json(task) for task in tasks]})

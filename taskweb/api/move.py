"""POST /api/v1/tasks/{id}/move: a task's place in the manual order (``sort=position``),
its project and its board column, in one write."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.schemas import Described, StrictSchema, TaskSchema, _choice
from taskweb.api.serializers import json_response
from taskweb.domain.task_json import task_json
from taskweb.models import TaskStatus
from taskweb.wiring import move_service

blp = Blueprint("task_moves", __name__, url_prefix="/api/v1/tasks",
                description="The manual order of your tasks, and the board's columns.")

SIBLING_RULE = ("A task of the list it moves to: the same project (the target one) and "
                "the same parent (both top-level, or subtasks of one task), not in the trash, "
                "not the task itself; else 422 naming this field. Give `before_id` or "
                "`after_id`, not both.")


class TaskMoveSchema(StrictSchema):
    project_id = Described(type="integer", minimum=1, description=(
        "The project to move it to (default: its own). Needs editor rights on both "
        "projects (404 if the target is not yours to see, 403 if you only view it); its "
        "subtasks move with it; an assignee who is not a member of the target is cleared. "
        "A subtask cannot change project on its own (422)."))
    status = _choice(TaskStatus, description=(
        "The board column; `completed_at` is set when it becomes `completed` and cleared "
        "when it leaves it."))
    before_id = Described(type="integer", minimum=1,
                          description=f"Place the task directly before this one. {SIBLING_RULE}")
    after_id = Described(type="integer", minimum=1,
                         description=f"Place the task directly after this one. {SIBLING_RULE}")


@blp.route("/<int:task_id>/move")
class TaskMove(MethodView):
    @bearer_protected(blp)
    @blp.arguments(TaskMoveSchema)
    @blp.response(200, TaskSchema)
    @documents_problems(blp, 400, 403, 404, 412, 413, 415, 422)
    def post(self, body: dict[str, Any], task_id: int):
        """Move a task: directly before or after a sibling in the manual order, into
        another project, into a status column — any of these at once. The other tasks
        keep their order (and their `position`, unless the list's keys had grown too
        long and were respaced). Without a sibling, the task keeps its place, or goes
        last in another project's list. 412 if a concurrent move took the task to
        another project meanwhile."""
        return json_response(task_json(move_service().move(current_user, task_id, body)))

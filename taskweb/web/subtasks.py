"""Subtasks: one level deep, shown under their task with their own checkboxes and their
progress ("2/5"), added in place. Completing or deleting a subtask goes through the
task routes (web/tasks.py), which answer with its parent's subtasks from here."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, render_template, request

from taskweb.domain.task_query import TaskQuery
from taskweb.errors import DomainError, NotFound, PermissionDenied
from taskweb.models import Task
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.web.list_pages import refused
from taskweb.web.navigation import came_from_task_page
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_forms import SubtaskForm
from taskweb.wiring import task_service

bp = Blueprint("web_subtasks", __name__, url_prefix="/tasks")

# A task shows at most this many subtasks (the API's largest page).
SUBTASKS_SHOWN = 100

bp.before_request(require_login)
bp.register_error_handler(PermissionDenied, refused)


def subtasks_of(parent: Task) -> dict[str, Any]:
    query = TaskQuery(parent=parent.id, sort="position", limit=SUBTASKS_SHOWN)
    return {"subtasks": task_service().list(signed_in_user(), query).items}


def new_subtask_form(parent_id: int) -> SubtaskForm:
    """The empty "Add subtask" form under a task."""
    return SubtaskForm(formdata=None, id_scope=f"task-{parent_id}-subtask")


@bp.get("/<int:task_id>/subtasks")
def subtasks(task_id: int) -> Response | tuple[str, int]:
    """A task's subtasks (htmx loads them under the task's row; ``?adding=1`` with the
    form that adds one open), or the task's page."""
    try:
        parent = task_service().get(signed_in_user(), task_id)
    except NotFound as error:
        return refused(error)
    return page_or_fragment("tasks/task.html", "partials/_subtasks.html", task=parent,
                            parent=parent, standalone=came_from_task_page(task_id),
                            adding=request.args.get("adding") == "1",
                            **subtasks_of(parent))


@bp.post("/<int:task_id>/subtasks")
def add_subtask(task_id: int) -> Response | tuple[str, int]:
    form = SubtaskForm(id_scope=f"task-{task_id}-subtask")
    service = task_service()
    try:
        parent = service.get(signed_in_user(), task_id)
    except NotFound as error:
        return refused(error)
    try:
        subtask = service.create(signed_in_user(), {
            "title": form.title.data or "", "parent_id": parent.id,
            "project_id": parent.project_id,
        })
    except PermissionDenied:
        raise PermissionDenied("You may only view the tasks of this project.") from None
    except DomainError as error:
        form.show_errors(error)
        if not wants_fragment():
            return render_template("tasks/task.html", task=parent, subtask_form=form,
                                   **subtasks_of(parent)), error.status_code
        return render_template("partials/_subtasks.html", parent=parent, subtask_form=form,
                               standalone=came_from_task_page(parent.id),
                               **subtasks_of(parent)), error.status_code
    return subtasks_changed(parent.id, f"Added the subtask “{subtask.title}”.", status=201,
                             adding=True)


def subtasks_changed(parent_id: int, message: str | None = None, status: int = 200,
                      adding: bool = False) -> Response | tuple[str, int]:
    """After a subtask was added, completed or deleted: its parent's subtasks (with their
    new progress), the message, and the sidebar's counts."""
    if not wants_fragment():
        if message:
            flash(message)
        return redirect_to(f"/tasks/{parent_id}")
    try:
        parent = task_service().get(signed_in_user(), parent_id)
    except NotFound as error:
        return refused(error)
    return render_template("tasks/subtasks_changed.html", parent=parent, message=message,
                           adding=adding, standalone=came_from_task_page(parent_id),
                           **subtasks_of(parent)), status

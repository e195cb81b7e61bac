"""The tasks page: list, add, edit in place, complete, delete with undo.

Changes that alter which tasks are listed (add, delete, undo) answer with the whole list
in the view the user is looking at (``/`` or a project's page); changes to one task
(edit, complete) answer with its row, except a completion in a view that depends on it
(filtered or sorted by status), which answers with the list. A subtask's changes answer
with its parent's subtasks (web/subtasks.py). Each view parses the request, calls one
service, and renders.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, render_template, request
from werkzeug.datastructures import MultiDict

from taskweb.errors import (
    DomainError,
    NotFound,
    PermissionDenied,
    PreconditionFailed,
    ValidationFailed,
)
from taskweb.models import Task, TaskStatus
from taskweb.services.task_query import parse_task_query
from taskweb.web.catalog import catalog
from taskweb.web.forms import checked
from taskweb.web.history import completed_repeat_message
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.web.list_pages import (
    list_fragment,
    list_page,
    new_task_form,
    offer_task_choices,
    refuse_unless_editor,
    refused,
)
from taskweb.web.navigation import (
    EVERY_PROJECT,
    HOME,
    came_from_task_page,
    current_list,
    list_url,
)
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.subtasks import subtasks_changed, subtasks_of
from taskweb.web.task_forms import RestoreTaskForm, TaskEditForm, TaskForm
from taskweb.web.task_list import TaskListView, load_list
from taskweb.web.time_zone import request_zone
from taskweb.web.views import agenda_changed
from taskweb.wiring import task_service, trash_service

bp = Blueprint("web_tasks", __name__)


bp.before_request(require_login)
bp.register_error_handler(PermissionDenied, refused)


@bp.get("/")
def index() -> Response | tuple[str, int]:
    listing = load_list(EVERY_PROJECT, MultiDict(request.args))
    status = 422 if listing.errors else 200
    if wants_fragment():
        response = list_fragment(listing, status)
        # The canonical URL (no blank parameters) is what gets pushed and shared.
        response.headers["HX-Push-Url"] = listing.url
        return response
    return list_page(listing, new_task_form(listing), status)


def _current_listing() -> TaskListView:
    """The list of the page the request came from, as it is now."""
    location, args = current_list()
    return load_list(location, args)


def _back_to_list() -> Response:
    location, args = current_list()
    return redirect_to(list_url(args, location.path))


def _list_changed(
    message: str, status: int = 200, focus_task_id: int | None = None, **flash_context: Any
) -> Response | tuple[str, int]:
    """After add, delete or undo: the list as the user sees it, plus a status message.

    ``focus_task_id`` names a row to take the focus (the task Undo brought back).
    """
    if (on_agenda := agenda_changed(message, status, focus_task_id, **flash_context)) is not None:
        return on_agenda
    if not wants_fragment():
        flash(message)
        return _back_to_list()
    return render_template(
        "tasks/list_changed.html", listing=_current_listing(), message=message,
        focus_task_id=focus_task_id, **flash_context,
    ), status


@bp.post("/tasks")
def create() -> Response | tuple[str, int]:
    location, args = current_list()
    form = TaskForm(id_scope="new")
    try:
        task = task_service().create(signed_in_user(), form.task_fields(request_zone()))
    except DomainError as error:
        form.show_errors(error)
        listing = load_list(location, args)
        offer_task_choices(form, listing)
        if wants_fragment():
            return render_template("partials/_add_task_form.html", form=form,
                                   listing=listing), error.status_code
        return list_page(listing, form, error.status_code)
    message = added_message(task, location.project_id)
    if not wants_fragment():
        flash(message)
        return redirect_to(list_url(args, location.path))
    listing = load_list(location, args)
    return render_template(
        "tasks/task_added.html", form=new_task_form(listing), reset=True, listing=listing,
        message=message,
    ), 201


def added_message(task: Task, shown_project_id: int | None) -> str:
    """What the add form and Quick add say after adding ``task`` on a list."""
    if shown_project_id is not None and task.project_id != shown_project_id:
        view = catalog().project(task.project_id)
        if view is not None:
            return f"Added “{task.title}” to {view.project.name}."
    return f"Added “{task.title}”."


@bp.post("/tasks/restore")
def restore() -> Response | tuple[str, int]:
    """Undo a delete: the tasks come back from the trash, the same ones (same ids,
    labels and subtasks)."""
    form = RestoreTaskForm()
    try:
        tasks = trash_service().restore_many(signed_in_user(), form.task_ids())
    except DomainError as error:
        return _list_changed(f"Could not restore: {error.detail}", status=error.status_code)
    message = (f"Restored “{tasks[0].title}”." if len(tasks) == 1
               else f"Restored {len(tasks)} tasks.")
    return _list_changed(message, focus_task_id=tasks[0].id)


@bp.get("/tasks/<int:task_id>")
def show(task_id: int) -> Response | tuple[str, int]:
    try:
        task = task_service().get(signed_in_user(), task_id)
    except NotFound as error:
        return _gone(task_id, error)
    if wants_fragment():
        return render_template("partials/_task_row.html", task=task,
                               focus_edit=True, **_row_context()), 200
    return render_template("tasks/task.html", task=task, **subtasks_of(task)), 200


@bp.get("/tasks/<int:task_id>/edit")
def edit(task_id: int) -> Response | tuple[str, int]:
    try:
        task = task_service().get(signed_in_user(), task_id)
    except NotFound as error:
        return _gone(task_id, error)
    refuse_unless_editor(task.caller_role)
    return _edit_page(task, TaskEditForm.of(task, request_zone()))


def _edit_page(task: Task, form: TaskEditForm, status: int = 200,
               stored: Task | None = None) -> tuple[str, int]:
    _offer_choices(form, task)
    return page_or_fragment(
        "tasks/edit.html", "partials/_task_edit.html", status,
        task_id=task.id, form=form, stored=stored, task=task,
    )


def _offer_choices(form: TaskEditForm, task: Task) -> None:
    projects = catalog()
    choices = projects.writable
    if all(view.project.id != task.project_id for view in choices):
        current = projects.project(task.project_id)
        choices = [current, *choices] if current else choices
    form.offer_projects(choices, task.project_id)
    form.offer_assignees(projects.members_of(task.project_id), signed_in_user().id)


def _row_context() -> dict[str, Any]:
    """What a row rendered alone needs to know about the list it sits in."""
    location, _ = current_list()
    return {"location": location}


@bp.route("/tasks/<int:task_id>", methods=["PUT", "POST"])
def update(task_id: int) -> Response | tuple[str, int]:
    if request.form.get("action") == "cancel":
        return redirect_to(HOME)
    form = TaskEditForm(id_scope=f"task-{task_id}")
    service = task_service()
    if form.removing_reminder():  # without script: the form again, without it, unsaved
        try:
            return _edit_page(service.get(signed_in_user(), task_id), form)
        except NotFound as error:
            return _gone(task_id, error)
    try:
        task = service.update(signed_in_user(), task_id, form.task_fields(request_zone()),
                              form.expected_versions())
    except NotFound as error:
        return _gone(task_id, error)
    except PreconditionFailed:
        # Changed since the form was opened: keep what the person typed, show what is
        # stored beside it, and let them save theirs (the form now carries the new
        # version) or cancel.
        try:
            stored = service.get(signed_in_user(), task_id)
        except NotFound as error:
            return _gone(task_id, error)
        form.rebase(stored, request_zone())
        return _edit_page(stored, form, 409, stored=stored)
    except PermissionDenied as error:
        if not error.errors:  # a viewer: no form to show them
            raise
        return _form_failed(task_id, form, error)
    except DomainError as error:
        return _form_failed(task_id, form, error)
    # On Today or Upcoming, a task re-dated out of the view leaves it.
    saved = f"Saved “{task.title}”."
    if (on_agenda := agenda_changed(saved, focus_task_id=task.id)) is not None:
        return on_agenda
    if not wants_fragment():
        flash(f"Saved “{task.title}”.")
        return redirect_to(HOME)
    location, args = current_list()
    if location.project_id is not None and task.project_id != location.project_id:
        # Moved to another project: it leaves this project's list.
        response = list_fragment(load_list(location, args))
        response.headers["HX-Retarget"] = "#task-list"
        response.headers["HX-Reswap"] = "outerHTML"
        return response
    return render_template("tasks/row_changed.html", task=task, focus_edit=True,
                           location=location), 200


def _form_failed(task_id: int, form: TaskEditForm, error: DomainError) -> tuple[str, int]:
    form.show_errors(error)
    try:
        task = task_service().get(signed_in_user(), task_id)
    except NotFound as gone:
        return _gone(task_id, gone)
    return _edit_page(task, form, error.status_code)


@bp.post("/tasks/<int:task_id>/complete")
def complete(task_id: int) -> Response | tuple[str, int]:
    """Set the task done (checkbox ticked) or back to do (checkbox cleared)."""
    completed = checked(request.form.get("completed"))
    try:
        task = task_service().set_completed(signed_in_user(), task_id, completed)
    except NotFound as error:
        return _gone(task_id, error)
    if task.parent_id is not None:
        return subtasks_changed(task.parent_id)
    # On Today or Upcoming, a completed task leaves the view.
    done = f"Completed “{task.title}”." if completed else f"“{task.title}” is open again."
    repeats = completed and task.status is not TaskStatus.COMPLETED
    if repeats:
        done = completed_repeat_message(task)
    if (on_agenda := agenda_changed(done)) is not None:
        return on_agenda
    if not wants_fragment():
        if repeats:
            flash(done)
        if came_from_task_page(task_id):
            return redirect_to(f"/tasks/{task_id}")
        return _back_to_list()
    listing = _list_view_if_affected_by_completion()
    if listing is None:
        return render_template("tasks/row_changed.html", task=task,
                               message=done if repeats else None, **_row_context()), 200
    # The task may have left this view (unticked under "Completed") or moved in it: the
    # whole list answers, so that its rows and its count agree.
    response = list_fragment(listing)
    response.headers["HX-Retarget"] = "#task-list"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _list_view_if_affected_by_completion() -> TaskListView | None:
    """The list the request came from, when completing a task can change which tasks it
    shows or their order (a status filter, a sort by status or by last update)."""
    location, args = current_list()
    try:
        query = parse_task_query(args.to_dict(flat=False))
    except ValidationFailed:
        return None
    if query.statuses or query.sort.lstrip("-") in ("status", "updated_at"):
        return load_list(location, args)
    return None


@bp.route("/tasks/<int:task_id>", methods=["DELETE"])
@bp.post("/tasks/<int:task_id>/delete")
def delete(task_id: int) -> Response | tuple[str, int]:
    """Move the task (and its subtasks) to the trash at once and offer Undo, which
    brings the same task back (a subtask goes without Undo, with its parent's subtasks
    as the answer; the Trash page has it)."""
    service = task_service()
    try:
        task = service.get(signed_in_user(), task_id)
        title, parent_id = task.title, task.parent_id
        service.delete(signed_in_user(), task_id, expected_versions={task.version})
    except NotFound as error:
        return _gone(task_id, error)
    if parent_id is not None:
        return subtasks_changed(parent_id, f"Deleted the subtask “{title}”.")
    return _list_changed(f"Deleted “{title}”.", undo=RestoreTaskForm.of([task_id]))


def _gone(task_id: int, error: NotFound) -> tuple[str, int]:
    """A task that is not (or no longer) the user's: a row saying so, or the 404 page."""
    if not wants_fragment():
        raise error
    return render_template("partials/_task_gone.html", task_id=task_id), 404

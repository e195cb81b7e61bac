"""The tasks page: list, add, edit in place, complete, delete with undo.

Changes that alter which tasks are listed (add, delete, undo) answer with the whole list
in the view the user is looking at; changes to one task (edit, complete) answer with its
row, except a completion in a view that depends on it (filtered or sorted by status),
which answers with the list. Each view parses the request, calls one service, and
renders.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, render_template, request
from werkzeug.datastructures import MultiDict

from taskweb.errors import DomainError, NotFound, PreconditionFailed, ValidationFailed
from taskweb.models import Task
from taskweb.services.task_query import parse_task_query
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.web.navigation import HOME, current_list_args, list_url
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_forms import RestoreTaskForm, TaskEditForm, TaskForm
from taskweb.web.task_list import TaskListView
from taskweb.web.time_zone import request_zone
from taskweb.wiring import task_service

bp = Blueprint("web_tasks", __name__)

TRUE_VALUES = frozenset({"1", "on", "true", "yes"})


bp.before_request(require_login)


def _list_view(args: MultiDict[str, str]) -> TaskListView:
    try:
        query = parse_task_query(args.to_dict(flat=False))
    except ValidationFailed as error:
        return TaskListView(args, errors=error.errors)
    return TaskListView(args, task_service().list(signed_in_user(), query))


@bp.get("/")
def index() -> Response | tuple[str, int]:
    listing = _list_view(MultiDict(request.args))
    status = 422 if listing.errors else 200
    if wants_fragment():
        response = _list_fragment(listing, status)
        # The canonical URL (no blank parameters) is what gets pushed and shared.
        response.headers["HX-Push-Url"] = listing.url
        return response
    return _index_page(listing, TaskForm(id_scope="new", formdata=None), status)


def _list_fragment(listing: TaskListView, status: int = 200) -> Response:
    """The list, its count for the live region and the view's document title."""
    return Response(render_template("tasks/list_fragment.html", listing=listing), status)


def _index_page(listing: TaskListView, form: TaskForm, status: int = 200) -> tuple[str, int]:
    return render_template("tasks/index.html", listing=listing, form=form), status


def _list_changed(
    message: str, status: int = 200, focus_task_id: int | None = None, **flash_context: Any
) -> Response | tuple[str, int]:
    """After add, delete or undo: the list as the user sees it, plus a status message.

    ``focus_task_id`` names a row to take the focus (the task Undo brought back).
    """
    if not wants_fragment():
        flash(message)
        return redirect_to(list_url(current_list_args()))
    listing = _list_view(current_list_args())
    return render_template(
        "tasks/list_changed.html", listing=listing, message=message,
        focus_task_id=focus_task_id, **flash_context,
    ), status


@bp.post("/tasks")
def create() -> Response | tuple[str, int]:
    form = TaskForm(id_scope="new")
    try:
        task = task_service().create(signed_in_user(), form.task_fields(request_zone()))
    except DomainError as error:
        form.show_errors(error)
        if wants_fragment():
            return render_template("partials/_add_task_form.html", form=form), error.status_code
        return _index_page(_list_view(current_list_args()), form, error.status_code)
    message = f"Added “{task.title}”."
    if not wants_fragment():
        return _list_changed(message)
    fresh = TaskForm(id_scope="new", formdata=None)
    listing = _list_view(current_list_args())
    return render_template(
        "tasks/task_added.html", form=fresh, reset=True, listing=listing, message=message
    ), 201


@bp.post("/tasks/restore")
def restore() -> Response | tuple[str, int]:
    """Undo a delete: the task comes back with the same fields (and a new id)."""
    form = RestoreTaskForm()
    try:
        task = task_service().create(signed_in_user(), form.task_fields())
    except DomainError as error:
        return _list_changed(f"The task could not be restored: {error.detail}",
                             status=error.status_code)
    return _list_changed(f"Restored “{task.title}”.", focus_task_id=task.id)


@bp.get("/tasks/<int:task_id>")
def show(task_id: int) -> Response | tuple[str, int]:
    try:
        task = task_service().get(signed_in_user(), task_id)
    except NotFound as error:
        return _gone(task_id, error)
    return page_or_fragment(
        "tasks/task.html", "partials/_task_row.html", task=task,
        focus_edit=wants_fragment(),
    )


@bp.get("/tasks/<int:task_id>/edit")
def edit(task_id: int) -> Response | tuple[str, int]:
    try:
        task = task_service().get(signed_in_user(), task_id)
    except NotFound as error:
        return _gone(task_id, error)
    return _edit_page(task.id, TaskEditForm.of(task, request_zone()))


def _edit_page(task_id: int, form: TaskEditForm, status: int = 200,
               stored: Task | None = None) -> tuple[str, int]:
    return page_or_fragment(
        "tasks/edit.html", "partials/_task_edit.html", status,
        task_id=task_id, form=form, stored=stored,
    )


@bp.route("/tasks/<int:task_id>", methods=["PUT", "POST"])
def update(task_id: int) -> Response | tuple[str, int]:
    if request.form.get("action") == "cancel":
        return redirect_to(HOME)
    form = TaskEditForm(id_scope=f"task-{task_id}")
    service = task_service()
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
        return _edit_page(task_id, form, 409, stored=stored)
    except DomainError as error:
        form.show_errors(error)
        return _edit_page(task_id, form, error.status_code)
    if not wants_fragment():
        flash(f"Saved “{task.title}”.")
        return redirect_to(HOME)
    return render_template("partials/_task_row.html", task=task, focus_edit=True), 200


@bp.post("/tasks/<int:task_id>/complete")
def complete(task_id: int) -> Response | tuple[str, int]:
    """Set the task done (checkbox ticked) or back to do (checkbox cleared)."""
    completed = request.form.get("completed", "").lower() in TRUE_VALUES
    try:
        task = task_service().set_completed(signed_in_user(), task_id, completed)
    except NotFound as error:
        return _gone(task_id, error)
    if not wants_fragment():
        return redirect_to(list_url(current_list_args()))
    listing = _list_view_if_affected_by_completion()
    if listing is None:
        return render_template("partials/_task_row.html", task=task), 200
    # The task may have left this view (unticked under "Completed") or moved in it: the
    # whole list answers, so that its rows and its count agree.
    response = _list_fragment(listing)
    response.headers["HX-Retarget"] = "#task-list"
    response.headers["HX-Reswap"] = "outerHTML"
    return response


def _list_view_if_affected_by_completion() -> TaskListView | None:
    """The list the request came from, when completing a task can change which tasks it
    shows or their order (a status filter, a sort by status or by last update)."""
    args = current_list_args()
    try:
        query = parse_task_query(args.to_dict(flat=False))
    except ValidationFailed:
        return None
    if query.statuses or query.sort.lstrip("-") in ("status", "updated_at"):
        return _list_view(args)
    return None


@bp.route("/tasks/<int:task_id>", methods=["DELETE"])
@bp.post("/tasks/<int:task_id>/delete")
def delete(task_id: int) -> Response | tuple[str, int]:
    """Delete at once and offer Undo, which re-creates the task from its fields."""
    service = task_service()
    try:
        task = service.get(signed_in_user(), task_id)
        undo = RestoreTaskForm.of(task)
        service.delete(signed_in_user(), task_id, expected_versions={task.version})
    except NotFound as error:
        return _gone(task_id, error)
    return _list_changed(f"Deleted “{undo.title.data}”.", undo=undo)


def _gone(task_id: int, error: NotFound) -> tuple[str, int]:
    """A task that is not (or no longer) the user's: a row saying so, or the 404 page."""
    if not wants_fragment():
        raise error
    return render_template("partials/_task_gone.html", task_id=task_id), 404

"""Manual order in a project's list: sorted by position ("Manual order"), each row of
someone who may edit gets a drag handle (static/list_order.js) and Move up / Move down
buttons; both post to /tasks/<id>/move, which answers with the list as it is now."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request

from taskweb.errors import DomainError, NotFound, PermissionDenied
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.list_pages import refused
from taskweb.web.navigation import current_list, list_url
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_list import TaskListView, load_list
from taskweb.wiring import move_service

bp = Blueprint("web_list_order", __name__)

bp.before_request(require_login)
bp.register_error_handler(PermissionDenied, refused)
bp.register_error_handler(NotFound, refused)

MANUAL_ORDER = "position"
Neighbours = dict[int, tuple[int | None, int | None]]


def manual_order_of(listing: TaskListView) -> Neighbours | None:
    """For a project's list in manual order: each row's task id -> the ids of the rows
    above and below it on the page (None at an end). None for any other list: positions
    order the tasks of one project, so "every project" has no manual order to change."""
    if listing.location.project_id is None or listing.sort != MANUAL_ORDER \
            or listing.page is None:
        return None
    ids = [task.id for task in listing.page.items]
    return {task_id: (ids[index - 1] if index else None,
                      ids[index + 1] if index + 1 < len(ids) else None)
            for index, task_id in enumerate(ids)}


def _sibling(name: str) -> int | str | None:
    value = request.form.get(name, "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 10 else value


@bp.post("/tasks/<int:task_id>/move")
def move(task_id: int) -> Response | tuple[str, int]:
    """Put a row directly before (``before_id``) or after (``after_id``) another."""
    body = {name: _sibling(name) for name in ("before_id", "after_id")
            if request.form.get(name, "").strip()}
    focus = None
    try:
        task = move_service().move(signed_in_user(), task_id, body)
        message, status, focus = f"Moved “{task.title}”.", 200, task.id
    except (PermissionDenied, NotFound):
        raise
    except DomainError as error:
        message, status = f"The task was not moved: {error.detail}", error.status_code
    location, args = current_list()
    if not wants_fragment():
        flash(message)
        return redirect_to(list_url(args, location.path))
    return render_template("tasks/list_changed.html", listing=load_list(location, args),
                           message=message, focus_task_id=focus), status

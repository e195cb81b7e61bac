"""Bulk actions from a task list: the rows' checkboxes (``name="ids"``, in the form
``bulk-actions``) and the bar's buttons (``name="action"``) post here; one request, all
or nothing (services/bulk.py). htmx gets the list of the page back with the result in
the status region (and Undo after Delete selected); a plain form gets a redirect."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, flash, render_template, request

from taskweb.domain.bulk import BulkAction
from taskweb.domain.dates import utc_instant
from taskweb.errors import DomainError
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.navigation import current_list, list_url
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_forms import RestoreTaskForm
from taskweb.web.task_list import load_list
from taskweb.web.time_zone import request_zone
from taskweb.web.views import agenda_changed
from taskweb.wiring import bulk_service

bp = Blueprint("web_bulk", __name__)
bp.before_request(require_login)

DONE = {
    BulkAction.COMPLETE: "Completed",
    BulkAction.REOPEN: "Reopened",
    BulkAction.DELETE: "Deleted",
    BulkAction.MOVE: "Moved",
    BulkAction.SET_PRIORITY: "Set the priority of",
    BulkAction.SET_DUE_DATE: "Set the due date of",
    BulkAction.ADD_LABELS: "Labelled",
    BulkAction.REMOVE_LABELS: "Took the label off",
    BulkAction.ASSIGN: "Assigned",
}
NOTHING_SELECTED = "Select at least one task first."


def _ids() -> list[Any]:
    """The ticked ids as numbers where they are (the service says what is wrong with
    anything else)."""
    return [int(raw) if raw.isascii() and raw.isdigit() else raw
            for raw in request.form.getlist("ids")]


def _value(action: str) -> Any:
    """The bar's field for ``action``, as the service takes it."""
    form = request.form
    if action == BulkAction.MOVE.value:
        raw = form.get("project_id", "")
        return int(raw) if raw.isdigit() else raw
    if action == BulkAction.SET_PRIORITY.value:
        return form.get("priority", "")
    if action == BulkAction.SET_DUE_DATE.value:
        raw = form.get("due_date", "").strip()
        if not raw:
            return None
        try:
            return utc_instant(date.fromisoformat(raw), None, request_zone())
        except (ValueError, OverflowError):
            return raw  # the service names it as the bad value
    if action in (BulkAction.ADD_LABELS.value, BulkAction.REMOVE_LABELS.value):
        return form.get("label", "").replace(",", " ").split()
    if action == BulkAction.ASSIGN.value:
        raw = form.get("assignee_id", "")
        return int(raw) if raw.isdigit() else None
    return None


def _tasks(count: int) -> str:
    return f"{count} task{'' if count == 1 else 's'}"


@bp.post("/tasks/bulk")
def apply() -> Response | tuple[str, int]:
    action = request.form.get("action", "")
    body: dict[str, Any] = {"ids": _ids(), "action": action}
    if action not in (BulkAction.COMPLETE.value, BulkAction.REOPEN.value,
                      BulkAction.DELETE.value):
        body["value"] = _value(action)
    undo = None
    status = 200
    if not body["ids"]:
        message, status = NOTHING_SELECTED, 422
    else:
        try:
            changed = bulk_service().apply(signed_in_user(), body)
        except DomainError as error:
            reasons = [m for field, ms in error.errors.items() if field != "ids" for m in ms]
            message = " ".join([error.detail, *reasons])
            status = error.status_code
        else:
            message = f"{DONE[BulkAction(action)]} {_tasks(len(changed))}."
            if action == BulkAction.DELETE.value:
                undo = RestoreTaskForm.of([task.id for task in changed])
    if (on_agenda := agenda_changed(message, status, undo=undo)) is not None:
        return on_agenda
    location, args = current_list()
    if not wants_fragment():
        flash(message)
        return redirect_to(list_url(args, location.path))
    return render_template("tasks/list_changed.html", listing=load_list(location, args),
                           message=message, undo=undo), status

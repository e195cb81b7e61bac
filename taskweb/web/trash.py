"""The Trash page: deleted tasks with when they were deleted, Restore, Delete forever
and Empty trash. The two irreversible actions sit behind a confirm dialog; without
script each form posts as it is. htmx gets the trash region back (and the status
message and sidebar counts out of band); a plain form gets a redirect to the page."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, flash, render_template, request

from taskweb import rules
from taskweb.errors import DomainError, NotFound, PermissionDenied
from taskweb.services.task_query import parse_page
from taskweb.services.trash import TRASH_RETENTION, TrashPage
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.web.list_pages import refused
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.time_zone import request_zone
from taskweb.wiring import trash_service

bp = Blueprint("web_trash", __name__)
bp.before_request(require_login)
bp.register_error_handler(PermissionDenied, refused)
bp.register_error_handler(NotFound, refused)

PAGE_SIZE = rules.PAGE_LIMIT_DEFAULT


def deleted_when(moment: datetime) -> str:
    """When a task went to the trash, in the reader's zone: "Thu 26 Nov 2026, 17:05"."""
    local = moment.astimezone(request_zone())
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def _page() -> TrashPage:
    try:
        _, offset = parse_page({"offset": request.args.getlist("offset")})
    except DomainError:
        offset = 0
    return trash_service().list(signed_in_user(), PAGE_SIZE, offset)


def _context(page: TrashPage) -> dict[str, object]:
    return {"trash": page, "deleted_when": deleted_when, "retention_days": TRASH_RETENTION.days}


@bp.get("/trash")
def index() -> tuple[str, int]:
    return page_or_fragment("trash/index.html", "trash/_trash.html", **_context(_page()))


def _trash_changed(message: str) -> Response | tuple[str, int]:
    if not wants_fragment():
        flash(message)
        return redirect_to("/trash")
    return render_template("trash/changed.html", message=message, **_context(_page())), 200


@bp.post("/trash/<int:task_id>/restore")
def restore(task_id: int) -> Response | tuple[str, int]:
    task = trash_service().restore(signed_in_user(), task_id)
    return _trash_changed(f"Restored “{task.title}”.")


@bp.post("/trash/<int:task_id>/delete")
def delete_forever(task_id: int) -> Response | tuple[str, int]:
    trash_service().delete_forever(signed_in_user(), task_id)
    return _trash_changed("Deleted the task for good.")


@bp.post("/trash/empty")
def empty() -> Response | tuple[str, int]:
    removed = trash_service().empty(signed_in_user())
    return _trash_changed("The trash is empty." if removed else "The trash was already empty.")

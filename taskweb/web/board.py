"""A project's board, /projects/<id>/board: columns To do, In progress and Completed,
cards in the manual order. A card moves by drag and drop (static/board.js posts the
move) or by its Move menu (a form per card, so it works without script too); both
post to /projects/<id>/board/move, which answers with the board again, and a message
for the status region."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request, url_for

from taskweb.domain.access import Action, may
from taskweb.domain.board import BOARD_LIMIT, Board
from taskweb.domain.task_query import NONE, TaskQuery
from taskweb.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from taskweb.models import TaskStatus
from taskweb.web.display import STATUS_LABELS
from taskweb.web.history import completed_repeat_message
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.list_pages import refused, visible_project
from taskweb.web.session import require_login, signed_in_user
from taskweb.wiring import move_service, task_service

bp = Blueprint("web_board", __name__, url_prefix="/projects")

bp.before_request(require_login)
bp.register_error_handler(PermissionDenied, refused)
bp.register_error_handler(NotFound, refused)

# Form fields a drop posts (the body of the API's move), beside task_id.
MOVE_FIELDS = ("status", "before_id", "after_id")


def load_board(project_id: int) -> Board:
    """The project's top-level tasks, in the manual order: three statements (count,
    page, labels), however many cards."""
    query = TaskQuery(project_ids=(project_id,), parent=NONE, sort="position",
                      limit=BOARD_LIMIT)
    page = task_service().list(signed_in_user(), query)
    return Board.of(page.items, page.total)


def _context(project_id: int) -> dict:
    view = visible_project(project_id)
    return {"view": view, "board": load_board(project_id),
            "edits_tasks": may(view.role, Action.EDIT_TASKS),
            "status_labels": STATUS_LABELS}


@bp.get("/<int:project_id>/board")
def show(project_id: int) -> str | tuple[str, int]:
    """The board page, or for htmx the board alone (a refresh after a failed drop)."""
    context = _context(project_id)
    if wants_fragment():
        return render_template("board/_board.html", **context)
    return render_template("board/show.html", **context)


def _integer(name: str) -> int | str | None:
    value = request.form.get(name, "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 10 else value


@bp.post("/<int:project_id>/board/move")
def move(project_id: int) -> Response | tuple[str, int]:
    """Move a card: ``to`` (up, down or a status) from its Move menu, or the fields of a
    drop (status, before_id or after_id). Answers with the board and a message."""
    task_id = _integer("task_id")
    to = request.form.get("to")
    try:
        if not isinstance(task_id, int):
            raise ValidationFailed({"task_id": ["Choose a card to move."]})
        if to is not None:
            body = load_board(project_id).placement(task_id, to)
            if body is None:
                raise ValidationFailed({"to": ["The card cannot move that way."]},
                                       "The card cannot move that way.")
        else:
            body = {name: _integer(name) if name != "status" else request.form[name]
                    for name in MOVE_FIELDS if request.form.get(name)}
        task = move_service().move(signed_in_user(), task_id, body)
        moved, status = task.title, 200
        repeated = (body.get("status") == TaskStatus.COMPLETED
                    and task.status is not TaskStatus.COMPLETED)
    except (PermissionDenied, NotFound):
        raise
    except DomainError as error:
        moved, status = None, error.status_code
        message = f"The card was not moved: {error.detail}"
    context = _context(project_id)
    if moved is not None:
        message = _where_it_went(context["board"], task_id, moved)
        if repeated:  # a repeating task advanced instead: say so before where it is
            message = f"{completed_repeat_message(task)} {message}"
    if not wants_fragment():
        flash(message)
        return redirect_to(url_for("web_board.show", project_id=project_id))
    return render_template("board/moved.html", message=message, moved_id=task_id,
                           **context), status


def _where_it_went(board: Board, task_id: int, title: str) -> str:
    found = board.find(task_id)
    if found is None:  # to another project
        return f"Moved “{title}”."
    column, index = found
    return (f"Moved “{title}” to {STATUS_LABELS[column.status]}: "
            f"card {index + 1} of {len(column.cards)}.")

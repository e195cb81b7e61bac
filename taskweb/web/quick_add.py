"""The Quick add box at the top of every task list: a live preview of what the text
says (chips) while typing, and Enter to add the task.

Both routes read the text in the page's zone and take the project of the page the box
is on as the default (a ``#Project`` in the text wins). Adding answers like the detailed
add form does (web/tasks.py): the list in the user's view, its count, the message and
the sidebar's counts, with a fresh box; without htmx, a redirect back to the list.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, tzinfo

from flask import Blueprint, Response, flash, g, render_template, request

from taskweb.domain.dates import in_zone, today_in
from taskweb.domain.recurrence import describe_rule
from taskweb.errors import DomainError
from taskweb.services.quick_add import QuickAddPlan
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.list_pages import list_page, new_task_form, refused
from taskweb.web.navigation import current_list, list_url
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_list import load_list
from taskweb.web.tasks import added_message
from taskweb.web.time_zone import now, request_zone
from taskweb.web.views import agenda_changed
from taskweb.wiring import quick_add_service

bp = Blueprint("web_quick_add", __name__)
bp.before_request(require_login)

PRIORITY_WORDS = {"high": "High priority", "medium": "Medium priority", "low": "Low priority"}


@dataclass(frozen=True)
class QuickAddBox:
    """What the box shows: the text typed (kept after an error) and its errors."""

    text: str = ""
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chip:
    kind: str  # due, project, label, priority, repeat: the class of the chip
    name: str  # what it is, read before the value ("Due", "Project", ...)
    value: str


def due_words(due: datetime, has_time: bool, zone: tzinfo, current: datetime) -> str:
    """'Today', 'Tomorrow', 'Fri 4 Dec' (with the year when not this one), and the time."""
    local = in_zone(due, zone)
    today = today_in(current, zone)
    days = (local.date() - today).days
    if days == 0:
        day = "Today"
    elif days == 1:
        day = "Tomorrow"
    else:
        day = f"{local:%a} {local.day} {local:%b}"
        if local.year != today.year:
            day += f" {local.year}"
    return f"{day}, {local:%H:%M}" if has_time else day


def chips_of(plan: QuickAddPlan, zone: tzinfo, current: datetime) -> list[Chip]:
    parsed = plan.parsed
    chips: list[Chip] = []
    if parsed.due_date is not None:
        chips.append(Chip("due", "Due", due_words(parsed.due_date, parsed.has_time, zone,
                                                  current)))
    chips.append(Chip("project", "Project", plan.project_name))
    chips += [Chip("label", "Label", label) for label in plan.fields["labels"]]
    if parsed.priority is not None:
        chips.append(Chip("priority", "Priority", PRIORITY_WORDS[parsed.priority]))
    if parsed.recurrence is not None:
        chips.append(Chip("repeat", "Repeats", describe_rule(parsed.recurrence)))
    return chips


def _typed_text() -> str:
    return request.form.get("text", "")


@bp.post("/tasks/quick/preview")
def preview() -> tuple[str, int]:
    """The chips of what the text says, or what is wrong with it (always 200: the
    preview is a status, not a refusal)."""
    location, _ = current_list()
    text = _typed_text()
    if not text.strip():
        return render_template("quick_add/preview.html", chips=[], problem=None), 200
    zone = request_zone()
    try:
        plan = quick_add_service().preview(signed_in_user(), text, location.project_id, zone)
    except DomainError as error:
        problem = " ".join(message for messages in error.errors.values()
                           for message in messages) or error.detail
        return render_template("quick_add/preview.html", chips=[], problem=problem), 200
    return render_template("quick_add/preview.html", title=plan.fields["title"],
                           chips=chips_of(plan, zone, now()), problem=None), 200


@bp.post("/tasks/quick")
def create() -> Response | tuple[str, int]:
    location, args = current_list()
    text = _typed_text()
    try:
        task, _ = quick_add_service().create(signed_in_user(), text, location.project_id,
                                             zone=request_zone())
    except DomainError as error:
        if error.status_code in (403, 404) and "project_id" not in error.errors:
            return refused(error)
        messages = [message for messages in error.errors.values() for message in messages]
        box = QuickAddBox(text, messages or [error.detail])
        if wants_fragment():
            return render_template("partials/_quick_add.html", quick_add=box), \
                error.status_code
        g.quick_add = box
        listing = load_list(location, args)
        return list_page(listing, new_task_form(listing), error.status_code)
    message = added_message(task, location.project_id)
    on_agenda = agenda_changed(message, 201, quick_add=QuickAddBox(), reset=True)
    if on_agenda is not None:
        return on_agenda
    if not wants_fragment():
        flash(message)
        return redirect_to(list_url(args, location.path))
    listing = load_list(location, args)
    return render_template("quick_add/added.html", quick_add=QuickAddBox(), reset=True,
                           listing=listing, message=message), 201

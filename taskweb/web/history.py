"""A task's activity in the browser: its history (``HistoryService``) in sentences,
"Alice completed it · 2 min ago", newest first. The edit form loads it when its
"Activity" disclosure opens; without script the link opens it as a page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from flask import Blueprint, Response
from markupsafe import Markup

from taskweb.domain.dates import local_date_and_time
from taskweb.domain.recurrence import describe_rule
from taskweb.errors import NotFound
from taskweb.models import Task, TaskEventKind, TaskPriority, TaskStatus
from taskweb.repositories.history import HistoryEntry
from taskweb.web.catalog import catalog
from taskweb.web.display import PRIORITY_LABELS, STATUS_LABELS
from taskweb.web.htmx import page_or_fragment
from taskweb.web.list_pages import refused
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.time_zone import now, request_zone
from taskweb.wiring import history_service, task_service

bp = Blueprint("web_history", __name__)
bp.before_request(require_login)
bp.register_error_handler(NotFound, refused)

SHOWN = 20  # the newest events the activity list shows
FIELD_NAMES = {"title": "the title", "description": "the description", "status": "the status",
               "priority": "the priority", "due_date": "the due date", "labels": "the labels",
               "recurrence": "the repeat", "parent_id": "the parent task",
               "assignee_id": "the assignee", "project_id": "the project"}


@dataclass(frozen=True)
class Activity:
    who: str
    what: Markup  # the rest of the sentence, escaped
    at: datetime
    ago: str


def _when(instant: datetime, zone: tzinfo) -> str:
    day, at = local_date_and_time(instant, zone)
    return f"{day:%a} {day.day} {day:%b %Y}" + (f", {at:%H:%M}" if at else "")


def ago(instant: datetime, current: datetime) -> str:
    """How long ago, in the words of a list of recent events."""
    seconds = max(0, int((current - instant).total_seconds()))
    for size, unit in ((86400 * 365, "year"), (86400 * 30, "month"), (86400, "day"),
                       (3600, "h"), (60, "min")):
        if seconds >= size:
            count = seconds // size
            plural = "s" if count > 1 and unit not in ("h", "min") else ""
            return f"{count} {unit}{plural} ago"
    return "just now"


def _value(field: str, value: Any, zone: tzinfo) -> str:
    if value in (None, "", []):
        return "none"
    if field == "due_date":
        return _when(datetime.fromisoformat(value), zone)
    if field == "status":
        return STATUS_LABELS[TaskStatus(value)]
    if field == "priority":
        return PRIORITY_LABELS[TaskPriority(value)]
    if field == "labels":
        return ", ".join(value)
    if field == "recurrence":
        return describe_rule(value)
    if field == "project_id":
        project = catalog().project(value)
        return project.project.name if project else "another project"
    return str(value)


def _change(field: str, old: Any, new: Any, zone: tzinfo, project_id: int) -> Markup:
    if field == "description":
        return Markup("changed the description")
    if field == "assignee_id":
        if new is None:
            return Markup("unassigned it")
        member = catalog().member_name(project_id, new) or "a former member"
        return Markup("assigned it to {}").format(member)
    if field == "parent_id":
        return Markup("made it a subtask") if old is None else Markup("changed its parent task")
    return Markup("changed {} from <q>{}</q> to <q>{}</q>").format(
        FIELD_NAMES.get(field, field), _value(field, old, zone), _value(field, new, zone))


def _sentence(entry: HistoryEntry, zone: tzinfo, project_id: int) -> Markup:
    event = entry.event
    changes = event.changes or {}
    if event.kind is TaskEventKind.CREATED:
        return Markup("created it")
    if event.kind is TaskEventKind.DELETED:
        return Markup("moved it to the trash")
    if event.kind is TaskEventKind.RESTORED:
        return Markup("restored it from the trash")
    if event.kind is TaskEventKind.COMPLETED:
        if "due_date" in changes and changes.get("status", [None, "todo"])[1] != "completed":
            return Markup("completed it; it repeats, next due {}").format(
                _value("due_date", changes["due_date"][1], zone))
        return Markup("completed it")
    if event.kind is TaskEventKind.MOVED:
        return Markup("moved it to {}").format(_value("project_id",
                                                      changes["project_id"][1], zone))
    parts = [_change(field, old, new, zone, project_id)
             for field, (old, new) in changes.items()]
    return Markup(", ").join(parts) if parts else Markup("changed it")


def activities(entries: list[HistoryEntry], zone: tzinfo, project_id: int,
               me: int) -> list[Activity]:
    current = now()
    return [Activity(who="You" if entry.event.user_id == me else
                     (entry.username or "A former member"),
                     what=_sentence(entry, zone, project_id), at=entry.event.at,
                     ago=ago(entry.event.at, current))
            for entry in entries]


def completed_repeat_message(task: Task) -> str:
    """What completing a repeating task did, for the status region."""
    due = task.due_date
    when = _when(due, request_zone()) if due is not None else "not set"
    return f"Completed “{task.title}”: it repeats, next due {when}."


@bp.app_template_filter("rule_in_words")
def rule_in_words(rule: str) -> str:
    """A task's repeat rule in words, for its row."""
    return describe_rule(rule)


@bp.get("/tasks/<int:task_id>/activity")
def activity(task_id: int) -> Response | tuple[str, int]:
    """The task's newest events: the whole page, or the list for the edit form."""
    user = signed_in_user()
    task = task_service().get(user, task_id)
    page = history_service().page(user, task_id, SHOWN, 0)
    return page_or_fragment(
        "history/activity.html", "history/_activity.html", task=task, total=page.total,
        activities=activities(page.items, request_zone(), task.project_id, user.id))

"""How tasks read in the browser: labels for enum values and due dates in words.

Presentation only; what a task *is* stays in the models and services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from taskweb.domain.dates import is_overdue, local_date_and_time, today_in
from taskweb.models import Task, TaskPriority, TaskStatus

STATUS_LABELS: dict[TaskStatus, str] = {
    TaskStatus.TODO: "To do",
    TaskStatus.IN_PROGRESS: "In progress",
    TaskStatus.COMPLETED: "Completed",
}
PRIORITY_LABELS: dict[TaskPriority, str] = {
    TaskPriority.LOW: "Low",
    TaskPriority.MEDIUM: "Medium",
    TaskPriority.HIGH: "High",
}
SORT_LABELS: dict[str, str] = {
    "-created_at": "Newest first",
    "created_at": "Oldest first",
    "due_date": "Due soonest",
    "-due_date": "Due latest",
    "-priority": "Priority: high to low",
    "priority": "Priority: low to high",
    "title": "Title: A to Z",
    "-title": "Title: Z to A",
    "-updated_at": "Recently updated",
    "status": "Status: to do first",
    "position": "Manual order",
}


# A description longer than this is cut short in its row, with a control to read it all.
PREVIEW_CHARS = 280
PREVIEW_LINES = 4


@dataclass(frozen=True)
class DueDate:
    relative: str  # "in 2 days", "today", "3 weeks ago"
    exact: str  # "Fri 27 Nov 2026", or "Fri 27 Nov 2026, 17:00" with a time
    iso: str  # the UTC instant, for <time datetime>
    overdue: bool


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}{'' if number == 1 else 's'}"


def relative_days(days: int) -> str:
    """Words for a distance in days from today (negative: in the past)."""
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    size = abs(days)
    if size < 14:
        words = _count(size, "day")
    elif size < 60:
        words = _count(round(size / 7), "week")
    elif size < 730:
        words = _count(round(size / 30.4), "month")
    else:
        words = _count(round(size / 365.25), "year")
    return f"in {words}" if days > 0 else f"{words} ago"


def due_date_of(task: Task, now: datetime, zone: tzinfo) -> DueDate | None:
    """The task's due date in words, in ``zone``, seen at the instant ``now``.

    Days are counted between calendar dates in ``zone`` (see ``domain.dates`` for what a
    date without a time means); an unfinished task past its due date is overdue.
    """
    due: datetime | None = task.due_date
    if due is None:
        return None
    day, at = local_date_and_time(due, zone)
    exact = f"{day:%a} {day.day} {day:%b %Y}" + (f", {at:%H:%M}" if at else "")
    return DueDate(
        relative=relative_days((day - today_in(now, zone)).days),
        exact=exact,
        iso=due.isoformat(),
        overdue=task.status is not TaskStatus.COMPLETED and is_overdue(due, now, zone),
    )


def description_preview(description: str | None) -> str | None:
    """The start of a long description, cut at a word; None when it is short enough to
    show whole. A 10,000-character description must not flood the list."""
    if not description:
        return None
    lines = description.splitlines()
    if len(description) <= PREVIEW_CHARS and len(lines) <= PREVIEW_LINES:
        return None
    head = "\n".join(lines[:PREVIEW_LINES])[:PREVIEW_CHARS]
    words, _, _ = head.rpartition(" ")
    if len(words) > PREVIEW_CHARS // 2:
        head = words
    return head.rstrip() + "…"


def wait_in_words(seconds: float) -> str:
    """How long to wait, for people: "in a minute", "in 5 minutes", "in 3 hours"."""
    minutes = max(1, round(seconds / 60))
    if minutes == 1:
        return "in a minute"
    if minutes < 90:
        return f"in {minutes} minutes"
    hours = round(minutes / 60)
    return f"in {hours} hours"

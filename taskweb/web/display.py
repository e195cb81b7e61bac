"""How tasks read in the browser: labels for enum values and due dates in words.

Presentation only; what a task *is* stays in the models and services.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

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
}


@dataclass(frozen=True)
class DueDate:
    relative: str  # "in 2 days", "today", "3 weeks ago"
    exact: str  # "Fri 27 Nov 2026"
    iso: str  # for <time datetime>
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


def due_date_of(task: Task, today: date) -> DueDate | None:
    """The task's due date in words, relative to ``today`` (a UTC calendar date).

    Due dates are compared by calendar day, like the date input that sets them; an
    unfinished task due before today is overdue.
    """
    due: datetime | None = task.due_date
    if due is None:
        return None
    days = (due.date() - today).days
    return DueDate(
        relative=relative_days(days),
        exact=f"{due:%a} {due.day} {due:%b %Y}",
        iso=due.isoformat(),
        overdue=days < 0 and task.status is not TaskStatus.COMPLETED,
    )

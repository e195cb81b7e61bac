"""The calendar feed as an iCalendar (RFC 5545) document: one VTODO per open task.

Built with the ``icalendar`` library. The document depends only on the tasks (DTSTAMP is
each task's last change, not the moment of the request), so the same tasks give the
same bytes and the same ETag, and a calendar app that polls gets 304s.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from icalendar import Calendar, Todo, vRecur

from taskweb.models import TaskPriority, TaskStatus

PRODUCT_ID = "-//taskweb//Calendar feed//EN"
CALENDAR_NAME = "taskweb"
# RFC 5545 PRIORITY: 1 is the highest, 9 the lowest (0 would mean undefined).
ICAL_PRIORITY = {TaskPriority.HIGH: 1, TaskPriority.MEDIUM: 5, TaskPriority.LOW: 9}
ICAL_STATUS = {TaskStatus.TODO: "NEEDS-ACTION", TaskStatus.IN_PROGRESS: "IN-PROCESS"}


@dataclass
class FeedTask:
    """What the feed shows of a task."""

    id: int
    title: str
    description: str | None
    status: TaskStatus
    priority: TaskPriority
    due_date: datetime
    recurrence: str | None
    updated_at: datetime
    labels: list[str] = field(default_factory=list)


def calendar_document(tasks: Sequence[FeedTask], *, host: str,
                      task_url: Callable[[int], str]) -> bytes:
    """The VCALENDAR with a VTODO per task; ``host`` makes the UIDs globally unique."""
    calendar = Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for task in tasks:
        calendar.add_component(_todo(task, host, task_url(task.id)))
    return calendar.to_ical()


def _todo(task: FeedTask, host: str, url: str) -> Todo:
    todo = Todo()
    todo.add("uid", f"task-{task.id}@{host}")
    todo.add("dtstamp", task.updated_at)
    todo.add("last-modified", task.updated_at)
    todo.add("due", task.due_date)
    todo.add("summary", task.title)
    if task.description:
        todo.add("description", task.description)
    todo.add("priority", ICAL_PRIORITY[task.priority])
    todo.add("status", ICAL_STATUS.get(task.status, "NEEDS-ACTION"))
    if task.labels:
        todo.add("categories", task.labels)
    if task.recurrence:
        todo.add("rrule", vRecur.from_ical(task.recurrence))
    todo.add("url", url)
    return todo

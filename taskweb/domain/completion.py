"""What completing a task does: the one decision every path that completes a task
(an update, the Complete checkbox, a bulk action, a move to the board's Completed
column) takes from here.

A task that repeats is not completed: it goes back to "to do", due at the rule's next
occurrence, and the completion is recorded in its history by the caller. A rule with no
further occurrence completes it like any other task.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Any

from taskweb.domain.recurrence import next_occurrence
from taskweb.models import TaskStatus


def completion_values(recurrence: str | None, due_date: datetime | None, zone: tzinfo,
                      now: datetime) -> dict[str, Any]:
    """The task fields completing a task sets (``zone``: the wall clock its rule runs on)."""
    if recurrence and due_date is not None:
        following = next_occurrence(recurrence, due_date, zone)
        if following is not None:
            return {"status": TaskStatus.TODO, "due_date": following.due,
                    "recurrence": following.rule, "completed_at": None}
    return {"status": TaskStatus.COMPLETED, "completed_at": now}


def shifted_reminders(reminders: Sequence[datetime], due_before: datetime | None,
                      due_after: datetime | None) -> list[datetime]:
    """A repeating task's reminders for its next occurrence: each moves by as much as the
    due date did, so "1 hour before" stays one hour before."""
    if due_before is None or due_after is None or due_before == due_after:
        return list(reminders)
    return [moment + (due_after - due_before) for moment in reminders]

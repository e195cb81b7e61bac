"""The rule of a task's ``reminders`` field: at most five moments, each an ISO 8601
datetime read like ``due_date`` (one without an offset is UTC), duplicates dropped,
sorted. The browser's form sends the same list, so both doors give the same messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from taskweb.services.validation import FieldErrors, clean_datetime

REMINDERS_MAX = 5
# A reminder written for a moment longer ago than this is kept as already delivered:
# announcing it now would only be noise (a minute's slack for a form filled slowly).
STALE_REMINDER = timedelta(minutes=1)
FIELD = "reminders"
TOO_MANY = f"A task has at most {REMINDERS_MAX} reminders."
NOT_A_LIST = "Must be a list of ISO 8601 datetimes."
REMINDERS_DESCRIPTION = (
    f"When to notify the assignee (or, if none, the creator): at most {REMINDERS_MAX} "
    "absolute datetimes, written whole (the list replaces the task's reminders; null or [] "
    "removes them all); duplicates are dropped, the list is sorted, seconds kept and "
    "fractions dropped. A datetime without an offset is UTC, as for `due_date`. A time "
    "already written keeps its delivery (an edit does not send it again); a new time "
    "more than a minute in the past is kept but never announced. Read back with the "
    "delivered ones included."
)


def clean_reminders(value: Any, errors: FieldErrors) -> list[datetime] | None:
    """The reminder times, UTC, whole seconds, without duplicates, in order; None (and
    a message on ``reminders``) if the list or any of its items is wrong. ``null`` is
    taken as the empty list."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        errors.add(FIELD, NOT_A_LIST)
        return None
    item_errors = FieldErrors()
    moments = set()
    for index, item in enumerate(value):
        moment = clean_datetime(item, f"{FIELD}[{index}]", item_errors)
        if moment is not None:
            moments.add(moment.replace(microsecond=0))
    for field, messages in item_errors.errors.items():
        for message in messages:
            errors.add(FIELD, f"Item {field[len(FIELD) + 1:-1]}: {message}")
    if item_errors.errors:
        return None
    if len(moments) > REMINDERS_MAX:
        errors.add(FIELD, TOO_MANY)
        return None
    return sorted(moments)

"""What a task's history records of a write: the fields a person sees, as JSON values,
compared before and after (``changes: {field: [old, new]}``)."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import Any

# The fields a change of which is recorded (position, a place in a list, is not).
RECORDED_FIELDS = ("title", "description", "status", "priority", "due_date", "project_id",
                   "labels", "parent_id", "assignee_id", "recurrence")


def json_value(value: Any) -> Any:
    """A field's value as the API writes it: enums by value, instants in UTC ISO 8601
    (``2026-11-26T08:00:00+00:00``)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value


def snapshot(task: Any) -> dict[str, Any]:
    """The recorded fields of ``task`` as JSON values."""
    values = {name: json_value(getattr(task, name)) for name in RECORDED_FIELDS
              if name != "labels"}
    values["labels"] = list(task.label_names)
    return values


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for each field whose value differs."""
    return {name: [before[name], after[name]] for name in RECORDED_FIELDS
            if name in before and name in after and before[name] != after[name]}

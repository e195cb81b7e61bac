"""Bulk actions: what one request may do to many tasks at once."""

from __future__ import annotations

import enum

BULK_IDS_MIN, BULK_IDS_MAX = 1, 100


class BulkAction(str, enum.Enum):
    COMPLETE = "complete"
    REOPEN = "reopen"
    DELETE = "delete"  # to the trash
    MOVE = "move"  # value: a project id
    SET_PRIORITY = "set_priority"  # value: low, medium or high
    SET_DUE_DATE = "set_due_date"  # value: a datetime or null
    ADD_LABELS = "add_labels"  # value: a list of labels
    REMOVE_LABELS = "remove_labels"  # value: a list of labels
    ASSIGN = "assign"  # value: a user id or null


# The actions that need a value (``set_due_date`` and ``assign`` accept null).
NEEDS_VALUE = frozenset({BulkAction.MOVE, BulkAction.SET_PRIORITY, BulkAction.SET_DUE_DATE,
                         BulkAction.ADD_LABELS, BulkAction.REMOVE_LABELS, BulkAction.ASSIGN})

"""One description of the task list query.

Each filter a list accepts is described once, in ``FILTERS``: its query parameter, the
``TaskQuery`` attribute it fills, the kind of value and its documentation. The parser
(``services/task_query.py``), the OpenAPI parameters (``api/tasks.py``), the browser's
URL builder (``web/navigation.py``) and "is this list filtered?" are all derived from
it; the repository holds the SQL of each filter, keyed by the same attribute name. A new
filter is one entry here, one field on ``TaskQuery`` and its SQL.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from taskweb import rules
from taskweb.domain.filter_grammar import GRAMMAR_DOC
from taskweb.models import TaskPriority, TaskStatus

SORT_FIELDS = ("created_at", "updated_at", "due_date", "priority", "title", "status",
               "position")
DEFAULT_SORT = "-created_at"
SORT_CHOICES = tuple(f"{prefix}{name}" for name in SORT_FIELDS for prefix in ("", "-"))


class FilterKind(enum.Enum):
    ENUM_LIST = "enum_list"  # one value, a comma list, or the parameter repeated
    DATETIME = "datetime"  # one ISO 8601 datetime, naive taken as UTC
    TEXT = "text"  # free text, at most rules.SEARCH_MAX characters
    IDS = "ids"  # one id, a comma-separated list, or the parameter repeated (any of them)
    LABELS = "labels"  # the parameter repeated: every label given must be on the task
    ASSIGNEE = "assignee"  # `me`, `none` or a user id
    PARENT = "parent"  # `none` (top-level tasks only) or a task id (its subtasks)
    EXPRESSION = "expression"  # a query in the filter language (domain/filter_grammar.py)


@dataclass(frozen=True)
class Filter:
    parameter: str
    attribute: str
    kind: FilterKind
    description: str
    choices: type[enum.Enum] | None = None


FILTERS: tuple[Filter, ...] = (
    Filter("status", "statuses", FilterKind.ENUM_LIST,
           "One value, a comma-separated list, or the parameter repeated.", TaskStatus),
    Filter("priority", "priorities", FilterKind.ENUM_LIST,
           "One value, a comma-separated list, or the parameter repeated.", TaskPriority),
    Filter("due_before", "due_before", FilterKind.DATETIME,
           "Inclusive upper bound on due_date; a naive datetime is UTC."),
    Filter("due_after", "due_after", FilterKind.DATETIME,
           "Inclusive lower bound on due_date; a naive datetime is UTC."),
    Filter("q", "text", FilterKind.TEXT,
           "Case-insensitive text search in title and description."),
    Filter("project_id", "project_ids", FilterKind.IDS,
           "Tasks of these projects (one id, a comma-separated list, or the parameter "
           "repeated); without it, every project you belong to."),
    Filter("label", "labels", FilterKind.LABELS,
           "Repeatable: tasks that carry every label given (case-insensitive)."),
    Filter("assignee", "assignee", FilterKind.ASSIGNEE,
           "`me`, `none` (unassigned) or a user id."),
    Filter("parent_id", "parent", FilterKind.PARENT,
           "`none` for top-level tasks only, or a task id for its subtasks."),
    Filter("filter", "expression", FilterKind.EXPRESSION, GRAMMAR_DOC),
)
ME, NONE = "me", "none"
SORT_DESCRIPTION = (
    "Prefix `-` for descending; ties broken by id. Priority sorts by rank "
    "(low < medium < high), status in workflow order (todo < in_progress < completed); "
    "tasks without a due date sort last in both directions; `position` is the manual order."
)
# Paging: `page` (1-based) is the browser's alternative to `offset`.
PAGING_PARAMETERS = ("sort", "limit", "offset", "page")
QUERY_PARAMETERS = frozenset(f.parameter for f in FILTERS) | frozenset(PAGING_PARAMETERS)


@dataclass(frozen=True)
class TaskQuery:
    """Filters, sort and page of a task list, already validated."""

    statuses: tuple[TaskStatus, ...] = ()
    priorities: tuple[TaskPriority, ...] = ()
    due_before: datetime | None = None
    due_after: datetime | None = None
    text: str | None = None
    project_ids: tuple[int, ...] = ()
    labels: tuple[str, ...] = ()  # label keys (case-folded)
    assignee: int | str | None = None  # a user id, ME or NONE
    parent: int | str | None = None  # a task id or NONE
    # The filter's AST; its dates are made UTC instants by the service (filter_dates).
    expression: Any = None
    sort: str = DEFAULT_SORT
    limit: int = rules.PAGE_LIMIT_DEFAULT
    offset: int = 0

    @property
    def active_filters(self) -> dict[str, Any]:
        """The filters in effect, by attribute name (empty and None values left out)."""
        return {
            f.attribute: getattr(self, f.attribute)
            for f in FILTERS
            if getattr(self, f.attribute) not in (None, (), "")
        }

    @property
    def is_filtered(self) -> bool:
        return bool(self.active_filters)


@dataclass
class TaskPage:
    """One page of a task list and how many tasks match its filters in all."""

    items: list[Any]
    total: int
    limit: int
    offset: int
    query: TaskQuery = field(default_factory=TaskQuery)


def _check_table() -> None:
    """Every filter fills a TaskQuery attribute (caught at import, not in production)."""
    attributes = {f.name for f in fields(TaskQuery)}
    missing = [f.attribute for f in FILTERS if f.attribute not in attributes]
    if missing:
        raise TypeError(f"TaskQuery has no attribute for filters {missing}")


_check_table()

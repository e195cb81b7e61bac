"""The formats' names, columns and limits, and the plan an import is read into: checked
in full, each fault named by its place, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from taskweb.errors import ValidationFailed
from taskweb.models import TaskStatus
from taskweb.services.task_fields import (
    PARENT_IN_ANOTHER_PROJECT,
    PARENT_IS_A_SUBTASK,
    clean_task_fields,
)
from taskweb.services.validation import FieldErrors, clean_project_name

FORMAT = "taskweb-export"
VERSION = 1
CSV_COLUMNS = ("title", "description", "status", "priority", "due_date", "project", "labels")
# One import is one transaction: bounded, so that no request holds the database for long.
MAX_TASKS = 5_000
MAX_PROJECTS = 1_000
POSITION_MAX = 64
# A hopeless file gets the first of its faults, not one message per row.
MAX_REPORTED_ROWS = 50

# What a task of the document carries: the fields a client may set, then those the
# document adds. created_at and updated_at are read as information only (an import
# makes new ones); so are a project's members (an import shares nothing with anyone).
TASK_FIELDS = ("title", "description", "status", "priority", "due_date", "labels")
TASK_FIELDS += ("reminders",)  # a time already past is imported as delivered
TASK_KEYS = frozenset({"ref", "project", *TASK_FIELDS, "parent_ref", "assignee",
                       "completed_at", "deleted_at", "position", "created_at",
                       "updated_at"})
PROJECT_KEYS = frozenset({"name", "description", "color", "is_inbox", "archived", "members",
                          "created_at", "updated_at"})
FILTER_KEYS = frozenset({"name", "query", "created_at", "updated_at"})
MAX_FILTERS = 1_000
DOCUMENT_KEYS = frozenset({"format", "version", "exported_at", "user", "projects", "tasks",
                           "saved_filters"})


@dataclass(frozen=True)
class ImportedProject:
    """A project the import names. Its fields apply only if it has to be created."""

    name: str
    description: str | None = None
    color: str | None = None
    archived: bool = False


@dataclass
class ImportedTask:
    where: str  # "tasks[3]" or "line 4": the prefix of its error messages
    project: str | None  # a project's name; None: the Inbox
    fields: dict[str, Any]  # cleaned by clean_task_fields: title, status, labels, ...
    parent: int | None = None  # index of the parent in ImportPlan.tasks
    assignee: str | None = None  # a username
    completed_at: datetime | None = None
    deleted_at: datetime | None = None  # set: the task is imported into the trash
    position: str | None = None

    @property
    def status(self) -> TaskStatus:
        return self.fields.get("status") or TaskStatus.TODO


@dataclass
class ImportPlan:
    """What an import will create, read and checked in full before any write."""

    projects: list[ImportedProject] = field(default_factory=list)
    tasks: list[ImportedTask] = field(default_factory=list)
    saved_filters: list[tuple[str, str]] = field(default_factory=list)  # (name, query)
    # The exporting account's username: tasks assigned to it go to the importing account.
    own_username: str | None = None

    def name_project(self, name: str | None) -> None:
        """Add a project the import mentions only by name, once (names are compared
        case-insensitively, the first spelling kept)."""
        if name is not None and all(p.name.lower() != name.lower() for p in self.projects):
            self.projects.append(ImportedProject(name=name))


class PlacedErrors(FieldErrors):
    """Messages keyed by place (``tasks[3].status``), counting the rows at fault."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: set[str] = set()

    def at(self, where: str, name: str, message: str) -> None:
        self.rows.add(where)
        self.add(".".join(part for part in (where, name) if part), message)

    def merge(self, where: str, found: FieldErrors | ValidationFailed) -> None:
        for name, messages in found.errors.items():
            for message in messages:
                self.at(where, name, message)

    @property
    def full(self) -> bool:
        return len(self.rows) >= MAX_REPORTED_ROWS

    def raise_if_any(self) -> None:
        if self.errors:
            detail = "Nothing was imported: the input is not valid."
            if self.full:
                detail += f" Only the faults of its first {MAX_REPORTED_ROWS} rows are listed."
            raise ValidationFailed(self.errors, detail)


def task_fields(where: str, values: dict[str, Any], errors: PlacedErrors) -> dict[str, Any]:
    """The rules a task is created by, whichever door (``clean_task_fields``)."""
    try:
        return clean_task_fields(values, creating=True)
    except ValidationFailed as failure:
        errors.merge(where, failure)
        return {}


def project_of_task(value: Any, where: str, inbox_names: set[str],
                     errors: PlacedErrors) -> str | None:
    """The name of a task's project; None for the Inbox (no name, or the Inbox's)."""
    if value is None:
        return None
    found = FieldErrors()
    name = clean_project_name(value, found, "project")
    errors.merge(where, found)
    if name is None or name.lower() in inbox_names:
        return None
    return name


def check_parents(plan: ImportPlan, errors: PlacedErrors) -> None:
    """Subtasks are one level deep and in their parent's project, as on create."""
    def same(a: str | None, b: str | None) -> bool:
        return (a or "").lower() == (b or "").lower()

    for task in plan.tasks:
        if task.parent is None:
            continue
        parent = plan.tasks[task.parent]
        if parent.parent is not None or parent is task:
            errors.at(task.where, "parent_ref", PARENT_IS_A_SUBTASK)
        elif not same(parent.project, task.project):
            errors.at(task.where, "parent_ref", PARENT_IN_ANOTHER_PROJECT)

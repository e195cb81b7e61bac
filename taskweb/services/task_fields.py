"""The rules of a task's fields: first each value on its own, then against the database
(the project the caller may write to, the parent, the assignee), each rule once, for the
API and the browser alike."""

from __future__ import annotations

from typing import Any

from taskweb.domain.access import Action, may
from taskweb.errors import NotFound, PermissionDenied
from taskweb.models import Role, Task, TaskPriority, TaskStatus, User
from taskweb.services.reminder_fields import clean_reminders
from taskweb.services.validation import (
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
    clean_datetime,
    clean_description,
    clean_enum,
    clean_id,
    clean_labels,
    clean_recurrence,
    clean_title,
    label_key,
)
from taskweb.unit_of_work import UnitOfWork

# What a client may set. (position changes only by a move; created_by, completed_at and
# subtasks follow from the rest.)
TASK_FIELDS = frozenset({"title", "description", "status", "priority", "due_date",
                         "project_id", "labels", "parent_id", "assignee_id",
                         "recurrence"})
TASK_FIELDS |= {"reminders"}  # written whole, like labels (services/reminder_fields.py)
PROJECT_NOT_FOUND = "No project of yours has this id."
# The rules of a task's relations, in the words both doors (and the import) give.
PARENT_IS_A_SUBTASK = "Subtasks are one level deep: this task is a subtask."
PARENT_IN_ANOTHER_PROJECT = "A subtask must be in its parent's project."
ASSIGNEE_NOT_A_MEMBER = "The assignee must be a member of the task's project."
RECURRENCE_NEEDS_DUE_DATE = "A repeating task needs a due date to repeat from."


def clean_task_fields(changes: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate a subset of task fields on their own; on create the title is required."""
    errors = FieldErrors()
    for name in sorted(set(changes) - TASK_FIELDS):
        errors.add(name, UNKNOWN_FIELD)
    if creating and "title" not in changes:
        errors.add("title", REQUIRED)
    cleaners = {
        "title": lambda v: clean_title(v, errors),
        "description": lambda v: clean_description(v, errors),
        "status": lambda v: clean_enum(v, TaskStatus, "status", errors),
        "priority": lambda v: clean_enum(v, TaskPriority, "priority", errors),
        "due_date": lambda v: clean_datetime(v, "due_date", errors),
        "project_id": lambda v: clean_id(v, "project_id", errors, nullable=False),
        "labels": lambda v: clean_labels(v, errors),
        "parent_id": lambda v: clean_id(v, "parent_id", errors),
        "assignee_id": lambda v: clean_id(v, "assignee_id", errors),
        "recurrence": lambda v: clean_recurrence(v, errors),
        "reminders": lambda v: clean_reminders(v, errors),
    }
    cleaned = {name: cleaners[name](value) for name, value in changes.items()
               if name in cleaners}
    errors.raise_if_any()
    return cleaned


def writable_project(uow: UnitOfWork, user: User, project_id: int | None) -> int:
    """The project to write a task into: the one named (the caller must be an editor:
    404 if not a member, 403 if only a viewer), or the caller's Inbox."""
    return writable_project_and_role(uow, user, project_id)[0]


def writable_project_and_role(uow: UnitOfWork, user: User, project_id: int | None
                              ) -> tuple[int, Role]:
    """``writable_project`` and the caller's role in it (a new task answers with it)."""
    if project_id is None:
        inbox = uow.projects.inbox_of(user.id)
        if inbox is None:  # every account has one; a missing Inbox is a broken invariant
            raise NotFound("Your Inbox is missing.")
        return inbox.id, Role.OWNER  # the Inbox is looked up by its owner
    role = uow.projects.role_of(user.id, project_id)
    if role is None:
        raise NotFound(PROJECT_NOT_FOUND, {"project_id": [PROJECT_NOT_FOUND]})
    if not may(role, Action.EDIT_TASKS):
        message = "You may only view the tasks of this project."
        raise PermissionDenied(message, {"project_id": [message]})
    return project_id, role


def check_relations(uow: UnitOfWork, user: User, cleaned: dict[str, Any],
                    task: Task | None) -> None:
    """The parent and the assignee, against the project the task ends up in
    (``task`` is None on create, when ``cleaned["project_id"]`` is already resolved)."""
    errors = FieldErrors()
    project_id = cleaned.get("project_id", task.project_id if task else None)
    parent_id = cleaned["parent_id"] if "parent_id" in cleaned else (
        task.parent_id if task else None)
    if parent_id is not None:
        parent = uow.tasks.get(user.id, parent_id)
        if parent is None:
            errors.add("parent_id", "No task you can see has this id.")
        elif parent.parent_id is not None:
            errors.add("parent_id", PARENT_IS_A_SUBTASK)
        elif parent.project_id != project_id:
            errors.add("parent_id", PARENT_IN_ANOTHER_PROJECT)
        elif task is not None and (parent.id == task.id or task.subtasks_total):
            errors.add("parent_id", "A task with subtasks cannot become a subtask.")
    if task is not None and project_id != task.project_id and parent_id is not None \
            and "parent_id" not in cleaned:
        errors.add("project_id", "A subtask moves with its parent; set parent_id to null "
                                 "to move it on its own.")
    assignee_id = cleaned.get("assignee_id")
    if assignee_id is not None and not uow.projects.is_member(assignee_id, project_id):
        errors.add("assignee_id", ASSIGNEE_NOT_A_MEMBER)
    if _after_change(cleaned, task, "recurrence") and not _after_change(cleaned, task,
                                                                         "due_date"):
        errors.add("recurrence", RECURRENCE_NEEDS_DUE_DATE)
    errors.raise_if_any()


def _after_change(cleaned: dict[str, Any], task: Task | None, name: str) -> Any:
    """The value ``name`` has once ``cleaned`` is applied to ``task`` (None on create)."""
    return cleaned[name] if name in cleaned else getattr(task, name, None)


def label_rows(names: list[str]) -> tuple[list[str], list[str]]:
    return names, [label_key(name) for name in names]


def refuse_viewer(task: Task) -> None:
    if not may(task.caller_role, Action.EDIT_TASKS):
        raise PermissionDenied("You may only view the tasks of this project.")


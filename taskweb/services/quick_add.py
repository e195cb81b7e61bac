"""Quick add: a task from one line of text, through the same create path as any task.

The parser (``domain.quick_add``) reads the text; this use case finds the ``#Project``
it names among the caller's projects, checks the result with the task rules, and either
shows what it would create (the preview: nothing written) or creates it. Every problem
with the text is reported on the field ``text``, the one the person typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from taskweb import rules
from taskweb.domain.access import Action, may
from taskweb.domain.dates import zone_named
from taskweb.domain.quick_add import QuickAdd, QuickAddError, parse_quick_add
from taskweb.errors import ValidationFailed
from taskweb.models import Task, TaskPriority, User
from taskweb.services.ports import Clock, system_clock
from taskweb.services.task_fields import writable_project
from taskweb.services.tasks import TaskService
from taskweb.services.validation import (
    NOT_A_STRING,
    REQUIRED,
    FieldErrors,
    clean_id,
    clean_labels,
    clean_title,
)
from taskweb.unit_of_work import UnitOfWork

QUICK_ADD_TEXT_MAX = 500
TEXT = "text"


def _clean_text(value: Any, errors: FieldErrors) -> str | None:
    if value is None:
        errors.add(TEXT, REQUIRED)
    elif not isinstance(value, str):
        errors.add(TEXT, NOT_A_STRING)
    elif rules.CONTROL_CHARS_RE.search(value) or "\n" in value or "\r" in value:
        errors.add(TEXT, "Must be one line without control characters.")
    elif len(value) > QUICK_ADD_TEXT_MAX:
        errors.add(TEXT, f"Must be at most {QUICK_ADD_TEXT_MAX} characters.")
    else:
        return value
    return None


@dataclass(frozen=True)
class QuickAddPlan:
    """The task a text would make: the fields for TaskService.create, and what the
    parser understood (to show it)."""

    parsed: QuickAdd
    project_id: int
    project_name: str
    fields: dict[str, Any]

    @property
    def priority(self) -> TaskPriority:
        return self.fields.get("priority", TaskPriority.MEDIUM)


class QuickAddService:
    def __init__(self, uow: UnitOfWork, tasks: TaskService,
                 clock: Clock = system_clock) -> None:
        self.uow = uow
        self.tasks = tasks
        self.clock = clock

    def preview(self, user: User, text: Any, project_id: Any = None,
                zone: tzinfo | None = None) -> QuickAddPlan:
        """What ``create`` would make of ``text``, read in ``zone`` (default: the zone
        of the caller's profile); reads, writes nothing."""
        errors = FieldErrors()
        cleaned_text = _clean_text(text, errors)
        default_project = clean_id(project_id, "project_id", errors)
        errors.raise_if_any()
        assert cleaned_text is not None
        try:
            parsed = parse_quick_add(cleaned_text, zone or zone_named(user.time_zone),
                                     self.clock())
        except QuickAddError as error:
            raise ValidationFailed({error.field: [error.message]},
                                   f"The text cannot be read: {error.message}") from None
        title = clean_title(parsed.title, errors)
        labels = clean_labels(list(parsed.labels), errors) if parsed.labels else []
        if errors.errors:  # say it on the box the person typed in
            raise ValidationFailed({TEXT: [message for messages in errors.errors.values()
                                           for message in messages]})
        if parsed.project is not None:
            project_id_found, project_name = self._project_named(user, parsed.project)
        else:
            project_id_found = writable_project(self.uow, user, default_project)
            project_name = self._name_of(user, project_id_found)
        fields: dict[str, Any] = {"title": title, "project_id": project_id_found,
                                  "labels": labels, "due_date": parsed.due_date,
                                  "recurrence": parsed.recurrence}
        if parsed.priority is not None:
            fields["priority"] = TaskPriority(parsed.priority)
        return QuickAddPlan(parsed, project_id_found, project_name, fields)

    def create(self, user: User, text: Any, project_id: Any = None,
               idempotency_key: str | None = None,
               zone: tzinfo | None = None) -> tuple[Task, bool]:
        """The task ``text`` describes, and whether it was an Idempotency-Key replay."""
        plan = self.preview(user, text, project_id, zone)
        if idempotency_key is None:
            return self.tasks.create(user, plan.fields), False
        request = {"quick_add": text, "project_id": project_id}
        return self.tasks.create_idempotent(user, plan.fields, idempotency_key, request)

    def _project_named(self, user: User, name: str) -> tuple[int, str]:
        """The project called ``name`` that the caller may add tasks to."""
        found = self.uow.projects.named(user.id, name)
        for project, role in found:
            if may(role, Action.EDIT_TASKS):
                return project.id, project.name
        if found:
            message = f'You may only view the tasks of the project "{name}".'
        else:
            message = f'You have no project called "{name}".'
        raise ValidationFailed({TEXT: [message]}, message)

    def _name_of(self, user: User, project_id: int) -> str:
        view = self.uow.projects.get(user.id, project_id)
        return view.project.name if view is not None else ""

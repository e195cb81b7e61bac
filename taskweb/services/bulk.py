"""Bulk actions: one request changes many tasks, all or nothing.

Every id is checked before anything is written: an id the caller cannot see is a 404, a
task they may only view a 403, a value that does not fit a task a 422; each error names
the ids at fault in ``errors.ids`` (as strings, the shape of every field error). The
rows are locked in id order for the whole transaction, so two bulk requests over the
same tasks run one after the other and neither's changes are lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from taskweb import rules
from taskweb.domain.access import Action, may
from taskweb.domain.bulk import BULK_IDS_MAX, BULK_IDS_MIN, NEEDS_VALUE, BulkAction
from taskweb.domain.completion import completion_values, shifted_reminders
from taskweb.domain.dates import zone_named
from taskweb.domain.history import changes_between, json_value, snapshot
from taskweb.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from taskweb.models import Task, TaskEventKind, TaskPriority, TaskStatus, User
from taskweb.services.notifications import Notices
from taskweb.services.ports import Clock, system_clock
from taskweb.services.reminder_fields import STALE_REMINDER
from taskweb.services.task_fields import writable_project
from taskweb.services.validation import (
    UNKNOWN_FIELD,
    FieldErrors,
    clean_datetime,
    clean_enum,
    clean_id,
    clean_labels,
    label_key,
)
from taskweb.unit_of_work import UnitOfWork

BODY_FIELDS = frozenset({"ids", "action", "value"})


@dataclass(frozen=True)
class BulkRequest:
    ids: list[int]  # without repeats, in the order given
    action: BulkAction
    value: Any


def _at_fault(error: type[DomainError], detail: str, ids: list[int],
              **more: list[str]) -> DomainError:
    """``error`` naming ``ids`` in ``errors.ids`` (and any further fields)."""
    errors = {"ids": [str(task_id) for task_id in ids], **more}
    if error is ValidationFailed:
        return ValidationFailed(errors, detail)
    return error(detail, errors)


def clean_bulk_request(body: Any) -> BulkRequest:
    """The request's shape and value on their own (422 naming each bad field)."""
    errors = FieldErrors()
    if not isinstance(body, dict):
        raise ValidationFailed({"body": ["Must be an object with ids, action and value."]})
    for name in sorted(set(body) - BODY_FIELDS):
        errors.add(name, UNKNOWN_FIELD)
    ids = _clean_ids(body.get("ids"), errors)
    action = None
    if "action" not in body:
        errors.add("action", "Required.")
    else:
        action = clean_enum(body["action"], BulkAction, "action", errors)
    value = None
    if action is not None:
        if action in NEEDS_VALUE and "value" not in body:
            errors.add("value", "Required for this action.")
        elif action not in NEEDS_VALUE and body.get("value") is not None:
            errors.add("value", "This action takes no value.")
        elif action in NEEDS_VALUE:
            value = _clean_value(action, body["value"], errors)
    errors.raise_if_any()
    assert action is not None
    return BulkRequest(ids, action, value)


def _clean_ids(value: Any, errors: FieldErrors) -> list[int]:
    if value is None:
        errors.add("ids", "Required.")
        return []
    if not isinstance(value, list) or not BULK_IDS_MIN <= len(value) <= BULK_IDS_MAX:
        errors.add("ids", f"Must be a list of {BULK_IDS_MIN} to {BULK_IDS_MAX} task ids.")
        return []
    found = FieldErrors()
    ids = [clean_id(item, "ids", found, nullable=False) for item in value]
    if found.errors:
        errors.add("ids", "Each id must be a positive integer.")
        return []
    return list(dict.fromkeys(task_id for task_id in ids if task_id is not None))


def _clean_value(action: BulkAction, value: Any, errors: FieldErrors) -> Any:
    if action is BulkAction.MOVE:
        return clean_id(value, "value", errors, nullable=False)
    if action is BulkAction.SET_PRIORITY:
        return clean_enum(value, TaskPriority, "value", errors)
    if action is BulkAction.SET_DUE_DATE:
        return clean_datetime(value, "value", errors)
    if action in (BulkAction.ADD_LABELS, BulkAction.REMOVE_LABELS):
        labels = clean_labels(value, errors, field="value")
        if labels == []:
            errors.add("value", "Name at least one label.")
        return labels
    return clean_id(value, "value", errors)  # assign: a user id or null


class BulkService:
    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock,
                 notices: Notices | None = None) -> None:
        self.uow = uow
        self.clock = clock
        self.notices = notices or Notices(uow, clock)

    def apply(self, user: User, body: Any) -> list[Task]:
        """Apply one action to every task named, or to none. Returns them as they are
        now, in the order named (after a delete: as they are in the trash)."""
        request = clean_bulk_request(body)
        with self.uow:
            tasks = self.uow.bulk.lock(user.id, request.ids)
            found = {task.id for task in tasks}
            missing = [task_id for task_id in request.ids if task_id not in found]
            if missing:
                raise _at_fault(NotFound, "No task you can see has these ids.", missing)
            read_only = [task.id for task in tasks if not may(task.caller_role,
                                                              Action.EDIT_TASKS)]
            if read_only:
                raise _at_fault(PermissionDenied,
                                "You may only view the tasks with these ids.", read_only)
            self._handlers()[request.action](user, tasks, request.value)
        trashed = request.action is BulkAction.DELETE
        by_id = {task.id: task for task in self.uow.bulk.read(user.id, request.ids,
                                                               trashed=trashed)}
        return [by_id[task_id] for task_id in request.ids if task_id in by_id]

    def _handlers(self) -> dict[BulkAction, Callable[[User, list[Task], Any], None]]:
        return {
            BulkAction.COMPLETE: self._complete,
            BulkAction.REOPEN: self._reopen,
            BulkAction.DELETE: self._delete,
            BulkAction.MOVE: self._move,
            BulkAction.SET_PRIORITY: self._set_priority,
            BulkAction.SET_DUE_DATE: self._set_due_date,
            BulkAction.ADD_LABELS: self._add_labels,
            BulkAction.REMOVE_LABELS: self._remove_labels,
            BulkAction.ASSIGN: self._assign,
        }

    def _record(self, user: User, kind: TaskEventKind, tasks: list[Task],
                new_values: Callable[[Task], dict[str, Any]] | None = None) -> None:
        """One history event per task, all in one INSERT, made before the write from the
        tasks as read. With ``new_values`` (the JSON values a task's fields take), only
        tasks with a field that changes get one."""
        now = self.clock()
        events = []
        for task in tasks:
            changes: dict[str, list[Any]] = {}
            if new_values is not None:
                before = snapshot(task)
                changes = changes_between(before, {**before, **new_values(task)})
                if not changes:
                    continue
            events.append({"task_id": task.id, "user_id": user.id, "kind": kind, "at": now,
                           "changes": changes})
        self.uow.history.record_many(events)

    def _complete(self, user: User, tasks: list[Task], value: Any) -> None:
        """Completed ones stay as they are (their completed_at is kept); repeating ones
        advance to their next occurrence (``domain.completion``)."""
        now, zone = self.clock(), zone_named(user.time_zone)
        open_tasks = [task for task in tasks if task.status is not TaskStatus.COMPLETED]
        outcome = {task.id: completion_values(task.recurrence, task.due_date, zone, now)
                   for task in open_tasks}
        done = [task_id for task_id, values in outcome.items()
                if values["status"] is TaskStatus.COMPLETED]
        self._record(user, TaskEventKind.COMPLETED, open_tasks, lambda task: {
            name: json_value(value) for name, value in outcome[task.id].items()
            if name != "completed_at"})
        self.uow.bulk.update(done, now, status=TaskStatus.COMPLETED, completed_at=now)
        advanced = {task_id: values for task_id, values in outcome.items()
                    if values["status"] is not TaskStatus.COMPLETED}
        reminders = {task.id: shifted_reminders(task.reminders, task.due_date,
                                                advanced[task.id]["due_date"])
                     for task in open_tasks if task.id in advanced and task.reminders}
        self.uow.bulk.advance(advanced, now)
        self.uow.reminders.replace_many(reminders, now - STALE_REMINDER)

    def _reopen(self, user: User, tasks: list[Task], value: Any) -> None:
        """Completed ones go back to "to do"; open ones stay as they are."""
        done = [task for task in tasks if task.status is TaskStatus.COMPLETED]
        self._record(user, TaskEventKind.CHANGED, done,
                     lambda task: {"status": TaskStatus.TODO.value})
        self.uow.bulk.update([task.id for task in done], self.clock(), status=TaskStatus.TODO,
                             completed_at=None)

    def _delete(self, user: User, tasks: list[Task], value: Any) -> None:
        self._record(user, TaskEventKind.DELETED, tasks)
        self.uow.trash.put([task.id for task in tasks], self.clock())

    def _move(self, user: User, tasks: list[Task], project_id: int) -> None:
        """Like a move of each: editor rights on the target, subtasks come along. A
        subtask moves only with its parent (both named, or the parent alone)."""
        try:
            target = writable_project(self.uow, user, project_id)
        except (NotFound, PermissionDenied) as error:
            raise type(error)(error.detail, {"value": [error.detail]}) from None
        named = {task.id for task in tasks}
        alone = [task.id for task in tasks
                 if task.parent_id is not None and task.parent_id not in named
                 and task.project_id != target]
        if alone:
            raise _at_fault(ValidationFailed, "A subtask moves with its parent: these are "
                            "subtasks whose parent is not among the ids.", alone)
        moving = [task for task in tasks if task.parent_id is None
                  and task.project_id != target]
        self._record(user, TaskEventKind.MOVED, moving, lambda task: {"project_id": target})
        came_from = {task.id: task.project_id for task in moving}
        moved = self.uow.bulk.move(list(came_from), target, self.clock())
        # Their subtasks came along from the parent's project.
        self.uow.history.record_many([
            {"task_id": task_id, "user_id": user.id, "kind": TaskEventKind.MOVED,
             "at": self.clock(), "changes": {"project_id": [came_from[parent_id], target]}}
            for task_id, parent_id in moved if task_id not in came_from
            and parent_id in came_from])

    def _set_priority(self, user: User, tasks: list[Task], priority: TaskPriority) -> None:
        self._record(user, TaskEventKind.CHANGED, tasks,
                     lambda task: {"priority": priority.value})
        self.uow.bulk.update([task.id for task in tasks], self.clock(), priority=priority)

    def _set_due_date(self, user: User, tasks: list[Task], due: Any) -> None:
        if due is None:
            recurring = [task.id for task in tasks if task.recurrence]
            if recurring:
                raise _at_fault(ValidationFailed, "A repeating task needs a due date.",
                                recurring, value=["These tasks repeat: they need a due date."])
        self._record(user, TaskEventKind.CHANGED, tasks,
                     lambda task: {"due_date": json_value(due)})
        self.uow.bulk.update([task.id for task in tasks], self.clock(), due_date=due)

    def _add_labels(self, user: User, tasks: list[Task], names: list[str]) -> None:
        """Each task keeps its labels and gains those it lacks, after them."""
        rows: list[dict[str, Any]] = []
        too_many = []
        for task in tasks:
            keys = {label.key for label in task.labels}
            new = [name for name in names if label_key(name) not in keys]
            if len(keys) + len(new) > rules.LABELS_PER_TASK:
                too_many.append(task.id)
            start = max((label.position for label in task.labels), default=-1) + 1
            rows.extend({"task_id": task.id, "key": label_key(name), "name": name,
                         "position": start + offset} for offset, name in enumerate(new))
        if too_many:
            message = f"A task carries at most {rules.LABELS_PER_TASK} labels."
            raise _at_fault(ValidationFailed, message, too_many, value=[message])
        added = {task.id: [row["name"] for row in rows if row["task_id"] == task.id]
                 for task in tasks}
        self._record(user, TaskEventKind.CHANGED, tasks,
                     lambda task: {"labels": task.label_names + added[task.id]})
        self.uow.bulk.add_labels(rows)
        self.uow.bulk.update([task.id for task in tasks], self.clock())

    def _remove_labels(self, user: User, tasks: list[Task], names: list[str]) -> None:
        ids = [task.id for task in tasks]
        keys = {label_key(name) for name in names}
        self._record(user, TaskEventKind.CHANGED, tasks, lambda task: {
            "labels": [label.name for label in task.labels if label.key not in keys]})
        self.uow.bulk.remove_labels(ids, list(keys))
        self.uow.bulk.update(ids, self.clock())

    def _assign(self, user: User, tasks: list[Task], assignee_id: int | None) -> None:
        if assignee_id is not None:
            projects = self.uow.bulk.projects_with_member(
                assignee_id, {task.project_id for task in tasks})
            outside = [task.id for task in tasks if task.project_id not in projects]
            if outside:
                message = "The assignee must be a member of the task's project."
                raise _at_fault(ValidationFailed, message, outside, value=[message])
        newly = [task for task in tasks if task.assignee_id != assignee_id]
        self._record(user, TaskEventKind.CHANGED, tasks,
                     lambda task: {"assignee_id": assignee_id})
        self.uow.bulk.update([task.id for task in tasks], self.clock(),
                             assignee_id=assignee_id)
        self.notices.assigned(user, newly, assignee_id)

"""Use cases of tasks. Every call takes who is asking: a task of a project they do not
belong to is simply not found (404); one they may only view cannot be changed (403)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import replace
from datetime import tzinfo
from typing import Any

from taskweb.domain.completion import completion_values, shifted_reminders
from taskweb.domain.dates import zone_named
from taskweb.domain.filter_dates import resolve_dates
from taskweb.domain.history import changes_between, snapshot
from taskweb.domain.positions import new_position
from taskweb.domain.task_query import ME, TaskPage, TaskQuery
from taskweb.errors import (
    ChangedMeanwhile,
    Conflict,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from taskweb.models import IdempotencyKey, Task, TaskEventKind, TaskStatus, User
from taskweb.services.notifications import Notices
from taskweb.services.ports import Clock, system_clock
from taskweb.services.reminder_fields import STALE_REMINDER
from taskweb.services.task_fields import (
    check_relations,
    clean_task_fields,
    label_rows,
    refuse_viewer,
    writable_project,
    writable_project_and_role,
)
from taskweb.unit_of_work import UnitOfWork

STALE_VERSION = (
    "The task was changed in another tab or by another request since you loaded it. "
    "Reload it and try again."
)
IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 255


def _check_idempotency_key(key: str) -> None:
    if not 1 <= len(key) <= IDEMPOTENCY_KEY_MAX or not (key.isascii() and key.isprintable()):
        raise ValidationFailed(
            {IDEMPOTENCY_HEADER: [f"Must be 1 to {IDEMPOTENCY_KEY_MAX} printable ASCII characters."]}
        )


def _fingerprint(fields: dict[str, Any]) -> str:
    canonical = json.dumps(fields, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


class TaskService:
    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock,
                 notices: Notices | None = None) -> None:
        self.uow = uow
        self.clock = clock
        self.notices = notices or Notices(uow, clock)

    def create(self, user: User, fields: dict[str, Any]) -> Task:
        """A task in the project named (the caller must be an editor), else the Inbox."""
        with self.uow:
            task = self._new_task(user, fields)
        return task

    def _new_task(self, user: User, fields: dict[str, Any]) -> Task:
        cleaned = clean_task_fields(fields, creating=True)
        cleaned["project_id"], role = writable_project_and_role(self.uow, user,
                                                                cleaned.get("project_id"))
        check_relations(self.uow, user, cleaned, None)
        labels = cleaned.pop("labels", None) or []
        reminders = cleaned.pop("reminders", None) or []
        task = Task(owner_id=user.id, position=new_position(), **cleaned)
        self._complete_if_done(user, task, was_completed=False)
        self._stamp_completion(task)
        self.uow.tasks.add(task)
        self.uow.tasks.set_labels(task, *label_rows(labels))
        self.uow.flush()
        self.uow.history.record(task.id, user.id, TaskEventKind.CREATED, self.clock())
        self.uow.reminders.replace(task, reminders, self.clock() - STALE_REMINDER,
                                   new_task=True)
        task.caller_role = role
        self.notices.assigned(user, [task], task.assignee_id)
        return task

    def create_idempotent(
        self, owner: User, fields: dict[str, Any], key: str,
        request: dict[str, Any] | None = None,
    ) -> tuple[Task, bool]:
        """Create once per (owner, key): a retry returns the first task and True.

        The same key with a different body is refused, so a client bug cannot silently
        get back a task it did not ask for. ``request`` is the body to compare when it
        is not ``fields`` itself (quick add: the text, whose dates depend on the day).
        """
        _check_idempotency_key(key)
        fingerprint = _fingerprint(fields if request is None else request)
        existing = self.uow.idempotency.get(owner.id, key)
        if existing is not None:
            return self._replay(owner, existing, fingerprint), True
        try:
            with self.uow:
                task = self._new_task(owner, fields)
                self.uow.idempotency.add(IdempotencyKey(
                    user_id=owner.id, key=key, fingerprint=fingerprint, task_id=task.id
                ))
        except Conflict as conflict:
            # A concurrent request with the same key committed first: answer with its task.
            existing = self.uow.idempotency.get(owner.id, key)
            if IDEMPOTENCY_HEADER not in conflict.errors or existing is None:
                raise
            return self._replay(owner, existing, fingerprint), True
        return task, False

    def _replay(self, owner: User, record: IdempotencyKey, fingerprint: str) -> Task:
        if record.fingerprint != fingerprint:
            raise ValidationFailed(
                {IDEMPOTENCY_HEADER: ["This key was already used with a different body."]},
                "The Idempotency-Key was already used for another request.",
            )
        if record.task_id is None:
            raise NotFound("The task created with this Idempotency-Key has since been deleted.")
        return self.get(owner, record.task_id)

    def get(self, user: User, task_id: int) -> Task:
        task = self.uow.tasks.get(user.id, task_id)
        if task is None:
            raise NotFound(f"Task {task_id} was not found.")
        return task

    def list(self, user: User, query: TaskQuery, zone: tzinfo | None = None) -> TaskPage:
        """The tasks of every project the caller belongs to (or of those named); the
        dates of a filter are read in ``zone`` (by default the caller's own)."""
        if query.assignee == ME:
            query = replace(query, assignee=user.id)
        if query.expression is not None:
            zone = zone or zone_named(user.time_zone)
            query = replace(query, expression=resolve_dates(query.expression, self.clock(),
                                                            zone))
        return self.uow.tasks.list(user.id, query)

    def update(
        self,
        owner: User,
        task_id: int,
        changes: dict[str, Any],
        expected_versions: Collection[int] | None = None,
    ) -> Task:
        """Apply a partial update. ``expected_versions`` (from If-Match or the edit form)
        guards against lost updates: the stored version must be one of them."""
        cleaned = clean_task_fields(changes, creating=False)

        def apply(task: Task) -> None:
            assignee_before = task.assignee_id
            before, was_completed = snapshot(task), task.status is TaskStatus.COMPLETED
            if "project_id" in cleaned and cleaned["project_id"] != task.project_id:
                self._move(owner, task, cleaned)
            check_relations(self.uow, owner, cleaned, task)
            labels = cleaned.pop("labels", None)
            reminders = cleaned.pop("reminders", None)
            for name, value in cleaned.items():
                setattr(task, name, value)
            if labels is not None:
                self.uow.tasks.set_labels(task, *label_rows(labels))
            completed = self._complete_if_done(owner, task, was_completed)
            if reminders is not None:
                self.uow.reminders.replace(task, reminders, self.clock() - STALE_REMINDER)
            self._stamp_completion(task)
            if task.assignee_id != assignee_before:
                self.notices.assigned(owner, [task], task.assignee_id)
            # Every successful update moves updated_at and the version, even with no change.
            task.version += 1
            self._record_write(owner, task, before, completed)

        return self._write(owner, task_id, expected_versions, apply)

    def _move(self, user: User, task: Task, cleaned: dict[str, Any]) -> None:
        """Into another project: editor rights there too; subtasks come along, and an
        assignee who is not a member there is cleared."""
        target = writable_project(self.uow, user, cleaned["project_id"])
        subtasks = self.uow.tasks.subtasks_of(task)
        self.uow.history.record_many([
            {"task_id": subtask.id, "user_id": user.id, "kind": TaskEventKind.MOVED,
             "at": self.clock(), "changes": {"project_id": [subtask.project_id, target]}}
            for subtask in subtasks if subtask.project_id != target])
        for subtask in subtasks:
            subtask.project_id = target
            if subtask.assignee_id and not self.uow.projects.is_member(subtask.assignee_id,
                                                                         target):
                subtask.assignee_id = None
        if "assignee_id" not in cleaned and task.assignee_id is not None \
                and not self.uow.projects.is_member(task.assignee_id, target):
            cleaned["assignee_id"] = None

    def _complete_if_done(self, user: User, task: Task, was_completed: bool) -> bool:
        """When the status has just become completed, do what completing does (a repeating
        task advances instead: ``domain.completion``), on the caller's wall clock."""
        if task.status is not TaskStatus.COMPLETED or was_completed:
            return False
        due_before = task.due_date
        values = completion_values(task.recurrence, task.due_date,
                                   zone_named(user.time_zone), self.clock())
        for name, value in values.items():
            setattr(task, name, value)
        if task.status is not TaskStatus.COMPLETED and task.reminders:
            self.uow.reminders.replace(
                task, shifted_reminders(task.reminders, due_before, task.due_date),
                self.clock() - STALE_REMINDER)
        return True

    def _record_write(self, user: User, task: Task, before: dict[str, Any],
                      completed: bool) -> None:
        """One history event for a write: ``completed``, else ``moved`` when the project
        changed, else ``changed``; a write that changed no recorded field leaves none."""
        changes = changes_between(before, snapshot(task))
        if completed:
            kind = TaskEventKind.COMPLETED
        elif "project_id" in changes:
            kind = TaskEventKind.MOVED
        elif changes:
            kind = TaskEventKind.CHANGED
        else:
            return
        self.uow.history.record(task.id, user.id, kind, self.clock(), changes)

    def _stamp_completion(self, task: Task) -> None:
        """completed_at is set when the status becomes completed, cleared when it leaves."""
        if task.status is TaskStatus.COMPLETED and task.completed_at is None:
            task.completed_at = self.clock()
        elif task.status is not TaskStatus.COMPLETED:
            task.completed_at = None

    def set_completed(self, owner: User, task_id: int, completed: bool) -> Task:
        status = TaskStatus.COMPLETED if completed else TaskStatus.TODO
        return self.update(owner, task_id, {"status": status})

    def delete(
        self, owner: User, task_id: int, expected_versions: Collection[int] | None = None
    ) -> None:
        """Move the task and its subtasks to the trash (``TrashService.restore`` brings
        back the same task)."""
        def trash(task: Task) -> None:
            self.uow.trash.put([task.id], self.clock())
            self.uow.history.record(task.id, owner.id, TaskEventKind.DELETED, self.clock())

        self._write(owner, task_id, expected_versions, trash)

    def _write(
        self,
        owner: User,
        task_id: int,
        expected_versions: Collection[int] | None,
        change: Callable[[Task], None],
    ) -> Task:
        """Lock the task's row, check the version asked for, change it, commit.

        Writers of one task queue on the lock, so of two that name the same version
        exactly one succeeds and the other gets 412; writers that name none all land,
        one after another. The version column guards the write itself as well (on a
        database without row locks, a lost race is a 412, never a lost update).
        """
        task = self.uow.tasks.get(owner.id, task_id, to_write=True)
        if task is None:
            raise NotFound(f"Task {task_id} was not found.")
        try:
            with self.uow:
                refuse_viewer(task)
                self._check_version(task, expected_versions)
                change(task)
        except ChangedMeanwhile:
            raise PreconditionFailed(STALE_VERSION) from None
        return task

    @staticmethod
    def _check_version(task: Task, expected_versions: Collection[int] | None) -> None:
        if expected_versions is not None and task.version not in expected_versions:
            raise PreconditionFailed(STALE_VERSION)

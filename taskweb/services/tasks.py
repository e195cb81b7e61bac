"""Use cases of tasks. Every call takes the owner; another user's task is simply not found."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from typing import Any

from taskweb.domain.task_query import TaskPage, TaskQuery
from taskweb.errors import (
    ChangedMeanwhile,
    Conflict,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from taskweb.models import IdempotencyKey, Task, TaskPriority, TaskStatus, User
from taskweb.services.validation import (
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
    clean_datetime,
    clean_description,
    clean_enum,
    clean_title,
)
from taskweb.unit_of_work import UnitOfWork

TASK_FIELDS = frozenset({"title", "description", "status", "priority", "due_date"})


def clean_task_fields(changes: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate a subset of task fields; on create the title is required."""
    unknown = set(changes) - TASK_FIELDS
    errors = FieldErrors()
    for name in sorted(unknown):
        errors.add(name, UNKNOWN_FIELD)
    if creating and "title" not in changes:
        errors.add("title", REQUIRED)
    cleaned: dict[str, Any] = {}
    if "title" in changes:
        cleaned["title"] = clean_title(changes["title"], errors)
    if "description" in changes:
        cleaned["description"] = clean_description(changes["description"], errors)
    if "status" in changes:
        cleaned["status"] = clean_enum(changes["status"], TaskStatus, "status", errors)
    if "priority" in changes:
        cleaned["priority"] = clean_enum(changes["priority"], TaskPriority, "priority", errors)
    if "due_date" in changes:
        cleaned["due_date"] = clean_datetime(changes["due_date"], "due_date", errors)
    errors.raise_if_any()
    return cleaned


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
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def create(self, owner: User, fields: dict[str, Any]) -> Task:
        cleaned = clean_task_fields(fields, creating=True)
        task = Task(owner_id=owner.id, **cleaned)
        with self.uow:
            self.uow.tasks.add(task)
        return task

    def create_idempotent(
        self, owner: User, fields: dict[str, Any], key: str
    ) -> tuple[Task, bool]:
        """Create once per (owner, key): a retry returns the first task and True.

        The same key with a different body is refused, so a client bug cannot silently
        get back a task it did not ask for.
        """
        _check_idempotency_key(key)
        fingerprint = _fingerprint(fields)
        existing = self.uow.idempotency.get(owner.id, key)
        if existing is not None:
            return self._replay(owner, existing, fingerprint), True
        cleaned = clean_task_fields(fields, creating=True)
        task = Task(owner_id=owner.id, **cleaned)
        try:
            with self.uow:
                self.uow.tasks.add(task)
                self.uow.flush()
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

    def get(self, owner: User, task_id: int) -> Task:
        task = self.uow.tasks.get(owner.id, task_id)
        if task is None:
            raise NotFound(f"Task {task_id} was not found.")
        return task

    def list(self, owner: User, query: TaskQuery) -> TaskPage:
        return self.uow.tasks.list(owner.id, query)

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
            for name, value in cleaned.items():
                setattr(task, name, value)
            # Every successful update moves updated_at and the version, even with no change.
            task.version += 1

        return self._write(owner, task_id, expected_versions, apply)

    def set_completed(self, owner: User, task_id: int, completed: bool) -> Task:
        status = TaskStatus.COMPLETED if completed else TaskStatus.TODO
        return self.update(owner, task_id, {"status": status})

    def delete(
        self, owner: User, task_id: int, expected_versions: Collection[int] | None = None
    ) -> None:
        self._write(owner, task_id, expected_versions, self.uow.tasks.delete)

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
                self._check_version(task, expected_versions)
                change(task)
        except ChangedMeanwhile:
            raise PreconditionFailed(STALE_VERSION) from None
        return task

    @staticmethod
    def _check_version(task: Task, expected_versions: Collection[int] | None) -> None:
        if expected_versions is not None and task.version not in expected_versions:
            raise PreconditionFailed(STALE_VERSION)

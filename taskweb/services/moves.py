"""Moving a task in the manual order: to a place before or after a sibling, into
another project and, for the board, into a status column (POST /tasks/{id}/move and
the board page). The project rules of a move are the update's (``TaskService``);
what is added here is the place in the list, computed under the project's lock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from taskweb.domain.history import snapshot
from taskweb.domain.positions import NoRoom, key_after, key_between, needs_respace
from taskweb.errors import (
    ChangedMeanwhile,
    NotFound,
    PreconditionFailed,
    ValidationFailed,
)
from taskweb.models import Task, TaskStatus, User
from taskweb.services.task_fields import refuse_viewer, writable_project
from taskweb.services.tasks import STALE_VERSION, TaskService
from taskweb.services.validation import UNKNOWN_FIELD, FieldErrors, clean_enum, clean_id

MOVE_FIELDS = ("project_id", "status", "before_id", "after_id")
ONE_SIBLING = "Give before_id or after_id, not both."
NOT_A_SIBLING = ("This task is not in the list the task moves to (the same project, "
                 "and the same parent: top-level tasks, or subtasks of one task).")
SUBTASK_STAYS = "A subtask moves with its parent; move the parent instead."


@dataclass(frozen=True)
class MoveRequest:
    """Where to put a task, validated on its own."""

    project_id: int | None = None
    status: TaskStatus | None = None
    before_id: int | None = None
    after_id: int | None = None

    @classmethod
    def parse(cls, body: dict[str, Any]) -> MoveRequest:
        errors = FieldErrors()
        for name in sorted(set(body) - set(MOVE_FIELDS)):
            errors.add(name, UNKNOWN_FIELD)
        values = {
            "project_id": clean_id(body.get("project_id"), "project_id", errors),
            "status": (clean_enum(body["status"], TaskStatus, "status", errors)
                       if body.get("status") is not None else None),
            "before_id": clean_id(body.get("before_id"), "before_id", errors),
            "after_id": clean_id(body.get("after_id"), "after_id", errors),
        }
        if values["before_id"] is not None and values["after_id"] is not None:
            errors.add("before_id", ONE_SIBLING)
            errors.add("after_id", ONE_SIBLING)
        errors.raise_if_any()
        return cls(**values)

    @property
    def sibling_field(self) -> str | None:
        if self.before_id is not None:
            return "before_id"
        return "after_id" if self.after_id is not None else None


class MoveService(TaskService):
    def move(self, user: User, task_id: int, body: dict[str, Any]) -> Task:
        """Put the task before or after a sibling (or, with neither, where it is, or at
        the end of another project's list), in the status column asked for.

        The projects it leaves and enters are locked first, then the task: two moves
        in one project queue up, so each reads neighbours nobody else is moving and no
        two tasks ever get one position. Its subtasks follow it to another project.
        """
        request = MoveRequest.parse(body)
        seen = self.get(user, task_id)
        refuse_viewer(seen)
        target = request.project_id or seen.project_id
        try:
            with self.uow:
                if target != seen.project_id:
                    writable_project(self.uow, user, target)
                self.uow.positions.lock_projects({seen.project_id, target})
                task = self.uow.tasks.get(user.id, task_id, to_write=True)
                if task is None:
                    raise NotFound(f"Task {task_id} was not found.")
                if task.project_id != seen.project_id:
                    raise ChangedMeanwhile()
                refuse_viewer(task)
                self._place(user, task, target, request)
        except ChangedMeanwhile:
            raise PreconditionFailed(STALE_VERSION) from None
        return task

    def _place(self, user: User, task: Task, target: int, request: MoveRequest) -> None:
        before, was_completed = snapshot(task), task.status is TaskStatus.COMPLETED
        moving_project = target != task.project_id
        if moving_project and task.parent_id is not None:
            raise ValidationFailed({"project_id": [SUBTASK_STAYS]})
        position = self._position(user, task, target, request, moving_project)
        if moving_project:
            cleaned: dict[str, Any] = {"project_id": target}
            self._move(user, task, cleaned)
            for name, value in cleaned.items():
                setattr(task, name, value)
        if request.status is not None:
            task.status = request.status
        task.position = position
        completed = self._complete_if_done(user, task, was_completed)
        self._stamp_completion(task)
        task.version += 1
        self._record_write(user, task, before, completed)

    def _position(self, user: User, task: Task, target: int, request: MoveRequest,
                  moving_project: bool) -> str:
        """The new key: between the sibling and its neighbour on the other side; the
        list is respaced once if none fits or it would be too long."""
        field = request.sibling_field
        if field is None and not moving_project:
            return task.position
        sibling = None
        if field is not None:
            sibling_id = request.before_id or request.after_id
            sibling = (None if sibling_id == task.id else self.uow.positions.sibling_position(
                user.id, sibling_id, target, task.parent_id))
            if sibling is None:
                raise ValidationFailed({field: [NOT_A_SIBLING]})
        for attempt in range(2):
            try:
                key = self._key(task, target, request, sibling)
                if not needs_respace(key) or attempt:
                    return key
            except NoRoom:
                if attempt:
                    raise
            self.uow.positions.respace(target, task.parent_id, excluding=task.id)
            if field is not None:
                sibling = self.uow.positions.sibling_position(
                    user.id, request.before_id or request.after_id, target, task.parent_id)
        raise AssertionError("unreachable")

    def _key(self, task: Task, target: int, request: MoveRequest, sibling: str | None) -> str:
        positions = self.uow.positions
        if request.before_id is not None:
            low = positions.neighbour(target, task.parent_id, excluding=task.id,
                                      below=(sibling, request.before_id))
            return key_between(low, sibling)
        if request.after_id is not None:
            high = positions.neighbour(target, task.parent_id, excluding=task.id,
                                       above=(sibling, request.after_id))
            return key_between(sibling, high) if high is not None else key_after(sibling)
        return key_after(positions.neighbour(target, task.parent_id, excluding=task.id))

"""Use cases of the trash: see it, restore from it, delete from it for good, empty it.

Putting a task in the trash is ``TaskService.delete`` (and the bulk ``delete``). The
trash of a project is its editors' business: a viewer sees none of it (403 on a restore
or a delete of one of its tasks), a non-member gets 404 as for any task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from taskweb.domain.access import ALLOWED, Action
from taskweb.errors import NotFound, ValidationFailed
from taskweb.models import Task, TaskEventKind, User
from taskweb.services.ports import Clock, system_clock
from taskweb.services.task_fields import refuse_viewer
from taskweb.unit_of_work import UnitOfWork

# What the scheduled maintenance keeps in the trash before it is deleted for good.
TRASH_RETENTION = timedelta(days=30)
EDITING_ROLES = frozenset(role for role, actions in ALLOWED.items()
                          if Action.EDIT_TASKS in actions)


@dataclass(frozen=True)
class TrashPage:
    items: list[Task]
    total: int
    limit: int
    offset: int


def not_in_trash(task_id: int) -> NotFound:
    return NotFound(f"Task {task_id} is not in the trash.")


class TrashService:
    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock) -> None:
        self.uow = uow
        self.clock = clock

    def list(self, user: User, limit: int, offset: int) -> TrashPage:
        """The trash of the projects the caller may edit, newest deletion first."""
        items, total = self.uow.trash.page(user.id, EDITING_ROLES, limit, offset)
        return TrashPage(items, total, limit, offset)

    def restore(self, user: User, task_id: int) -> Task:
        """Bring the task back as it was: same id, created_at, labels, and the subtasks
        that went to the trash with it. A subtask whose parent is still in the trash
        brings its parent back too (with the parent's own trashed subtasks), since a
        subtask cannot stand without its parent."""
        return self.restore_many(user, [task_id])[0]

    def restore_many(self, user: User, task_ids: list[int]) -> list[Task]:
        """``restore`` for several tasks (an Undo after a bulk delete), all or none, in
        a constant number of statements. Returns them in the order given."""
        if not task_ids:
            raise ValidationFailed({"ids": ["Name at least one task to restore."]})
        with self.uow:
            tasks = self.uow.trash.get_many(user.id, task_ids, to_write=True)
            found = {task.id for task in tasks}
            missing = [task_id for task_id in task_ids if task_id not in found]
            if missing:
                raise NotFound(f"Task {missing[0]} is not in the trash.",
                               {"ids": [str(task_id) for task_id in missing]})
            for task in tasks:
                refuse_viewer(task)
            parent_ids = {task.parent_id for task in tasks if task.parent_id is not None}
            parents = (self.uow.trash.get_many(user.id, sorted(parent_ids - found),
                                               to_write=True) if parent_ids - found else [])
            self.uow.trash.restore([*tasks, *parents], self.clock())
            self.uow.history.record_many([
                {"task_id": task.id, "user_id": user.id, "kind": TaskEventKind.RESTORED,
                 "at": self.clock(), "changes": {}} for task in [*tasks, *parents]])
        by_id = {task.id: task for task in self.uow.bulk.read(user.id, task_ids)}
        if len(by_id) != len(set(task_ids)):  # deleted again since the commit above
            raise NotFound("A restored task was deleted again meanwhile.")
        return [by_id[task_id] for task_id in task_ids]

    def delete_forever(self, user: User, task_id: int) -> None:
        """Delete a task of the trash for good, with its subtasks."""
        with self.uow:
            task = self.uow.trash.get(user.id, task_id, to_write=True)
            if task is None:
                raise not_in_trash(task_id)
            refuse_viewer(task)
            self.uow.trash.delete_forever(task)

    def empty(self, user: User) -> int:
        """Delete for good the trash of every project the caller may edit."""
        with self.uow:
            return self.uow.trash.empty(user.id, EDITING_ROLES)

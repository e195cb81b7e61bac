"""Labels across tasks: counted over the tasks the caller may see, renamed and removed
on the tasks the caller may edit. Every query joins the caller's memberships."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, delete, exists, func, select, update
from sqlalchemy.orm import Session, aliased

from taskweb.domain.projects import LabelCount
from taskweb.models import Membership, Role, Task, TaskLabel, utcnow


def _tasks_of(user_id: int, roles: Collection[Role] | None = None) -> Any:
    """The ids of the tasks ``user_id`` may see (with ``roles``: in the projects where
    their role is one of them); those in the trash are neither counted nor changed."""
    statement = select(Task.id).join(
        Membership, and_(Membership.project_id == Task.project_id, Membership.user_id == user_id)
    ).where(Task.deleted_at.is_(None))
    if roles is not None:
        statement = statement.where(Membership.role.in_(list(roles)))
    # Used inside UPDATEs and DELETEs of tasks and labels: never correlated to them.
    return statement.correlate(None)


def _spelling_ranked(rows: list[Any]) -> list[LabelCount]:
    """One entry per label key: the most common spelling among the tasks (ties go to the
    spelling on the oldest task), and the number of tasks carrying the label."""
    spellings: dict[str, list[tuple[int, int, str]]] = {}
    for key, name, tasks, first_task in rows:
        spellings.setdefault(key, []).append((-tasks, first_task, name))
    counts = []
    for key in sorted(spellings):
        ranked = sorted(spellings[key])
        counts.append(LabelCount(name=ranked[0][2], count=sum(-n for n, _, _ in ranked)))
    return counts


class LabelRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def counts(self, user_id: int) -> list[LabelCount]:
        """Every label on the tasks ``user_id`` may see, by name: one statement."""
        statement = (
            select(TaskLabel.key, TaskLabel.name, func.count(), func.min(TaskLabel.task_id))
            .where(TaskLabel.task_id.in_(_tasks_of(user_id)))
            .group_by(TaskLabel.key, TaskLabel.name)
        )
        return _spelling_ranked(list(self.session.execute(statement)))

    def count(self, user_id: int, key: str) -> int:
        """How many tasks ``user_id`` may see carry the label ``key``."""
        return self.session.scalar(
            select(func.count()).select_from(TaskLabel)
            .where(TaskLabel.key == key, TaskLabel.task_id.in_(_tasks_of(user_id)))
        ) or 0

    def rename(self, user_id: int, roles: Collection[Role], key: str, new_name: str,
               new_key: str) -> int:
        """Rename label ``key`` to ``new_name`` on the tasks of the projects where the
        caller's role is one of ``roles``; a task that already carries the new label
        keeps that one (the two merge). Returns how many tasks were changed."""
        carrying = self._carrying(user_id, roles, key)
        changed = self._touch(carrying)
        if not changed:
            return 0
        if new_key == key:
            self.session.execute(
                update(TaskLabel).where(TaskLabel.key == key, TaskLabel.task_id.in_(carrying))
                .values(name=new_name).execution_options(synchronize_session=False)
            )
            return changed
        already = aliased(TaskLabel)
        self.session.execute(
            update(TaskLabel)
            .where(TaskLabel.key == key, TaskLabel.task_id.in_(carrying),
                   ~exists().where(already.task_id == TaskLabel.task_id,
                                   already.key == new_key))
            .values(key=new_key, name=new_name).execution_options(synchronize_session=False)
        )
        # What is left under the old key is on tasks that had the new label already.
        self.session.execute(
            delete(TaskLabel).where(TaskLabel.key == key, TaskLabel.task_id.in_(carrying))
            .execution_options(synchronize_session=False)
        )
        return changed

    def remove(self, user_id: int, roles: Collection[Role], key: str) -> int:
        """Take label ``key`` off the tasks of the projects where the caller's role is one
        of ``roles``. Returns how many tasks were changed."""
        carrying = self._carrying(user_id, roles, key)
        changed = self._touch(carrying)
        if changed:
            self.session.execute(
                delete(TaskLabel).where(TaskLabel.key == key, TaskLabel.task_id.in_(carrying))
                .execution_options(synchronize_session=False)
            )
        return changed

    @staticmethod
    def _carrying(user_id: int, roles: Collection[Role], key: str) -> Any:
        return (select(TaskLabel.task_id)
                .where(TaskLabel.key == key, TaskLabel.task_id.in_(_tasks_of(user_id, roles)))
                .correlate(None))

    def _touch(self, task_ids: Any) -> int:
        """A label change is a change of its tasks: their version (the ETag) and
        updated_at move, and their rows stay locked until the commit. Returns how many."""
        result = self.session.execute(
            update(Task).where(Task.id.in_(task_ids))
            .values(version=Task.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0

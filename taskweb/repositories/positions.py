"""The manual order of a task list (a project's top-level tasks, or one task's
subtasks): locking a project while a key is computed in it, the neighbours of a place
in the list, and respacing a list whose keys have grown long."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, case, select, update
from sqlalchemy.orm import Session

from taskweb.domain.positions import respaced_keys
from taskweb.models import Membership, Project, Task


def _list_of(project_id: int, parent_id: int | None) -> list[ColumnElement[bool]]:
    """The tasks of one list: the project's top-level tasks, or one task's subtasks."""
    parent = Task.parent_id.is_(None) if parent_id is None else Task.parent_id == parent_id
    return [Task.project_id == project_id, parent]


class PositionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def lock_projects(self, project_ids: Iterable[int]) -> None:
        """Lock the projects' rows until the unit of work ends, in id order (so two
        movers never wait on each other crosswise): moves in one project queue up, and
        each computes its key from neighbours nobody else is moving."""
        ids = sorted(set(project_ids))
        self.session.execute(select(Project.id).where(Project.id.in_(ids))
                             .order_by(Project.id).with_for_update())

    def sibling_position(self, user_id: int, sibling_id: int, project_id: int,
                         parent_id: int | None) -> str | None:
        """The position of a task in the list (visible to ``user_id``, not in the
        trash); None when it is not in that list."""
        return self.session.scalar(
            select(Task.position)
            .join(Membership, (Membership.project_id == Task.project_id)
                  & (Membership.user_id == user_id))
            .where(Task.id == sibling_id, *_list_of(project_id, parent_id),
                   Task.deleted_at.is_(None)))

    def neighbour(self, project_id: int, parent_id: int | None, *, excluding: int,
                  below: tuple[str, int] | None = None,
                  above: tuple[str, int] | None = None) -> str | None:
        """The position next to a sibling's ``(position, id)`` in the list's order
        (position, then id), under it (``below``) or over it (``above``), the task being
        moved left out; with neither, the last position of the list. A tie with the
        sibling is its neighbour too, so the caller finds no room and respaces."""
        conditions = [*_list_of(project_id, parent_id), Task.id != excluding]
        statement = select(Task.position).where(*conditions).limit(1)
        if above is not None:
            position, sibling_id = above
            return self.session.scalar(statement.where(
                (Task.position > position)
                | ((Task.position == position) & (Task.id > sibling_id))
            ).order_by(Task.position, Task.id))
        if below is not None:
            position, sibling_id = below
            statement = statement.where(
                (Task.position < position)
                | ((Task.position == position) & (Task.id < sibling_id)))
        return self.session.scalar(statement.order_by(Task.position.desc(), Task.id.desc()))

    def respace(self, project_id: int, parent_id: int | None, *, excluding: int) -> None:
        """Give the list's tasks (the one being moved aside) evenly spaced keys in their
        present order: one read and one UPDATE, whatever the list's length. Versions are
        left alone: the order a client sees does not change."""
        conditions = [*_list_of(project_id, parent_id), Task.id != excluding]
        ids = list(self.session.scalars(select(Task.id).where(*conditions)
                                        .order_by(Task.position, Task.id)))
        if not ids:
            return
        keys = dict(zip(ids, respaced_keys(len(ids)), strict=True))
        self.session.execute(
            update(Task.__table__).where(Task.__table__.c.id.in_(ids))
            .values(position=case(keys, value=Task.__table__.c.id))
        )

"""The one read behind live updates: a project's version, for a member only."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from taskweb.domain.live_updates import ProjectVersion
from taskweb.models import Membership, Project, Task

_TASKS_OF_PROJECT = Task.project_id == Project.id
# One statement: two index-only reads of ix_tasks_project_change_no (its last entry and
# its length for the project) beside the project's row, and no row for a non-member.
_VERSION = (
    select(
        Project.change_no,
        select(func.max(Task.change_no)).where(_TASKS_OF_PROJECT).scalar_subquery(),
        select(func.count()).select_from(Task).where(_TASKS_OF_PROJECT).scalar_subquery(),
    )
    .join(Membership, (Membership.project_id == Project.id)
          & (Membership.user_id == bindparam("user_id")))
    .where(Project.id == bindparam("project_id"))
)


class LiveUpdateRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def project_version(self, user_id: int, project_id: int) -> ProjectVersion | None:
        """The version of a project ``user_id`` belongs to; None for any other."""
        row = self.session.execute(
            _VERSION, {"user_id": user_id, "project_id": project_id}
        ).one_or_none()
        if row is None:
            return None
        project_change, task_change, task_count = row
        # Rows written before the sync feed have no number (NULL): they count as 0.
        return ProjectVersion(project_id=project_id,
                              last_change=max(project_change or 0, task_change or 0),
                              task_count=task_count)

"""Projects and memberships. A project is only ever found through the caller's
membership: a project somebody else's is simply not there."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from taskweb.models import Membership, Project, Role


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, project: Project) -> None:
        """Add ``project`` with its owner as a member (role owner)."""
        self.session.add(project)
        self.session.flush()
        self.session.add(Membership(project_id=project.id, user_id=project.owner_id,
                                    role=Role.OWNER))

    def inbox_of(self, user_id: int) -> Project | None:
        return self.session.scalar(
            select(Project).where(Project.owner_id == user_id, Project.is_inbox.is_(True))
        )

    def role_of(self, user_id: int, project_id: int) -> Role | None:
        """The caller's role in the project; None for a non-member (or no such project)."""
        return self.session.scalar(
            select(Membership.role).where(Membership.user_id == user_id,
                                          Membership.project_id == project_id)
        )

    def is_member(self, user_id: int, project_id: int) -> bool:
        return self.role_of(user_id, project_id) is not None

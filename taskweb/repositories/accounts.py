"""What an account owns, as a whole: its projects with their members and tasks (to export
it, import into it, or delete it). Every query starts from the account itself, so
nothing here can reach a project the account does not own or belong to."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from taskweb.models import Membership, Project, Task, User


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def owned_projects(self, user_id: int, *, to_change: bool = False) -> list[Project]:
        """The projects ``user_id`` owns, Inbox first, then by name. ``to_change`` locks
        them until the unit of work ends (no member joins or leaves a project while its
        owner's account is being deleted)."""
        statement = (select(Project).where(Project.owner_id == user_id)
                     .order_by(Project.is_inbox.desc(), Project.name, Project.id))
        if to_change:
            statement = statement.with_for_update()
        return list(self.session.scalars(statement))

    def memberships_of(self, project_ids: Collection[int]) -> list[tuple[Membership, str]]:
        """Every membership of these projects with the member's username, longest-standing
        first (ties by user id)."""
        if not project_ids:
            return []
        rows = self.session.execute(
            select(Membership, User.username).join(User, User.id == Membership.user_id)
            .where(Membership.project_id.in_(project_ids))
            .order_by(Membership.project_id, Membership.joined_at, Membership.user_id)
        )
        return [(membership, username) for membership, username in rows]

    def tasks_in(self, project_ids: Collection[int]) -> list[Task]:
        """Every task of these projects, with its labels. (Once tasks go to a trash, the
        trashed ones belong here too: an export holds them.)"""
        if not project_ids:
            return []
        return list(self.session.scalars(
            select(Task).where(Task.project_id.in_(project_ids))
            .order_by(Task.id)
        ))

    def usernames(self, user_ids: Collection[int]) -> dict[int, str]:
        if not user_ids:
            return {}
        rows = self.session.execute(select(User.id, User.username).where(User.id.in_(user_ids)))
        return {user_id: username for user_id, username in rows}

    def member_ids_by_username(self, project_ids: Collection[int],
                               usernames: Collection[str]) -> dict[tuple[int, str], int]:
        """``{(project_id, lower-cased username): user_id}`` for those of ``usernames``
        who are members of those projects."""
        if not project_ids or not usernames:
            return {}
        lowered = {name.lower() for name in usernames}
        rows = self.session.execute(
            select(Membership.project_id, User.username, User.id)
            .join(User, User.id == Membership.user_id)
            .where(Membership.project_id.in_(project_ids))
        )
        return {(project_id, username.lower()): user_id
                for project_id, username, user_id in rows if username.lower() in lowered}

    def project_names_of(self, user_id: int) -> set[str]:
        """The names of the projects ``user_id`` owns, lower-cased (as they are unique)."""
        rows = self.session.scalars(select(Project.name).where(Project.owner_id == user_id))
        return {name.lower() for name in rows}

    def hand_over_created_tasks(self, user_id: int) -> None:
        """Credit the tasks ``user_id`` created in projects owned by others to each
        project's owner, so that they outlive the account (created_by cannot be empty)."""
        self.session.flush()  # ownership transfers first
        owner_of_project = (select(Project.owner_id).where(Project.id == Task.project_id)
                            .scalar_subquery())
        self.session.execute(
            update(Task)
            .where(Task.owner_id == user_id,
                   Task.project_id.in_(select(Project.id).where(Project.owner_id != user_id)))
            .values(owner_id=owner_of_project, version=Task.version + 1)
            .execution_options(synchronize_session=False)
        )

    def delete_projects(self, project_ids: Collection[int]) -> None:
        """Delete these projects; their tasks, labels and memberships go with them."""
        if project_ids:
            self.session.execute(
                delete(Project).where(Project.id.in_(project_ids))
                .execution_options(synchronize_session=False)
            )

    def delete_user(self, user: User) -> None:
        """Delete the account; its tokens, browser sessions and memberships go with it."""
        self.session.execute(
            delete(User).where(User.id == user.id).execution_options(synchronize_session=False)
        )
        self.session.expunge(user)

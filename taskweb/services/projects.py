"""Use cases of projects and their members. Every call takes who is asking: a project
they do not belong to is simply not found (404); one where their role is too low for
the change refuses it (403), by the table in ``domain/access.py``."""

from __future__ import annotations

from typing import Any

from taskweb.domain.access import Action, may
from taskweb.domain.projects import (
    LabelCount,
    MemberView,
    ProjectPage,
    ProjectQuery,
    ProjectView,
)
from taskweb.errors import Conflict, NotFound, PermissionDenied
from taskweb.models import Membership, Project, Role, User
from taskweb.services.notifications import Notices
from taskweb.services.project_fields import (
    clean_invitation,
    clean_project_fields,
    clean_role_change,
)
from taskweb.unit_of_work import UnitOfWork

ONLY_THE_OWNER = {
    Action.MANAGE_PROJECT: "Only the project's owner may change or delete it.",
    Action.MANAGE_MEMBERS: "Only the project's owner may manage its members.",
}
INBOX_RENAMED = "The Inbox cannot be renamed."
INBOX_ARCHIVED = "The Inbox cannot be archived: new tasks go there."
INBOX_DELETED = "The Inbox cannot be deleted."
INBOX_SHARED = "The Inbox cannot be shared."
OWNER_ROW = ("The owner's own role cannot be changed. To hand the project over, make "
             "another member the owner (role: owner).")
OWNER_LEAVING = ("The owner cannot leave the project. Make another member the owner "
                 "first (PATCH their membership with role: owner).")


def _refuse_unless(view: ProjectView, action: Action) -> None:
    if not may(view.role, action):
        raise PermissionDenied(ONLY_THE_OWNER[action])


class ProjectService:
    def __init__(self, uow: UnitOfWork, notices: Notices | None = None) -> None:
        self.uow = uow
        self.notices = notices or Notices(uow)

    # Projects

    def create(self, user: User, fields: dict[str, Any]) -> ProjectView:
        """A project owned by the caller; its name must differ from the names of the
        caller's other projects, case-insensitively (409 naming ``name``)."""
        cleaned = clean_project_fields(fields, creating=True)
        project = Project(owner_id=user.id, **cleaned)
        with self.uow:
            self.uow.projects.add(project)
        return ProjectView(project, Role.OWNER, member_count=1, open_task_count=0)

    def list(self, user: User, query: ProjectQuery) -> ProjectPage:
        """The projects the caller belongs to: the Inbox first, then by name."""
        return self.uow.projects.list(user.id, query)

    def get(self, user: User, project_id: int) -> ProjectView:
        return self._visible(user, project_id)

    def update(self, user: User, project_id: int, changes: dict[str, Any]) -> ProjectView:
        """Change any of name, description, color, archived (the owner only). The Inbox
        keeps its name and is never archived."""
        cleaned = clean_project_fields(changes, creating=False)
        view = self._visible(user, project_id, to_write=True)
        project = view.project
        with self.uow:
            _refuse_unless(view, Action.MANAGE_PROJECT)
            if project.is_inbox:
                if cleaned.get("name", project.name) != project.name:
                    raise Conflict(INBOX_RENAMED, {"name": [INBOX_RENAMED]})
                if cleaned.get("archived"):
                    raise Conflict(INBOX_ARCHIVED, {"archived": [INBOX_ARCHIVED]})
            for name, value in cleaned.items():
                setattr(project, name, value)
        return view

    def delete(self, user: User, project_id: int) -> None:
        """Delete a project (the owner only) and, with it, its tasks and memberships."""
        view = self._visible(user, project_id, to_write=True)
        with self.uow:
            _refuse_unless(view, Action.MANAGE_PROJECT)
            if view.project.is_inbox:
                raise Conflict(INBOX_DELETED)
            self.uow.projects.delete(view.project)

    # Members

    def members(self, user: User, project_id: int) -> list[MemberView]:
        """Every member of a project the caller belongs to, in the order they joined."""
        self._visible(user, project_id)
        return self.uow.projects.members(project_id)

    def member(self, user: User, project_id: int, member_id: int) -> MemberView:
        self._visible(user, project_id)
        member = self.uow.projects.member(project_id, member_id)
        if member is None:
            raise NotFound(_no_member(member_id))
        return member

    def add_member(self, user: User, project_id: int, fields: dict[str, Any]) -> MemberView:
        """Add the person a username or an email names, as editor or viewer (the owner
        only): 404 if nobody has it, 409 if they are a member already."""
        field, who, role = clean_invitation(fields)
        view = self._visible(user, project_id, to_write=True)
        with self.uow:
            _refuse_unless(view, Action.MANAGE_MEMBERS)
            if view.project.is_inbox:
                raise Conflict(INBOX_SHARED)
            person = self.uow.projects.invitee(**{field: who})
            if person is None:
                message = f"Nobody has this {field}."
                raise NotFound(message, {field: [message]})
            if self.uow.projects.membership(project_id, person.id) is not None:
                message = "This person is already a member of the project."
                raise Conflict(message, {field: [message]})
            self.uow.projects.add_member(Membership(project_id=project_id, user_id=person.id,
                                                    role=role))
            self.notices.shared(user, view.project, person.id)
        return self._member_after_change(project_id, person.id)

    def change_role(self, user: User, project_id: int, member_id: int,
                    fields: dict[str, Any]) -> MemberView:
        """Make a member an editor or a viewer, or the owner (the owner only). Making
        somebody the owner hands the project over: the old owner stays, as an editor."""
        role = clean_role_change(fields)
        view = self._visible(user, project_id, to_write=True)
        with self.uow:
            _refuse_unless(view, Action.MANAGE_MEMBERS)
            membership = self._membership(project_id, member_id)
            if membership.role is Role.OWNER:
                raise Conflict(OWNER_ROW, {"role": [OWNER_ROW]})
            if role is Role.OWNER:
                self._transfer(view.project, membership, user)
            else:
                membership.role = role
        return self._member_after_change(project_id, member_id)

    def _transfer(self, project: Project, heir: Membership, owner: User) -> None:
        if self.uow.projects.owns_project_named(heir.user_id, project.name, project.id):
            message = ("The new owner already has a project of this name; one of the two "
                       "must be renamed first.")
            raise Conflict(message, {"name": [message]})
        project.owner_id = heir.user_id
        heir.role = Role.OWNER
        self._membership(project.id, owner.id).role = Role.EDITOR

    def remove_member(self, user: User, project_id: int, member_id: int) -> None:
        """End a membership: the owner removes anybody else; any member may remove
        itself (leave), except the owner, who must hand the project over first. The
        tasks assigned to the one who goes are left unassigned."""
        view = self._visible(user, project_id, to_write=True)
        with self.uow:
            if member_id == user.id:
                if view.role is Role.OWNER:
                    raise Conflict(OWNER_LEAVING)
            else:
                _refuse_unless(view, Action.MANAGE_MEMBERS)
            self.uow.projects.remove_member(self._membership(project_id, member_id))

    # Lookups

    def _visible(self, user: User, project_id: int, *, to_write: bool = False
                 ) -> ProjectView:
        view = self.uow.projects.get(user.id, project_id, to_write=to_write)
        if view is None:
            raise NotFound(f"Project {project_id} was not found.")
        return view

    def _membership(self, project_id: int, member_id: int) -> Membership:
        membership = self.uow.projects.membership(project_id, member_id)
        if membership is None:
            raise NotFound(_no_member(member_id))
        return membership

    def _member_after_change(self, project_id: int, member_id: int) -> MemberView:
        member = self.uow.projects.member(project_id, member_id)
        assert member is not None  # written in the transaction just committed
        return member

    # For the browser's sidebar and task rows (one statement each)

    def open_task_counts_by_label(self, user: User) -> list[LabelCount]:
        """Every label on the tasks the caller may see, by name, with how many of those
        tasks are open (``LabelService.list`` counts the done ones too)."""
        return self.uow.projects.open_task_counts_by_label(user.id)

    def members_by_project(self, user: User) -> dict[int, list[MemberView]]:
        """The members of every project the caller belongs to, by project id, in the
        order they joined."""
        members: dict[int, list[MemberView]] = {}
        for member in self.uow.projects.members_of_projects_of(user.id):
            members.setdefault(member.project_id, []).append(member)
        return members


def _no_member(user_id: int) -> str:
    return f"User {user_id} is not a member of this project."

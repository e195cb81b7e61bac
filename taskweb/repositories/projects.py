"""Projects and memberships. A project is only ever found through the caller's
membership: a project somebody else's is simply not there."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, bindparam, case, delete, func, select, update
from sqlalchemy.orm import Session, aliased

from taskweb.domain.projects import (
    ArchivedFilter,
    LabelCount,
    MemberView,
    ProjectPage,
    ProjectQuery,
    ProjectView,
)
from taskweb.models import (
    Membership,
    Project,
    Role,
    Task,
    TaskEvent,
    TaskLabel,
    TaskStatus,
    User,
    utcnow,
)
from taskweb.repositories.outbox import note_project_shared

_members = aliased(Membership)
# The counts ride along on the project's own row (the membership primary key and the
# tasks' (project_id, status) index serve them): a page of projects is one statement.
MEMBER_COUNT = (select(func.count()).where(_members.project_id == Project.id)
                .correlate(Project).scalar_subquery())
OPEN_TASK_COUNT = (select(func.count()).select_from(Task)
                   .where(Task.project_id == Project.id, Task.status != TaskStatus.COMPLETED,
                          Task.deleted_at.is_(None))
                   .correlate(Project).scalar_subquery())


def _belongs(user_id: Any) -> Any:
    """The join that scopes projects to those ``user_id`` is a member of."""
    return and_(Membership.project_id == Project.id, Membership.user_id == user_id)


_SEEN = select(Project, Membership.role, MEMBER_COUNT, OPEN_TASK_COUNT).join(
    Membership, _belongs(bindparam("user_id"))
)
_PROJECT_SEEN_BY = _SEEN.where(Project.id == bindparam("project_id"))
# Read to change: the project's row stays locked until the commit, so changes of one
# project's members (an ownership transfer racing a removal, say) queue up.
_PROJECT_SEEN_BY_TO_WRITE = _PROJECT_SEEN_BY.with_for_update(of=Project).execution_options(
    populate_existing=True
)
_ARCHIVED_SQL = {
    ArchivedFilter.FALSE: Project.archived.is_(False),
    ArchivedFilter.TRUE: Project.archived.is_(True),
}
_MEMBERS = select(Membership, User.username, User.full_name).join(
    User, User.id == Membership.user_id
)


def _view(row: Any) -> ProjectView:
    project, role, member_count, open_task_count = row
    return ProjectView(project, role, member_count, open_task_count)


# What the sync feed (repositories/sync.py) loads projects with, as the endpoints do.
PROJECTS_SEEN, project_view = _SEEN, _view


def _member(row: Any) -> MemberView:
    membership, username, full_name = row
    return MemberView(project_id=membership.project_id, user_id=membership.user_id,
                      username=username, full_name=full_name, role=membership.role,
                      joined_at=membership.joined_at)


class ProjectRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, project: Project) -> None:
        """Add ``project`` with its owner as a member (role owner)."""
        self.session.add(project)
        self.session.flush()
        self.session.add(Membership(project_id=project.id, user_id=project.owner_id,
                                    role=Role.OWNER))

    def delete(self, project: Project) -> None:
        """Delete the project with its tasks (labels included) and memberships.

        PostgreSQL's foreign keys cascade on their own; SQLite (``make run``) enforces
        none unless told to, so the rows are deleted here explicitly rather than left
        behind, still visible to the former members through their memberships.
        """
        tasks = select(Task.id).where(Task.project_id == project.id).scalar_subquery()
        for statement in (delete(TaskLabel).where(TaskLabel.task_id.in_(tasks)),
                          delete(TaskEvent).where(TaskEvent.task_id.in_(tasks)),
                          delete(Task).where(Task.project_id == project.id),
                          delete(Membership).where(Membership.project_id == project.id)):
            self.session.execute(statement.execution_options(synchronize_session=False))
        self.session.delete(project)

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

    def get(self, user_id: int, project_id: int, *, to_write: bool = False
            ) -> ProjectView | None:
        """A project ``user_id`` belongs to, with their role and the project's counts;
        ``to_write`` locks its row until the unit of work ends."""
        statement = _PROJECT_SEEN_BY_TO_WRITE if to_write else _PROJECT_SEEN_BY
        row = self.session.execute(statement, {"user_id": user_id, "project_id": project_id}
                                   ).first()
        return _view(row) if row is not None else None

    def list(self, user_id: int, query: ProjectQuery) -> ProjectPage:
        """A page of the projects ``user_id`` belongs to: the Inbox first, then by name
        (case-insensitively), and how many match in all: two statements, whatever the
        page size."""
        conditions = [_ARCHIVED_SQL[query.archived]] if query.archived in _ARCHIVED_SQL else []
        parameters = {"user_id": user_id}
        total = self.session.scalar(
            select(func.count()).select_from(Project)
            .join(Membership, _belongs(bindparam("user_id"))).where(*conditions),
            parameters,
        ) or 0
        page: Select = (_SEEN.where(*conditions)
                        .order_by(Project.is_inbox.desc(), func.lower(Project.name), Project.id)
                        .limit(query.limit).offset(query.offset))
        items = [_view(row) for row in self.session.execute(page, parameters)]
        return ProjectPage(items=items, total=total, limit=query.limit, offset=query.offset,
                           query=query)

    def owns_project_named(self, owner_id: int, name: str,
                           except_project_id: int | None = None) -> bool:
        """True if ``owner_id`` owns a project of this name (case-insensitively)."""
        condition = and_(Project.owner_id == owner_id,
                         func.lower(Project.name) == name.lower())
        if except_project_id is not None:
            condition = and_(condition, Project.id != except_project_id)
        return self.session.scalar(select(select(Project.id).where(condition).exists())
                                   ) or False

    def named(self, user_id: int, name: str) -> list[tuple[Project, Role]]:
        """The projects called ``name`` (case-insensitively) that ``user_id`` belongs to,
        with their role: unarchived first, then their own, then the oldest. One statement."""
        statement = (select(Project, Membership.role)
                     .join(Membership, _belongs(user_id))
                     .where(func.lower(Project.name) == name.lower())
                     .order_by(Project.archived, (Project.owner_id != user_id), Project.id))
        return [(project, role) for project, role in self.session.execute(statement)]

    # Members. The services reach these only after finding the project through the
    # caller's own membership (get), so they take the project's id alone.

    def members(self, project_id: int) -> list[MemberView]:
        """The members of a project in the order they joined."""
        statement = (_MEMBERS.where(Membership.project_id == project_id)
                     .order_by(Membership.joined_at, Membership.user_id))
        return [_member(row) for row in self.session.execute(statement)]

    def member(self, project_id: int, user_id: int) -> MemberView | None:
        statement = _MEMBERS.where(Membership.project_id == project_id,
                                   Membership.user_id == user_id)
        row = self.session.execute(statement).first()
        return _member(row) if row is not None else None

    def membership(self, project_id: int, user_id: int) -> Membership | None:
        return self.session.get(Membership, (project_id, user_id))

    def add_member(self, membership: Membership) -> None:
        self.session.add(membership)
        # Webhooks hear of it (project.shared), written with this transaction.
        note_project_shared(self.session, membership.project_id, membership.user_id, utcnow())

    def remove_member(self, membership: Membership) -> None:
        """End a membership; the tasks of the project assigned to that member are left
        unassigned (an assignee is always a member of the task's project)."""
        self.session.execute(
            update(Task)
            .where(Task.project_id == membership.project_id,
                   Task.assignee_id == membership.user_id)
            .values(assignee_id=None, version=Task.version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        self.session.delete(membership)

    def invitee(self, *, username: str | None = None, email: str | None = None
                ) -> User | None:
        """The account that a username or an email names (both compared
        case-insensitively), to be added to a project."""
        if username is not None:
            condition = func.lower(User.username) == username.lower()
        else:
            condition = func.lower(User.email) == (email or "").lower()
        return self.session.scalar(select(User).where(condition))

    # For the browser's sidebar and task rows: each one statement, whatever the number
    # of projects, labels or members.

    def open_task_counts_by_label(self, user_id: int) -> list[LabelCount]:
        """Every label on the tasks ``user_id`` may see, by name, with how many of those
        tasks are open (not completed). A label written several ways is one, in the
        spelling ``LabelService.list`` gives it: the most common one, ties going to the
        spelling on the oldest task."""
        open_tasks = func.count(case((Task.status != TaskStatus.COMPLETED, 1)))
        statement = (
            select(TaskLabel.key, TaskLabel.name, func.count(), open_tasks,
                   func.min(TaskLabel.task_id))
            .join(Task, and_(Task.id == TaskLabel.task_id, Task.deleted_at.is_(None)))
            .join(Membership, and_(Membership.project_id == Task.project_id,
                                   Membership.user_id == user_id))
            .group_by(TaskLabel.key, TaskLabel.name)
        )
        spellings: dict[str, list[tuple[int, int, str, int]]] = {}
        for key, name, tasks, open_count, first_task in self.session.execute(statement):
            spellings.setdefault(key, []).append((-tasks, first_task, name, open_count))
        counts = []
        for key in sorted(spellings):
            ranked = sorted(spellings[key])
            counts.append(LabelCount(name=ranked[0][2],
                                     count=sum(entry[3] for entry in ranked)))
        return counts

    def members_of_projects_of(self, user_id: int) -> list[MemberView]:
        """The members of every project ``user_id`` belongs to (``user_id`` included),
        by project and in the order they joined."""
        mine = select(Membership.project_id).where(Membership.user_id == user_id)
        statement = (_MEMBERS.where(Membership.project_id.in_(mine))
                     .order_by(Membership.project_id, Membership.joined_at,
                               Membership.user_id))
        return [_member(row) for row in self.session.execute(statement)]

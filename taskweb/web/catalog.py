"""What the pages show about the signed-in person's projects, labels and fellow members:
the sidebar, the task form's choices, a row's project and assignee. Each is read once
per request, when a template first asks for it, with one service call (so a page costs
the same number of statements whatever the number of projects, labels or rows)."""

from __future__ import annotations

from functools import cached_property

from flask import g

from taskweb import rules
from taskweb.domain.access import Action, may
from taskweb.domain.projects import (
    ArchivedFilter,
    LabelCount,
    MemberView,
    ProjectQuery,
    ProjectView,
)
from taskweb.models import Role, SavedFilter, User
from taskweb.web.session import signed_in_user
from taskweb.web.time_zone import request_zone
from taskweb.wiring import agenda_service, project_service, saved_filter_service

# The sidebar lists this many projects at most (the API's largest page).
PROJECTS_SHOWN = rules.PAGE_LIMIT_MAX


class Catalog:
    """The signed-in person's projects, labels and fellow members, read when first needed."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def projects(self) -> list[ProjectView]:
        """Every project the person belongs to, archived ones too: the Inbox first, then
        by name."""
        query = ProjectQuery(archived=ArchivedFilter.ALL, limit=PROJECTS_SHOWN)
        return project_service().list(self.user, query).items

    @cached_property
    def _by_id(self) -> dict[int, ProjectView]:
        return {view.project.id: view for view in self.projects}

    def project(self, project_id: int) -> ProjectView | None:
        return self._by_id.get(project_id)

    @property
    def inbox(self) -> ProjectView | None:
        return next((view for view in self.projects if view.project.is_inbox), None)

    @property
    def own(self) -> list[ProjectView]:
        """The active projects the person owns, the Inbox left out."""
        return [view for view in self.projects if view.role is Role.OWNER
                and not view.project.is_inbox and not view.project.archived]

    @property
    def shared_with_me(self) -> list[ProjectView]:
        """The active projects somebody else owns and shares with the person."""
        return [view for view in self.projects
                if view.role is not Role.OWNER and not view.project.archived]

    @property
    def archived(self) -> list[ProjectView]:
        return [view for view in self.projects if view.project.archived]

    @property
    def writable(self) -> list[ProjectView]:
        """The active projects the person may add tasks to (the task form's choices)."""
        return [view for view in self.projects
                if may(view.role, Action.EDIT_TASKS) and not view.project.archived]

    @property
    def open_task_count(self) -> int:
        """Open tasks in every project the person belongs to."""
        return sum(view.open_task_count for view in self.projects)

    @cached_property
    def today_count(self) -> int:
        """The tasks Today shows (due today in the request's zone, or overdue)."""
        return agenda_service().today_count(self.user, request_zone())

    def know_today_count(self, count: int) -> None:
        """The Today page has just counted them: the sidebar needs no query of its own."""
        self.__dict__["today_count"] = count

    @cached_property
    def labels(self) -> list[LabelCount]:
        """Every label on the tasks the person may see, with its count of open tasks."""
        return project_service().open_task_counts_by_label(self.user)

    @cached_property
    def saved_filters(self) -> list[SavedFilter]:
        """The person's saved filters, by name (the sidebar's "Filters")."""
        return saved_filter_service().list(self.user)

    @cached_property
    def members(self) -> dict[int, list[MemberView]]:
        """The members of each of the person's projects, by project id."""
        return project_service().members_by_project(self.user)

    def members_of(self, project_id: int) -> list[MemberView]:
        return self.members.get(project_id, [])

    def member_name(self, project_id: int, user_id: int) -> str | None:
        """The username of a member of a project, or None if they are not (any more)."""
        return next((member.username for member in self.members_of(project_id)
                     if member.user_id == user_id), None)


def catalog() -> Catalog:
    """The catalog of this request's signed-in person."""
    if "catalog" not in g:
        g.catalog = Catalog(signed_in_user())
    return g.catalog

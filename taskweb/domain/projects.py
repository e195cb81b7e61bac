"""Projects as one member sees them, their list query and their members; labels as
counted over the tasks one may see. Plain data: the repositories fill it, the services
return it, the adapters render it."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from taskweb import rules
from taskweb.models import Project, Role


class ArchivedFilter(str, enum.Enum):
    """Which projects a list shows: the active ones (default), the archived ones, all."""

    FALSE = "false"
    TRUE = "true"
    ALL = "all"


@dataclass(frozen=True)
class ProjectQuery:
    archived: ArchivedFilter = ArchivedFilter.FALSE
    limit: int = rules.PAGE_LIMIT_DEFAULT
    offset: int = 0


@dataclass(frozen=True)
class ProjectView:
    """A project with the caller's role in it and its counts (read with it, in the same
    statement, so that a list never costs a query per project)."""

    project: Project
    role: Role
    member_count: int
    open_task_count: int


@dataclass
class ProjectPage:
    items: list[ProjectView]
    total: int
    limit: int
    offset: int
    query: ProjectQuery = field(default_factory=ProjectQuery)


@dataclass(frozen=True)
class MemberView:
    """One membership of a project, with who the member is."""

    project_id: int
    user_id: int
    username: str
    full_name: str | None
    role: Role
    joined_at: datetime


@dataclass(frozen=True)
class LabelCount:
    """A label as the caller sees it: one spelling and how many tasks carry it."""

    name: str
    count: int

"""Use cases of an account as a whole: delete it, export it, import into it.

Deleting an account deletes what it alone owns and hands on what it shares: a project
with other members passes to its longest-standing editor (else its longest-standing
member), and the tasks the account created in projects that stay are credited to those
projects' owners. The shapes of an export and of an import are in services/portability/.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from taskweb import rules
from taskweb.domain.positions import new_position
from taskweb.errors import NotFound, PermissionDenied, ValidationFailed
from taskweb.models import (
    Membership,
    Project,
    Role,
    SavedFilter,
    Task,
    TaskEventKind,
    TaskStatus,
    User,
)
from taskweb.security import PasswordHasher
from taskweb.services.portability import (
    ImportedTask,
    ImportPlan,
    export_document,
    read_csv,
    read_document,
)
from taskweb.services.ports import Clock, SecurityEvents, system_clock
from taskweb.services.reminder_fields import STALE_REMINDER
from taskweb.services.task_fields import label_rows
from taskweb.services.validation import NOT_A_STRING, REQUIRED
from taskweb.unit_of_work import UnitOfWork

WRONG_PASSWORD = "The current password is not correct."


class AccountStore(Protocol):
    """What the account use cases read and write beyond the unit of work's repositories
    (taskweb/repositories/accounts.py; a fake in the unit tests)."""

    def owned_projects(self, user_id: int, *, to_change: bool = False) -> list[Project]: ...

    def memberships_of(self, project_ids: Sequence[int]) -> list[tuple[Membership, str]]: ...

    def tasks_in(self, project_ids: Sequence[int]) -> list[Task]: ...

    def usernames(self, user_ids: Sequence[int]) -> dict[int, str]: ...

    def member_ids_by_username(self, project_ids: Sequence[int],
                               usernames: Sequence[str]) -> dict[tuple[int, str], int]: ...

    def project_names_of(self, user_id: int) -> set[str]: ...

    def hand_over_created_tasks(self, user_id: int) -> None: ...

    def delete_projects(self, project_ids: Sequence[int]) -> None: ...

    def delete_user(self, user: User) -> None: ...


@dataclass(frozen=True)
class ImportResult:
    projects: int  # projects created (tasks merged into one of ours do not count here)
    tasks: int


@dataclass(frozen=True)
class _Targets:
    """Where an import's tasks go."""

    ids: dict[str, int]  # lower-cased project name ("" for the Inbox) -> project id
    existing: set[str]  # lower-cased names of the projects the account had before


def successor(memberships: Sequence[Membership]) -> Membership | None:
    """Who inherits a project: its longest-standing editor, else its longest-standing
    member (ties by user id); None if nobody else is left. ``memberships`` are the
    other members' (the leaving owner's own row left out)."""
    def seniority(membership: Membership) -> tuple[Any, int]:
        return membership.joined_at, membership.user_id

    editors = [m for m in memberships if m.role is Role.EDITOR]
    candidates = editors or list(memberships)
    return min(candidates, key=seniority, default=None)


def free_name(name: str, suffix: str, taken: set[str]) -> str:
    """``name``, or ``name`` with ``suffix`` (and a number) if the new owner already has a
    project of that name (names are unique per owner, case-insensitively)."""
    candidate, number = name, 1
    while candidate.lower() in taken:
        tail = f" ({suffix})" if number == 1 else f" ({suffix} {number})"
        candidate = name[:rules.PROJECT_NAME_MAX - len(tail)] + tail
        number += 1
    return candidate


class AccountService:
    def __init__(self, uow: UnitOfWork, accounts: AccountStore, hasher: PasswordHasher,
                 clock: Clock = system_clock,
                 security_event: SecurityEvents | None = None) -> None:
        self.uow = uow
        self.accounts = accounts
        self.hasher = hasher
        self.clock = clock
        self.security_event = security_event

    # ---- delete ---------------------------------------------------------------------

    def delete(self, user: User, current_password: Any) -> None:
        """Delete the account, its tokens, sessions and memberships, and every project it
        owns alone (with their tasks). A project it shares passes to its successor."""
        self._check_password(user, current_password)
        with self.uow:
            projects = self.accounts.owned_projects(user.id, to_change=True)
            members = self.accounts.memberships_of([p.id for p in projects])
            doomed = []
            for project in projects:
                others = [m for m, _ in members
                          if m.project_id == project.id and m.user_id != user.id]
                heir = None if project.is_inbox else successor(others)
                if heir is None:
                    doomed.append(project.id)
                else:
                    self._hand_over(project, heir, user)
            self.accounts.hand_over_created_tasks(user.id)
            self.accounts.delete_projects(doomed)
            self.accounts.delete_user(user)
        if self.security_event is not None:
            self.security_event("account_deleted", user_id=user.id,
                                projects_deleted=len(doomed),
                                projects_handed_over=len(projects) - len(doomed))

    def _check_password(self, user: User, current_password: Any) -> None:
        if current_password in (None, ""):
            raise ValidationFailed({"current_password": [REQUIRED]})
        if not isinstance(current_password, str):
            raise ValidationFailed({"current_password": [NOT_A_STRING]})
        if not self.hasher.verify(current_password, user.hashed_password):
            raise PermissionDenied(WRONG_PASSWORD, {"current_password": [WRONG_PASSWORD]})

    def _hand_over(self, project: Project, heir: Membership, leaving: User) -> None:
        project.name = free_name(project.name, f"from {leaving.username}",
                                 self.accounts.project_names_of(heir.user_id))
        project.owner_id = heir.user_id
        heir.role = Role.OWNER

    # ---- export ---------------------------------------------------------------------

    def export(self, user: User) -> dict[str, Any]:
        """One document with the user, the projects it owns (with their members), every
        task in them and its saved filters; ``import_document`` reads it back."""
        projects = self.accounts.owned_projects(user.id)
        project_ids = [p.id for p in projects]
        tasks = self.accounts.tasks_in(project_ids)
        usernames = self.accounts.usernames(
            sorted({t.assignee_id for t in tasks if t.assignee_id is not None}))
        return export_document(user, projects, self.accounts.memberships_of(project_ids),
                               tasks, usernames, self.clock(),
                               self.uow.saved_filters.list(user.id))

    # ---- import ---------------------------------------------------------------------

    def import_document(self, user: User, document: Any) -> ImportResult:
        """Create the projects and tasks of an export's document (see ``_import``)."""
        return self._import(user, read_document(document))

    def import_csv(self, user: User, text: str) -> ImportResult:
        """Create the tasks of a CSV (see portability.read_csv), and their projects."""
        return self._import(user, read_csv(text))

    def _import(self, user: User, plan: ImportPlan) -> ImportResult:
        """Everything is new (new ids; nothing of ours is changed) and all or nothing.

        A project whose name we already own (case-insensitively) is not created again:
        its tasks go into ours. The Inbox is always ours. A task assigned to the
        document's own user is assigned to us; to anybody else, only if they are a
        member of the project the task lands in (else it is left unassigned).
        """
        with self.uow:
            projects = self._projects_for(user, plan)
            created = sum(1 for p in plan.projects if p.name.lower() not in projects.existing)
            project_of = [projects.ids[(t.project or "").lower()] for t in plan.tasks]
            assignees = self._assignees(user, plan, project_of)
            tasks: list[Task | None] = [None] * len(plan.tasks)
            for subtasks in (False, True):  # parents first: a subtask needs its parent's id
                for index, entry in enumerate(plan.tasks):
                    if (entry.parent is not None) is subtasks:
                        parent = tasks[entry.parent] if entry.parent is not None else None
                        tasks[index] = self._new_task(user, entry, project_of[index],
                                                      parent, assignees[index])
                self.uow.flush()
            self.uow.history.record_many([
                {"task_id": task.id, "user_id": user.id, "kind": TaskEventKind.CREATED,
                 "at": self.clock(), "changes": {}} for task in tasks if task is not None])
            self._add_reminders(plan, tasks)
            self._add_saved_filters(user, plan)
        return ImportResult(projects=created, tasks=len(plan.tasks))

    def _add_reminders(self, plan: ImportPlan, tasks: list[Task | None]) -> None:
        """The tasks' reminders (the tasks have their ids now); a time already past is
        stored as delivered, as when written through the API."""
        stale_before = self.clock() - STALE_REMINDER
        for entry, task in zip(plan.tasks, tasks, strict=True):
            if task is not None:
                self.uow.reminders.replace(task, entry.fields.get("reminders") or [],
                                           stale_before, new_task=True)

    def _add_saved_filters(self, user: User, plan: ImportPlan) -> None:
        """The document's saved filters, but for those whose name we have already (any
        case): like a project of ours, ours is kept as it is."""
        ours = {saved.name.lower() for saved in self.uow.saved_filters.list(user.id)}
        for name, query in plan.saved_filters:
            if name.lower() not in ours:
                self.uow.saved_filters.add(SavedFilter(user_id=user.id, name=name,
                                                       query=query))

    def _projects_for(self, user: User, plan: ImportPlan) -> _Targets:
        own = self.accounts.owned_projects(user.id)
        inbox = next((p for p in own if p.is_inbox), None)
        if inbox is None:  # every account has one; a missing Inbox is a broken invariant
            raise NotFound("Your Inbox is missing.")
        ids = {p.name.lower(): p.id for p in own}
        ids[""] = inbox.id
        existing = set(ids)
        for entry in plan.projects:
            if entry.name.lower() not in ids:
                project = Project(owner_id=user.id, name=entry.name,
                                  description=entry.description, color=entry.color,
                                  archived=entry.archived, is_inbox=False)
                self.uow.projects.add(project)
                ids[entry.name.lower()] = project.id
        return _Targets(ids, existing)

    def _assignees(self, user: User, plan: ImportPlan,
                   project_of: list[int]) -> list[int | None]:
        mine = {name.lower() for name in (plan.own_username, user.username) if name}
        others = sorted({t.assignee for t in plan.tasks
                         if t.assignee and t.assignee.lower() not in mine})
        members = self.accounts.member_ids_by_username(sorted(set(project_of)), others)
        return [None if not entry.assignee
                else user.id if entry.assignee.lower() in mine
                else members.get((project_id, entry.assignee.lower()))
                for entry, project_id in zip(plan.tasks, project_of, strict=True)]

    def _new_task(self, user: User, entry: ImportedTask, project_id: int,
                  parent: Task | None, assignee_id: int | None) -> Task:
        fields = dict(entry.fields)
        labels = fields.pop("labels", None) or []
        fields.pop("reminders", None)  # added once the task has its id (_add_reminders)
        completed = entry.status is TaskStatus.COMPLETED
        task = Task(
            owner_id=user.id, project_id=project_id,
            parent_id=parent.id if parent is not None else None,
            assignee_id=assignee_id,
            position=entry.position or new_position(),
            # completed_at goes with the status, as on create; the document's is kept.
            completed_at=(entry.completed_at or self.clock()) if completed else None,
            # A task exported from the trash goes back to the trash (kept for 30 days
            # from its deletion, as before).
            deleted_at=entry.deleted_at,
            **fields,
        )
        self.uow.tasks.add(task)
        self.uow.tasks.set_labels(task, *label_rows(labels))
        return task

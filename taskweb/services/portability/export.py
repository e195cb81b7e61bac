"""The document of an export: the user, the projects it owns with their members, every
task in them (in canonical order, see the package's docstring), its saved filters."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from taskweb.models import Membership, Project, SavedFilter, Task, User
from taskweb.services.portability.plan import FORMAT, VERSION


def user_entry(user: User) -> dict[str, Any]:
    """The user as the API shows it (the User object)."""
    return {"id": user.id, "email": user.email, "username": user.username,
            "full_name": user.full_name, "is_active": user.is_active,
            "time_zone": user.time_zone, "created_at": user.created_at,
            "updated_at": user.updated_at, "email_notifications": user.email_notifications}


def project_entry(project: Project, members: Sequence[tuple[Membership, str]]) -> dict[str, Any]:
    return {
        "name": project.name, "description": project.description, "color": project.color,
        "is_inbox": project.is_inbox, "archived": project.archived,
        "members": [{"username": username, "role": membership.role.value,
                     "joined_at": membership.joined_at} for membership, username in members],
        "created_at": project.created_at, "updated_at": project.updated_at,
    }


def canonical_order(tasks: Iterable[Task]) -> list[Task]:
    """Top-level tasks by manual order, each followed by its own subtasks by manual order
    (ties by id: the order they were made in, which an import keeps)."""
    by_order = sorted(tasks, key=lambda task: (task.position, task.id))
    children: dict[int, list[Task]] = {}
    for task in by_order:
        if task.parent_id is not None:
            children.setdefault(task.parent_id, []).append(task)
    ordered: list[Task] = []
    for task in by_order:
        if task.parent_id is None:
            ordered.append(task)
            ordered.extend(children.get(task.id, []))
    return ordered


def task_entries(projects: Sequence[Project], tasks: Iterable[Task],
                 usernames: dict[int, str]) -> list[dict[str, Any]]:
    """The tasks of ``projects`` (in that order), with refs 1, 2, … in document order."""
    in_project: dict[int, list[Task]] = {}
    for task in tasks:
        in_project.setdefault(task.project_id, []).append(task)
    ordered = [task for project in projects
               for task in canonical_order(in_project.get(project.id, []))]
    refs = {task.id: number for number, task in enumerate(ordered, start=1)}
    names = {project.id: project.name for project in projects}
    return [{
        "ref": refs[task.id],
        "project": names[task.project_id],
        "title": task.title,
        "description": task.description,
        "status": task.status.value,
        "priority": task.priority.value,
        "due_date": task.due_date,
        "labels": task.label_names,
        "reminders": task.reminders,
        "parent_ref": refs.get(task.parent_id) if task.parent_id is not None else None,
        "assignee": usernames.get(task.assignee_id) if task.assignee_id is not None else None,
        "completed_at": task.completed_at,
        "deleted_at": task.deleted_at,
        "position": task.position,
        "created_at": task.created_at,
        "updated_at": task.updated_at,
    } for task in ordered]


def export_document(user: User, projects: Sequence[Project],
                    members: Sequence[tuple[Membership, str]], tasks: Iterable[Task],
                    usernames: dict[int, str], exported_at: datetime,
                    saved_filters: Sequence[SavedFilter] = ()) -> dict[str, Any]:
    """The whole account: the user, the projects it owns with their members, every task
    in them, and its saved filters."""
    members_of: dict[int, list[tuple[Membership, str]]] = {}
    for membership, username in members:
        members_of.setdefault(membership.project_id, []).append((membership, username))
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": exported_at,
        "user": user_entry(user),
        "projects": [project_entry(project, members_of.get(project.id, []))
                     for project in projects],
        "tasks": task_entries(projects, tasks, usernames),
        "saved_filters": [{"name": saved.name, "query": saved.query,
                           "created_at": saved.created_at, "updated_at": saved.updated_at}
                          for saved in saved_filters],
    }

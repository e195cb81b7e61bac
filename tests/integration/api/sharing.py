"""Helpers for the tests of projects, members and labels: a shared project with one
member of each role and somebody outside it, each with a token, and the API calls the
tests make again and again."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import User
from taskweb.wiring import auth_service, project_service, task_service
from tests.conftest import PASSWORD

PROJECTS = "/api/v1/projects"
TASKS = "/api/v1/tasks"
LABELS = "/api/v1/labels"


def new_project(client: FlaskClient, headers: dict, name: str = "Shared",
                **fields: Any) -> dict:
    response = client.post(PROJECTS, json={"name": name, **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def share(client: FlaskClient, owner_headers: dict, project_id: int, username: str,
          role: str) -> dict:
    response = client.post(f"{PROJECTS}/{project_id}/members",
                           json={"username": username, "role": role}, headers=owner_headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def new_task(client: FlaskClient, headers: dict, title: str = "A task", **fields: Any) -> dict:
    response = client.post(TASKS, json={"title": title, **fields}, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def inbox_of(client: FlaskClient, headers: dict) -> dict:
    inbox = client.get(PROJECTS, headers=headers).get_json()["items"][0]
    assert inbox["is_inbox"]
    return inbox


@dataclass
class Team:
    """A project "Shared" owned by olive, with eddie as editor and vera as viewer, and
    nora, who is in no project but her own. ``task`` is a task of the project."""

    client: FlaskClient
    users: dict[str, User]
    headers: dict[str, dict[str, str]]
    project: dict
    task: dict
    extra: dict[str, Any] = field(default_factory=dict)

    def as_(self, who: str) -> dict[str, str]:
        return self.headers[who]

    def project_url(self, suffix: str = "") -> str:
        return f"{PROJECTS}/{self.project['id']}{suffix}"

    def task_url(self) -> str:
        return f"{TASKS}/{self.task['id']}"


# Who is who in a Team: the name of each role, and the one who belongs to nothing.
MEMBER_NAMES = {"owner": "olive", "editor": "eddie", "viewer": "vera"}
OUTSIDER = "nora"
# The table's columns: a non-member first, then each role.
CALLERS = ("non-member", "viewer", "editor", "owner")
NAME_OF = {"non-member": OUTSIDER, **MEMBER_NAMES}


def make_team(client: FlaskClient, app: Flask, **others: str | None) -> Team:
    """The Team, built through the services (quicker than through the API); ``others``
    are more people, each with a role in the project or None."""
    roles = {"eddie": "editor", "vera": "viewer", OUTSIDER: None, **others}
    with app.app_context():
        users = {name: auth_service().register(f"{name}@example.com", name, PASSWORD,
                                               name.title())
                 for name in ("olive", *roles)}
        headers = {name: {"Authorization": "Bearer " + auth_service().login(
            user.email, PASSWORD).access_token} for name, user in users.items()}
        owner = users["olive"]
        project = project_service().create(owner, {"name": "Shared", "color": "#336699"})
        project_id = project.project.id
        for name, role in roles.items():
            if role is not None:
                project_service().add_member(owner, project_id, {"username": name,
                                                                 "role": role})
        task_service().create(owner, {"title": "Shared task", "project_id": project_id,
                                      "labels": ["Errand"]})
        for user in users.values():
            db.session.refresh(user)
            db.session.expunge(user)
    owner_headers = headers["olive"]
    project_json = client.get(f"{PROJECTS}/{project_id}", headers=owner_headers).get_json()
    task_json = client.get(TASKS, headers=owner_headers).get_json()["items"][0]
    return Team(client, users, headers, project_json, task_json)

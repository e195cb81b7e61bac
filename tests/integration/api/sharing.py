"""Helpers for the tests of projects, members and labels: people with tokens, a shared
project with one member of each role, and the API calls that set them up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask.testing import FlaskClient

from taskweb.models import User
from tests.conftest import login_tokens

PROJECTS = "/api/v1/projects"
TASKS = "/api/v1/tasks"
LABELS = "/api/v1/labels"
ROLES = ("owner", "editor", "viewer")


def bearer(client: FlaskClient, user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {login_tokens(client, user.email)['access_token']}"}


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


def make_team(client: FlaskClient, make_user: Callable[..., User]) -> Team:
    users = {name: make_user(name, full_name=name.title())
             for name in (*MEMBER_NAMES.values(), OUTSIDER)}
    headers = {name: bearer(client, user) for name, user in users.items()}
    owner = headers["olive"]
    project = new_project(client, owner, "Shared", color="#336699")
    share(client, owner, project["id"], "eddie", "editor")
    share(client, owner, project["id"], "vera", "viewer")
    task = new_task(client, owner, "Shared task", project_id=project["id"], labels=["Errand"])
    return Team(client, users, headers, project, task)

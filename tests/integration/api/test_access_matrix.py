"""Who may do what, as a table, and every cell of it through the API.

Rows are the endpoints of the Projects section of the contract, the tasks endpoints
(reading and writing a task of the project, creating one in it, moving one in and out)
and the labels endpoints; columns are the callers: somebody who is not a member, then
a viewer, an editor and the owner of the project. A cell is the status the caller gets
(``LISTED``/``HIDDEN``: a 200 whose list does or does not show the project's thing).

Every cell also checks its side effects: a read changes nothing, a refusal changes
nothing, and a write that succeeds changes something. A last test holds the table to
``domain/access.py``: where a row needs an action of ``ALLOWED``, each role succeeds
exactly when ``may(role, action)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from taskweb.domain.access import Action, may
from taskweb.extensions import db, limiter
from taskweb.models import Role
from taskweb.wiring import saved_filter_service
from tests.conftest import truncate_all
from tests.integration.api.sharing import (
    CALLERS,
    LABELS,
    NAME_OF,
    PROJECTS,
    TASKS,
    Team,
    inbox_of,
    make_team,
    new_task,
)

LISTED = "200, listed"
HIDDEN = "200, not listed"
Url = Callable[[Team, str], str]
Body = Callable[[Team, str], dict[str, Any]]


@dataclass(frozen=True)
class Row:
    name: str
    endpoint: str  # method and path, as in the OpenAPI document
    expected: tuple[int | str, int | str, int | str, int | str]  # by CALLERS
    url: Url
    body: Body | None = None
    action: Action | None = None  # the action of domain/access.py the row needs
    refused: int = 403  # what a member whose role lacks ``action`` gets
    prepare: Callable[[Team, str], None] | None = None
    reads_only: bool = False  # a POST that writes nothing (a preview)

    @property
    def method(self) -> str:
        return self.endpoint.split()[0].lower()


def project(suffix: str = "") -> Url:
    return lambda team, who: team.project_url(suffix)


def member(name: str) -> Url:
    """The membership of ``name``; ``"self"`` is the caller's own."""
    return lambda team, who: team.project_url(
        f"/members/{team.users[who if name == 'self' else name].id}")


def fixed(url: str) -> Url:
    return lambda team, who: url


def the_task(team: Team, who: str) -> str:
    return team.task_url()


def own_task(team: Team, who: str) -> str:
    return f"{TASKS}/{team.extra['own_task']}"


def make_own_task(team: Team, who: str) -> None:
    team.extra["own_task"] = new_task(team.client, team.as_(who), "own")["id"]


def trash_the_task(team: Team, who: str) -> None:
    """The project's task goes to the trash (its owner deletes it)."""
    assert team.client.delete(team.task_url(), headers=team.as_("olive")).status_code == 204


def trash_the_task_and_one_of_ones_own(team: Team, who: str) -> None:
    """Everybody has something in a trash to empty: the project's task and their own."""
    trash_the_task(team, who)
    make_own_task(team, who)
    assert team.client.delete(own_task(team, who), headers=team.as_(who)).status_code == 204


def trashed_task(suffix: str = "") -> Url:
    return lambda team, who: f"{TRASH}/{team.task['id']}{suffix}"


def bulk_on_the_task(action: str, **fields: Any) -> Body:
    return lambda team, who: {"ids": [team.task["id"]], "action": action, **fields}


def body(**fields: Any) -> Body:
    return lambda team, who: fields


def into_inbox(team: Team, who: str) -> dict[str, Any]:
    return {"project_id": inbox_of(team.client, team.as_(who))["id"]}


def into_project(team: Team, who: str) -> dict[str, Any]:
    return {"project_id": team.project["id"]}


def in_project(**fields: Any) -> Body:
    return lambda team, who: {**fields, "project_id": team.project["id"]}


# Paths as the OpenAPI document writes them.
PROJECT = "/api/v1/projects/{project_id}"
MEMBER = "/api/v1/projects/{project_id}/members/{user_id}"
TASK = "/api/v1/tasks/{task_id}"
LABEL = "/api/v1/labels/{name}"
QUICK = "/api/v1/tasks/quick"
FILTERS = "/api/v1/filters"
FILTER = "/api/v1/filters/{filter_id}"


def olives_filter(team: Team, who: str) -> str:
    return f"{FILTERS}/{team.extra['filter_id']}"


TRASH = "/api/v1/trash"
SYNC = "/api/v1/sync"
TABLE: tuple[Row, ...] = (
    #   what                       endpoint                   non-member viewer editor owner
    # The Projects section
    Row("list projects",           f"GET {PROJECTS}/",        (HIDDEN, LISTED, LISTED, LISTED),
        fixed(PROJECTS)),
    Row("create a project",        f"POST {PROJECTS}/",       (201, 201, 201, 201),
        fixed(PROJECTS), body(name="Brand new")),
    Row("get the project",         f"GET {PROJECT}",          (404, 200, 200, 200),
        project(), action=Action.VIEW),
    Row("PUT the project",         f"PUT {PROJECT}",          (404, 403, 403, 200),
        project(), body(description="Changed"), action=Action.MANAGE_PROJECT),
    Row("PATCH the project",       f"PATCH {PROJECT}",        (404, 403, 403, 200),
        project(), body(name="Renamed", archived=True), action=Action.MANAGE_PROJECT),
    Row("delete the project",      f"DELETE {PROJECT}",       (404, 403, 403, 204),
        project(), action=Action.MANAGE_PROJECT),
    Row("list its members",        f"GET {PROJECT}/members/", (404, 200, 200, 200),
        project("/members"), action=Action.VIEW),
    Row("add a member",            f"POST {PROJECT}/members/", (404, 403, 403, 201),
        project("/members"), body(username="zed", role="editor"),
        action=Action.MANAGE_MEMBERS),
    Row("get a member",            f"GET {MEMBER}",           (404, 200, 200, 200),
        member("max"), action=Action.VIEW),
    Row("change a member's role",  f"PATCH {MEMBER}",         (404, 403, 403, 200),
        member("max"), body(role="editor"), action=Action.MANAGE_MEMBERS),
    Row("hand the project over",   f"PATCH {MEMBER}",         (404, 403, 403, 200),
        member("max"), body(role="owner"), action=Action.MANAGE_MEMBERS),
    Row("remove a member",         f"DELETE {MEMBER}",        (404, 403, 403, 204),
        member("max"), action=Action.MANAGE_MEMBERS),
    Row("change one's own role",   f"PATCH {MEMBER}",         (404, 403, 403, 409),
        member("self"), body(role="viewer")),
    Row("leave",                   f"DELETE {MEMBER}",        (404, 204, 204, 409),
        member("self")),
    # The tasks endpoints, on a task of the project
    Row("list tasks",              f"GET {TASKS}/",           (HIDDEN, LISTED, LISTED, LISTED),
        fixed(TASKS)),
    Row("list tasks by project",   f"GET {TASKS}/",           (HIDDEN, LISTED, LISTED, LISTED),
        lambda team, who: f"{TASKS}?project_id={team.project['id']}"),
    Row("create a task (Inbox)",   f"POST {TASKS}/",          (201, 201, 201, 201),
        fixed(TASKS), body(title="Mine")),
    Row("create a task in it",     f"POST {TASKS}/",          (404, 403, 201, 201),
        fixed(TASKS), in_project(title="Theirs"), action=Action.EDIT_TASKS),
    Row("get its task",            f"GET {TASK}",             (404, 200, 200, 200),
        the_task, action=Action.VIEW),
    Row("read its task's history", f"GET {TASK}/history",     (404, 200, 200, 200),
        lambda team, who: f"{team.task_url()}/history", action=Action.VIEW),
    Row("PUT its task",            f"PUT {TASK}",             (404, 403, 200, 200),
        the_task, body(title="Changed"), action=Action.EDIT_TASKS),
    Row("PATCH its task",          f"PATCH {TASK}",           (404, 403, 200, 200),
        the_task, body(status="completed", labels=["done"]), action=Action.EDIT_TASKS),
    Row("delete its task",         f"DELETE {TASK}",          (404, 403, 204, 204),
        the_task, action=Action.EDIT_TASKS),
    Row("set its task's reminders", f"PATCH {TASK}",          (404, 403, 200, 200),
        the_task, body(reminders=["2030-01-01T09:00:00Z"]), action=Action.EDIT_TASKS),
    Row("move its task out",       f"PATCH {TASK}",           (404, 403, 200, 200),
        the_task, into_inbox, action=Action.EDIT_TASKS),
    Row("move one's task in",      f"PATCH {TASK}",           (404, 403, 200, 200),
        own_task, into_project, action=Action.EDIT_TASKS, prepare=make_own_task),
    # Quick add: into the Inbox, into the project by id, or by its name in the text
    # (an unknown or view-only #project is a 422 on the text, not a 404 or 403)
    Row("quick add (Inbox)",       f"POST {QUICK}",           (201, 201, 201, 201),
        fixed(QUICK), body(text="Mine tomorrow !high")),
    Row("quick add in it by id",   f"POST {QUICK}",           (404, 403, 201, 201),
        fixed(QUICK), in_project(text="Theirs @errand"), action=Action.EDIT_TASKS),
    Row("quick add in it by name", f"POST {QUICK}",           (422, 422, 201, 201),
        fixed(QUICK), body(text="Theirs #shared")),
    Row("quick add preview",       f"POST {QUICK}",           (422, 422, 200, 200),
        fixed(f"{QUICK}?preview=true"), body(text="Theirs #Shared"), reads_only=True),
    # The move endpoint: a board column, out of the project, into it
    Row("move its task (column)",  f"POST {TASK}/move",       (404, 403, 200, 200),
        lambda team, who: f"{team.task_url()}/move", body(status="in_progress"),
        action=Action.EDIT_TASKS),
    Row("move its task out (move)", f"POST {TASK}/move",      (404, 403, 200, 200),
        lambda team, who: f"{team.task_url()}/move", into_inbox, action=Action.EDIT_TASKS),
    Row("move one's task in (move)", f"POST {TASK}/move",     (404, 403, 200, 200),
        lambda team, who: f"{own_task(team, who)}/move", into_project,
        action=Action.EDIT_TASKS, prepare=make_own_task),
    Row("bulk-complete its task",  f"POST {TASKS}/bulk/",     (404, 403, 200, 200),
        fixed(f"{TASKS}/bulk"), bulk_on_the_task("complete"), action=Action.EDIT_TASKS),
    Row("bulk-delete its task",    f"POST {TASKS}/bulk/",     (404, 403, 200, 200),
        fixed(f"{TASKS}/bulk"), bulk_on_the_task("delete"), action=Action.EDIT_TASKS),
    # The trash, holding its task
    Row("list the trash",          f"GET {TRASH}/",           (HIDDEN, HIDDEN, LISTED, LISTED),
        fixed(TRASH), prepare=trash_the_task),
    Row("restore its task",        f"POST {TRASH}/{{task_id}}/restore", (404, 403, 200, 200),
        trashed_task("/restore"), action=Action.EDIT_TASKS, prepare=trash_the_task),
    Row("delete its task for good", f"DELETE {TRASH}/{{task_id}}", (404, 403, 204, 204),
        trashed_task(), action=Action.EDIT_TASKS, prepare=trash_the_task),
    Row("empty the trash",         f"DELETE {TRASH}/",        (204, 204, 204, 204),
        fixed(TRASH), prepare=trash_the_task_and_one_of_ones_own),
    # The sync feed shows the project and its task to members only
    Row("sync",                    f"GET {SYNC}",             (HIDDEN, LISTED, LISTED, LISTED),
        fixed(SYNC)),
    # The labels endpoints, on the label of its task ("Errand")
    Row("list labels",             f"GET {LABELS}/",          (HIDDEN, LISTED, LISTED, LISTED),
        fixed(LABELS)),
    Row("rename its label",        f"PATCH {LABEL}",          (404, 404, 200, 200),
        fixed(f"{LABELS}/errand"), body(name="Chore"), action=Action.EDIT_TASKS,
        refused=404),
    Row("remove its label",        f"DELETE {LABEL}",         (404, 404, 204, 204),
        fixed(f"{LABELS}/ERRAND"), action=Action.EDIT_TASKS, refused=404),
    # The saved filters endpoints, on olive's filter: private to her whatever the roles
    Row("list filters",            f"GET {FILTERS}/",         (HIDDEN, HIDDEN, HIDDEN, LISTED),
        fixed(FILTERS)),
    Row("save a filter",           f"POST {FILTERS}/",        (201, 201, 201, 201),
        fixed(FILTERS), body(name="Brand new", query="project:Shared status:todo")),
    Row("get her filter",          f"GET {FILTER}",           (404, 404, 404, 200),
        olives_filter),
    Row("PATCH her filter",        f"PATCH {FILTER}",         (404, 404, 404, 200),
        olives_filter, body(name="Renamed", query="label:errand")),
    Row("delete her filter",       f"DELETE {FILTER}",        (404, 404, 404, 204),
        olives_filter),
)
CELLS = [(row, caller, expected) for row in TABLE
         for caller, expected in zip(CALLERS, row.expected, strict=True)]


class Matrix:
    """The Team of ``make_team``, plus max (another viewer: the member the owner
    manages) and zed (in no project: the person the owner adds).

    Building it is most of a cell's cost, and a cell that reads or is refused leaves
    the database as it found it (each cell checks that), so the next cell reuses it; a
    cell that writes, or fails, spoils it, and the next one starts from empty tables.
    """

    def __init__(self, app: Flask, database_url: str) -> None:
        self.app, self.database_url = app, database_url
        self.client = app.test_client()
        self._team: Team | None = None

    def team(self) -> Team:
        if self._team is None:
            self._team = self._build()
        return self._team

    def spoil(self) -> None:
        self._team = None
        with self.app.app_context():
            db.session.remove()
        truncate_all(self.database_url)

    def _build(self) -> Team:
        team = make_team(self.client, self.app, max="viewer", zed=None)
        with self.app.app_context():
            saved = saved_filter_service().create(team.users["olive"],
                                                  {"name": "Errands", "query": "label:errand"})
            team.extra["filter_id"] = saved.id
        return team

    def rows(self) -> list[list[Any]]:
        """Every row a cell could change (tokens aside), table by table."""
        with self.app.app_context(), db.engine.connect() as connection:
            return [list(connection.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2")))
                    for table in ("users", "projects", "memberships", "tasks", "task_labels",
                                  "saved_filters")]


@pytest.fixture(scope="module")
def matrix(shared_app: Flask, migrated_database: str) -> Iterator[Matrix]:
    limiter.enabled = shared_app.config["RATELIMIT_ENABLED"]
    matrix = Matrix(shared_app, migrated_database)
    matrix.spoil()
    yield matrix
    matrix.spoil()


def shows_the_project(response_json: dict, team: Team, url: str) -> bool:
    if url.startswith(SYNC):
        return {team.task["id"]} == {task["id"] for task in response_json["tasks"]} and (
            team.project["id"] in [project["id"] for project in response_json["projects"]])
    items = response_json["items"]
    if url.startswith(PROJECTS):
        return team.project["id"] in [item["id"] for item in items]
    if url.startswith(LABELS):
        return "Errand" in [item["name"] for item in items]
    if url.startswith(FILTERS):
        return team.extra["filter_id"] in [item["id"] for item in items]
    return team.task["id"] in [item["id"] for item in items]


@pytest.mark.parametrize(("row", "caller", "expected"), CELLS,
                         ids=[f"{row.name}-{caller}" for row, caller, _ in CELLS])
def test_cell(matrix: Matrix, row: Row, caller: str, expected: int | str) -> None:
    team, who = matrix.team(), NAME_OF[caller]
    spoiled = True
    try:
        if row.prepare is not None:
            row.prepare(team, who)
        url = row.url(team, who)
        before = matrix.rows()
        json = row.body(team, who) if row.body is not None else None
        response = getattr(team.client, row.method)(url, json=json, headers=team.as_(who))
        if expected in (LISTED, HIDDEN):
            assert response.status_code == 200, response.get_json()
            assert shows_the_project(response.get_json(), team, url) is (expected == LISTED)
        else:
            assert response.status_code == expected, response.get_json()
        if response.status_code >= 400:
            assert response.mimetype == "application/problem+json"
        wrote = row.method != "get" and not row.reads_only and response.status_code < 400
        if wrote:
            assert matrix.rows() != before, "a write that succeeded changed nothing"
        else:
            assert matrix.rows() == before, "a read or a refusal changed something"
        spoiled = wrote or row.prepare is not None
    finally:
        if spoiled:
            matrix.spoil()


def test_the_table_holds_every_endpoint_of_projects_tasks_and_labels(shared_app) -> None:
    client = shared_app.test_client()
    documented = {f"{method.upper()} {path}"
                  for path, operations in client.get("/api/v1/openapi.json").get_json()[
                      "paths"].items()
                  if path.startswith(("/api/v1/projects", "/api/v1/tasks", "/api/v1/labels",
                                      "/api/v1/filters", "/api/v1/trash", SYNC))
                  for method in operations if method != "parameters"}
    assert documented == {row.endpoint for row in TABLE}


def test_the_table_agrees_with_domain_access() -> None:
    """Where a row needs an action, a role succeeds exactly when ALLOWED says it may,
    and a non-member always gets 404."""
    roles = {"viewer": Role.VIEWER, "editor": Role.EDITOR, "owner": Role.OWNER}
    for row in TABLE:
        if row.action is None:
            continue
        non_member, *by_role = row.expected
        assert non_member == 404, row
        for caller, expected in zip(CALLERS[1:], by_role, strict=True):
            allowed = may(roles[caller], row.action)
            assert (expected != row.refused) is allowed, (row.name, caller, expected)
    assert {row.action for row in TABLE} >= set(Action)

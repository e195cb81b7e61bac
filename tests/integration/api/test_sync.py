"""/api/v1/sync: each kind of change, deletion and change of access, paging, bad cursors."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import insert, select, text

from taskweb.extensions import db
from taskweb.models import Project, Task, User
from taskweb.wiring import sync_service
from tests.integration.api.sharing import (
    PROJECTS,
    TASKS,
    make_team,
    new_project,
    new_task,
)

SYNC = "/api/v1/sync"


def sync(client: FlaskClient, headers: dict, since: str | None = None) -> dict:
    response = client.get(SYNC, query_string={} if since is None else {"since": since},
                          headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


class Copy:
    """What a client keeps: tasks and projects by id, and its cursor."""

    def __init__(self) -> None:
        self.tasks: dict[int, dict] = {}
        self.projects: dict[int, dict] = {}
        self.cursor: str | None = None

    def apply(self, page: dict) -> None:
        for task in page["tasks"]:
            self.tasks[task["id"]] = task
        for project in page["projects"]:
            self.projects[project["id"]] = project
        for task_id in page["deleted"]["tasks"]:
            self.tasks.pop(task_id, None)
        for project_id in page["deleted"]["projects"]:
            self.projects.pop(project_id, None)
        self.cursor = page["cursor"]

    def catch_up(self, client: FlaskClient, headers: dict) -> list[dict]:
        pages = []
        while True:
            page = sync(client, headers, self.cursor)
            self.apply(page)
            pages.append(page)
            if not page["has_more"]:
                return pages


def visible(client: FlaskClient, headers: dict) -> tuple[dict[int, dict], dict[int, dict]]:
    """What the task and project endpoints show (the truth a copy must equal)."""
    tasks = client.get(TASKS, query_string={"limit": 100}, headers=headers).get_json()["items"]
    projects = client.get(PROJECTS, query_string={"archived": "all", "limit": 100},
                          headers=headers).get_json()["items"]
    return {t["id"]: t for t in tasks}, {p["id"]: p for p in projects}


# A project's counts are derived from other rows: the feed reports them as they were when
# the project itself last changed (documented), so a copy is compared without them.
DERIVED = ("member_count", "open_task_count")


def without_counts(projects: dict[int, dict]) -> dict[int, dict]:
    return {pid: {k: v for k, v in p.items() if k not in DERIVED} for pid, p in projects.items()}


def assert_copy_is_true(copy: Copy, client: FlaskClient, headers: dict) -> None:
    tasks, projects = visible(client, headers)
    assert copy.tasks == tasks
    assert without_counts(copy.projects) == without_counts(projects)


def test_first_sync_returns_everything_then_only_what_changed(client, auth_headers,
                                                              other_auth_headers) -> None:
    project = new_project(client, auth_headers, "Work")
    first = new_task(client, auth_headers, "First", labels=["home"])
    second = new_task(client, auth_headers, "Second", project_id=project["id"])
    new_task(client, other_auth_headers, "Somebody else's")
    copy = Copy()
    page = copy.catch_up(client, auth_headers)[0]
    assert page["has_more"] is False
    assert [t["title"] for t in page["tasks"]] == ["First", "Second"]
    assert {p["name"] for p in page["projects"]} == {"Inbox", "Work"}
    assert page["deleted"] == {"tasks": [], "projects": []}
    # Serialized as the task and project endpoints do.
    assert page["tasks"][0] == client.get(f"{TASKS}/{first['id']}", headers=auth_headers
                                          ).get_json()
    assert_copy_is_true(copy, client, auth_headers)

    again = sync(client, auth_headers, copy.cursor)
    assert again == {"cursor": copy.cursor, "tasks": [], "projects": [],
                     "deleted": {"tasks": [], "projects": []}, "has_more": False}

    client.patch(f"{TASKS}/{second['id']}", json={"title": "Second, renamed"},
                 headers=auth_headers)
    client.patch(f"{PROJECTS}/{project['id']}", json={"color": "#112233"},
                 headers=auth_headers)
    page = sync(client, auth_headers, copy.cursor)
    assert [t["title"] for t in page["tasks"]] == ["Second, renamed"]
    assert [p["color"] for p in page["projects"]] == ["#112233"]
    copy.apply(page)
    assert_copy_is_true(copy, client, auth_headers)


def test_trash_restore_purge_and_project_deletion(client, auth_headers) -> None:
    project = new_project(client, auth_headers, "Doomed")
    doomed = new_task(client, auth_headers, "In the doomed project", project_id=project["id"])
    task = new_task(client, auth_headers, "Trashed")
    copy = Copy()
    copy.catch_up(client, auth_headers)

    assert client.delete(f"{TASKS}/{task['id']}", headers=auth_headers).status_code == 204
    page = sync(client, auth_headers, copy.cursor)
    assert page["deleted"]["tasks"] == [task["id"]] and page["tasks"] == []
    copy.apply(page)

    client.post(f"/api/v1/trash/{task['id']}/restore", headers=auth_headers)
    page = sync(client, auth_headers, copy.cursor)
    assert [t["id"] for t in page["tasks"]] == [task["id"]] and page["deleted"]["tasks"] == []
    copy.apply(page)

    client.delete(f"{TASKS}/{task['id']}", headers=auth_headers)
    stale = copy.cursor  # a client that has not seen the trash yet
    assert client.delete(f"/api/v1/trash/{task['id']}", headers=auth_headers
                         ).status_code == 204
    assert sync(client, auth_headers, stale)["deleted"]["tasks"] == [task["id"]]

    assert client.delete(f"{PROJECTS}/{project['id']}", headers=auth_headers
                         ).status_code == 204
    page = sync(client, auth_headers, stale)
    assert set(page["deleted"]["tasks"]) == {task["id"], doomed["id"]}
    assert page["deleted"]["projects"] == [project["id"]]
    copy.apply(page)
    assert_copy_is_true(copy, client, auth_headers)


def test_member_removed_leaving_and_added(client, app) -> None:
    team = make_team(client, app)
    vera = team.as_("vera")
    copies = {name: Copy() for name in ("eddie", "vera", "nora")}
    for name, copy in copies.items():
        copy.catch_up(client, team.as_(name))
    assert team.task["id"] in copies["eddie"].tasks
    assert copies["nora"].tasks == {}

    eddie_id, vera_id = team.users["eddie"].id, team.users["vera"].id
    assert client.delete(team.project_url(f"/members/{eddie_id}"),
                         headers=team.as_("olive")).status_code == 204  # removed
    assert client.delete(team.project_url(f"/members/{vera_id}"),
                         headers=vera).status_code == 204  # left
    for name in ("eddie", "vera"):
        page = sync(client, team.as_(name), copies[name].cursor)
        assert page["deleted"] == {"tasks": [team.task["id"]],
                                   "projects": [team.project["id"]]}
        copies[name].apply(page)
        assert_copy_is_true(copies[name], client, team.as_(name))

    # Added: the project and its tasks appear, though older than nora's cursor.
    client.post(team.project_url("/members/"), json={"username": "nora", "role": "viewer"},
                headers=team.as_("olive"))
    page = sync(client, team.as_("nora"), copies["nora"].cursor)
    assert [t["id"] for t in page["tasks"]] == [team.task["id"]]
    assert [(p["id"], p["role"]) for p in page["projects"]] == [(team.project["id"], "viewer")]
    copies["nora"].apply(page)
    assert_copy_is_true(copies["nora"], client, team.as_("nora"))

    # A change of role shows in the project's JSON, so it is a change.
    client.patch(team.project_url(f"/members/{team.users['nora'].id}"),
                 json={"role": "editor"}, headers=team.as_("olive"))
    page = sync(client, team.as_("nora"), copies["nora"].cursor)
    assert [p["role"] for p in page["projects"]] == ["editor"]


def test_a_task_moved_out_of_sight_is_deleted_for_those_who_cannot_follow(client, app
                                                                          ) -> None:
    team = make_team(client, app)
    private = new_project(client, team.as_("olive"), "Olive only")
    copies = {name: Copy() for name in ("olive", "vera")}
    for name, copy in copies.items():
        copy.catch_up(client, team.as_(name))
    response = client.patch(team.task_url(), json={"project_id": private["id"]},
                            headers=team.as_("olive"))
    assert response.status_code == 200, response.get_json()
    vera_page = sync(client, team.as_("vera"), copies["vera"].cursor)
    assert vera_page["deleted"]["tasks"] == [team.task["id"]] and vera_page["tasks"] == []
    olive_page = sync(client, team.as_("olive"), copies["olive"].cursor)
    assert [t["project_id"] for t in olive_page["tasks"]] == [private["id"]]
    assert olive_page["deleted"]["tasks"] == []
    for name, page in (("vera", vera_page), ("olive", olive_page)):
        copies[name].apply(page)
        assert_copy_is_true(copies[name], client, team.as_(name))


def test_a_cursor_not_handed_out_is_422_naming_since(client, auth_headers) -> None:
    for since in ("abc", "-1", "01", "1.5", "0.x.3", "0.t.0", "99999999999999999999",
                  "9" * 19, "x" * 5000):
        response = client.get(SYNC, query_string={"since": since}, headers=auth_headers)
        assert response.status_code == 422, since
        assert response.mimetype == "application/problem+json"
        assert "since" in response.get_json()["errors"]


def test_a_cursor_ahead_of_the_changes_is_422(client, auth_headers) -> None:
    cursor = sync(client, auth_headers)["cursor"]
    response = client.get(SYNC, query_string={"since": str(int(cursor) + 1000)},
                          headers=auth_headers)
    assert response.status_code == 422
    assert "ahead" in response.get_json()["errors"]["since"][0]


def test_personal_tokens_need_both_read_scopes(client, auth_headers) -> None:
    def token(scopes: list[str]) -> dict[str, str]:
        secret = client.post("/api/v1/tokens", json={"name": "-".join(scopes),
                                                     "scopes": scopes},
                             headers=auth_headers).get_json()["token"]
        return {"Authorization": f"Bearer {secret}"}

    refused = client.get(SYNC, headers=token(["tasks:read"]))
    assert refused.status_code == 403 and "projects:read" in refused.get_json()["detail"]
    assert client.get(SYNC, headers=token(["tasks:read", "projects:read"])).status_code == 200


def _bulk_tasks(app, user: User, count: int) -> None:
    """``count`` tasks in the user's Inbox in one INSERT (each numbered by the trigger)."""
    with app.app_context():
        inbox = db.session.scalar(select(Project.id).where(Project.owner_id == user.id))
        db.session.execute(insert(Task), [
            {"title": f"Bulk {n}", "owner_id": user.id, "project_id": inbox,
             "position": f"a{n:05d}"} for n in range(count)])
        db.session.commit()


def test_pages_hold_500_changes(client, app, user, auth_headers) -> None:
    _bulk_tasks(app, user, 1000)
    copy = Copy()
    pages = copy.catch_up(client, auth_headers)
    # The Inbox and 1000 tasks: 500, 500, then the last one.
    assert [len(p["tasks"]) + len(p["projects"]) for p in pages] == [500, 500, 1]
    assert [p["has_more"] for p in pages] == [True, True, False]
    assert len(copy.tasks) == 1000


def test_the_service_pages_by_any_size_through_rows_older_than_the_feed(app, user,
                                                                        make_task) -> None:
    """Rows written before the feed existed have no number (they count as 0): a cursor
    inside them goes on from the id it reached."""
    for n in range(4):
        make_task(user, f"Old {n}")
    with app.app_context():
        db.session.execute(text("SET LOCAL session_replication_role = replica"))  # no trigger
        db.session.execute(text("UPDATE tasks SET change_no = NULL"))
        db.session.execute(text("UPDATE projects SET change_no = NULL"))
        db.session.commit()
    make_task(user, "New")
    seen: list[Any] = []
    cursors = []
    cursor = None
    with app.app_context():
        while True:
            page = sync_service().changes(user, cursor, page_size=2)
            seen += [p.project.name for p in page.projects] + [t.title for t in page.tasks]
            cursor = page.cursor
            cursors.append(cursor)
            if not page.has_more:
                break
    assert seen == ["Inbox", "Old 0", "Old 1", "Old 2", "Old 3", "New"]
    assert cursors[0].startswith("0.t.") and len(cursors) == 3


def test_a_page_runs_a_constant_number_of_statements(client, app, user, auth_headers,
                                                     make_task) -> None:
    from tests.integration.test_statement_counts import counted_statements

    counts = []
    for size in (2, 30):
        for n in range(size):
            make_task(user, f"Task {n}", labels=["x", "y"])
        with counted_statements(app) as statements:
            page = sync(client, auth_headers)
        assert len(page["tasks"]) >= size
        counts.append(len(statements))
    # user + revocation; the last number (lock, read); the changes of projects, tasks
    # and events; the projects and the tasks (with their labels).
    assert counts[0] == counts[1] == 8


def test_a_shared_project_pages_within_the_limit_for_the_new_member(client, app) -> None:
    """Joining writes one numbered row per task of the project, so even a large share
    arrives in pages of at most ``page_size`` changes."""
    team = make_team(client, app)
    for n in range(6):
        new_task(client, team.as_("olive"), f"Old {n}", project_id=team.project["id"])
    nora = team.users["nora"]
    with app.app_context():
        cursor = sync_service().changes(nora, None).cursor
    client.post(team.project_url("/members/"), json={"username": "nora", "role": "viewer"},
                headers=team.as_("olive"))
    sizes, titles, projects = [], set(), []
    with app.app_context():
        while True:
            page = sync_service().changes(nora, cursor, page_size=3)
            sizes.append(len(page.tasks) + len(page.projects))
            titles |= {task.title for task in page.tasks}
            projects.append([view.project.id for view in page.projects])
            cursor = page.cursor
            if not page.has_more:
                break
    assert sizes == [3, 3, 2]  # the project first, then its 7 tasks
    assert projects == [[team.project["id"]], [], []]
    assert titles == {"Shared task", *(f"Old {n}" for n in range(6))}

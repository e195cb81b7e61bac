"""/api/v1/projects: create, list, get, change, delete; members, ownership transfer,
leaving; the Inbox's rules; moving tasks between projects; bad input changes nothing."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from tests.integration.api.sharing import (
    PROJECTS,
    TASKS,
    Team,
    inbox_of,
    make_team,
    new_project,
    new_task,
    share,
)
from tests.integration.api.test_auth import assert_problem

PROJECT_KEYS = {"id", "name", "description", "color", "is_inbox", "archived", "owner_id",
                "role", "member_count", "open_task_count", "created_at", "updated_at"}


@pytest.fixture
def team(client: FlaskClient, app) -> Team:
    return make_team(client, app)


def names(client: FlaskClient, headers: dict, query: str = "") -> list[str]:
    page = client.get(f"{PROJECTS}?{query}", headers=headers).get_json()
    return [project["name"] for project in page["items"]]


class TestCreate:
    def test_shape_location_and_defaults(self, client, auth_headers, user) -> None:
        response = client.post(PROJECTS, json={"name": "  Home  ", "color": "#AaBbCc"},
                               headers=auth_headers)
        assert response.status_code == 201
        project = response.get_json()
        assert set(project) == PROJECT_KEYS
        assert project["name"] == "Home" and project["color"] == "#aabbcc"
        assert (project["description"], project["is_inbox"], project["archived"]) == (
            None, False, False)
        assert (project["owner_id"], project["role"]) == (user.id, "owner")
        assert (project["member_count"], project["open_task_count"]) == (1, 0)
        assert project["created_at"].endswith("+00:00")
        assert response.headers["Location"] == f"{PROJECTS}/{project['id']}"
        assert client.get(response.headers["Location"], headers=auth_headers).get_json() == \
            project

    @pytest.mark.parametrize("url", [PROJECTS, f"{PROJECTS}/"])
    def test_with_and_without_trailing_slash(self, client, auth_headers, url) -> None:
        assert client.post(url, json={"name": url}, headers=auth_headers).status_code == 201
        listing = client.get(url, headers=auth_headers)
        assert listing.status_code == 200 and listing.get_json()["total"] == 2

    @pytest.mark.parametrize("taken", ["Home", "HOME", "  home "])
    def test_name_taken_among_own_projects_is_409(self, client, auth_headers, taken) -> None:
        new_project(client, auth_headers, "Home")
        problem = assert_problem(client.post(PROJECTS, json={"name": taken},
                                             headers=auth_headers), 409)
        assert list(problem["errors"]) == ["name"]
        assert names(client, auth_headers) == ["Inbox", "Home"]

    def test_inbox_is_a_taken_name(self, client, auth_headers) -> None:
        problem = assert_problem(client.post(PROJECTS, json={"name": "inbox"},
                                             headers=auth_headers), 409)
        assert "name" in problem["errors"]

    def test_others_may_use_the_same_name(self, client, auth_headers, other_auth_headers
                                          ) -> None:
        new_project(client, auth_headers, "Home")
        new_project(client, other_auth_headers, "Home")

    def test_a_shared_project_of_the_same_name_does_not_count(self, team: Team) -> None:
        # eddie is a member of olive's "Shared", not its owner: the name is his to use.
        mine = new_project(team.client, team.as_("eddie"), "shared")
        # Equal names sort by id: olive's came first.
        assert names(team.client, team.as_("eddie")) == ["Inbox", "Shared", "shared"]
        assert mine["owner_id"] == team.users["eddie"].id

    def test_needs_a_token(self, client) -> None:
        response = client.post(PROJECTS, json={"name": "x"})
        assert assert_problem(response, 401) and response.headers["WWW-Authenticate"] == "Bearer"


class TestList:
    def test_inbox_first_then_by_name_case_insensitively(self, client, auth_headers) -> None:
        for name in ("beta", "Alpha", "gamma", "Zulu", "delta"):
            new_project(client, auth_headers, name)
        assert names(client, auth_headers) == ["Inbox", "Alpha", "beta", "delta", "gamma",
                                               "Zulu"]

    def test_archived_filter(self, client, auth_headers) -> None:
        old = new_project(client, auth_headers, "Old")
        new_project(client, auth_headers, "New")
        patched = client.patch(f"{PROJECTS}/{old['id']}", json={"archived": True},
                               headers=auth_headers)
        assert patched.status_code == 200 and patched.get_json()["archived"] is True
        assert names(client, auth_headers) == ["Inbox", "New"]
        assert names(client, auth_headers, "archived=false") == ["Inbox", "New"]
        assert names(client, auth_headers, "archived=true") == ["Old"]
        assert names(client, auth_headers, "archived=all") == ["Inbox", "New", "Old"]
        assert names(client, auth_headers, "archived=ALL") == ["Inbox", "New", "Old"]

    def test_pages_carry_the_total(self, client, auth_headers) -> None:
        for n in range(5):
            new_project(client, auth_headers, f"P{n}")
        page = client.get(f"{PROJECTS}?limit=2&offset=2", headers=auth_headers).get_json()
        assert [p["name"] for p in page["items"]] == ["P1", "P2"]
        assert (page["total"], page["limit"], page["offset"]) == (6, 2, 2)
        past = client.get(f"{PROJECTS}?offset=50", headers=auth_headers).get_json()
        assert past["items"] == [] and past["total"] == 6

    def test_counts_and_the_callers_role(self, team: Team) -> None:
        client, project = team.client, team.project
        new_task(client, team.as_("eddie"), "open", project_id=project["id"])
        done = new_task(client, team.as_("eddie"), "done", project_id=project["id"],
                        status="completed")
        assert done["completed_at"] is not None
        for who, role in (("olive", "owner"), ("eddie", "editor"), ("vera", "viewer")):
            listed = client.get(PROJECTS, headers=team.as_(who)).get_json()["items"]
            [shared] = [p for p in listed if p["id"] == project["id"]]
            assert (shared["role"], shared["member_count"], shared["open_task_count"]) == (
                role, 3, 2)
            assert shared["owner_id"] == team.users["olive"].id
        assert project["id"] not in [p["id"] for p in client.get(
            PROJECTS, headers=team.as_("nora")).get_json()["items"]]

    @pytest.mark.parametrize(("query", "field"), [
        ("archived=maybe", "archived"), ("archived=1", "archived"), ("limit=0", "limit"),
        ("limit=101", "limit"), ("limit=abc", "limit"), ("offset=-1", "offset"),
        ("offset=1.5", "offset"),
    ])
    def test_bad_parameters_are_422(self, client, auth_headers, query, field) -> None:
        problem = assert_problem(client.get(f"{PROJECTS}?{query}", headers=auth_headers), 422)
        assert list(problem["errors"]) == [field]


class TestGet:
    def test_unknown_and_someone_elses_look_the_same(self, team: Team) -> None:
        client = team.client
        theirs = assert_problem(client.get(team.project_url(), headers=team.as_("nora")), 404)
        missing = assert_problem(client.get(f"{PROJECTS}/999999", headers=team.as_("nora")),
                                 404)
        pid = str(team.project["id"])
        assert theirs["detail"].replace(pid, "N") == missing["detail"].replace("999999", "N")

    def test_every_member_reads_it(self, team: Team) -> None:
        for who in ("olive", "eddie", "vera"):
            response = team.client.get(team.project_url(), headers=team.as_(who))
            assert response.status_code == 200 and response.get_json()["name"] == "Shared"


class TestChange:
    @pytest.mark.parametrize("method", ["put", "patch"])
    def test_omitted_fields_are_unchanged(self, client, auth_headers, method) -> None:
        project = new_project(client, auth_headers, "Home", description="House",
                              color="#112233")
        response = getattr(client, method)(f"{PROJECTS}/{project['id']}",
                                           json={"name": "House"}, headers=auth_headers)
        assert response.status_code == 200
        changed = response.get_json()
        assert (changed["name"], changed["description"], changed["color"]) == (
            "House", "House", "#112233")
        assert changed["updated_at"] >= project["updated_at"]
        assert client.get(f"{PROJECTS}/{project['id']}", headers=auth_headers).get_json() == \
            changed

    def test_clear_color_and_description(self, client, auth_headers) -> None:
        project = new_project(client, auth_headers, "Home", description="x", color="#112233")
        changed = client.patch(f"{PROJECTS}/{project['id']}",
                               json={"color": None, "description": "   "},
                               headers=auth_headers).get_json()
        assert (changed["color"], changed["description"]) == (None, None)

    def test_renaming_onto_a_taken_name_is_409(self, client, auth_headers) -> None:
        new_project(client, auth_headers, "Home")
        work = new_project(client, auth_headers, "Work")
        problem = assert_problem(client.patch(f"{PROJECTS}/{work['id']}",
                                              json={"name": "HOME"}, headers=auth_headers), 409)
        assert list(problem["errors"]) == ["name"]
        assert names(client, auth_headers) == ["Inbox", "Home", "Work"]

    def test_a_change_of_case_is_a_rename_of_its_own(self, client, auth_headers) -> None:
        home = new_project(client, auth_headers, "home")
        response = client.patch(f"{PROJECTS}/{home['id']}", json={"name": "Home"},
                                headers=auth_headers)
        assert response.status_code == 200 and response.get_json()["name"] == "Home"


class TestInbox:
    def test_made_at_registration(self, client, auth_headers, user) -> None:
        inbox = inbox_of(client, auth_headers)
        assert (inbox["name"], inbox["role"], inbox["owner_id"]) == ("Inbox", "owner", user.id)
        task = new_task(client, auth_headers)
        assert task["project_id"] == inbox["id"]
        assert inbox_of(client, auth_headers)["open_task_count"] == 1

    @pytest.mark.parametrize(("body", "field"), [
        ({"name": "Stuff"}, "name"), ({"name": "inbox"}, "name"),
        ({"archived": True}, "archived"),
    ])
    def test_cannot_be_renamed_or_archived(self, client, auth_headers, body, field) -> None:
        inbox = inbox_of(client, auth_headers)
        for method in ("patch", "put"):
            problem = assert_problem(getattr(client, method)(
                f"{PROJECTS}/{inbox['id']}", json=body, headers=auth_headers), 409)
            assert list(problem["errors"]) == [field]
        assert inbox_of(client, auth_headers) == inbox

    def test_its_color_and_description_may_change(self, client, auth_headers) -> None:
        inbox = inbox_of(client, auth_headers)
        response = client.patch(f"{PROJECTS}/{inbox['id']}",
                                json={"name": "Inbox", "color": "#ff0000",
                                      "description": "Unsorted", "archived": False},
                                headers=auth_headers)
        assert response.status_code == 200
        assert (response.get_json()["color"], response.get_json()["name"]) == ("#ff0000",
                                                                                "Inbox")

    def test_cannot_be_deleted(self, client, auth_headers) -> None:
        inbox = inbox_of(client, auth_headers)
        task = new_task(client, auth_headers)
        assert_problem(client.delete(f"{PROJECTS}/{inbox['id']}", headers=auth_headers), 409)
        assert client.get(f"{TASKS}/{task['id']}", headers=auth_headers).status_code == 200

    def test_cannot_be_shared(self, client, auth_headers, other_user) -> None:
        inbox = inbox_of(client, auth_headers)
        assert_problem(client.post(f"{PROJECTS}/{inbox['id']}/members",
                                   json={"username": other_user.username, "role": "viewer"},
                                   headers=auth_headers), 409)
        members = client.get(f"{PROJECTS}/{inbox['id']}/members", headers=auth_headers)
        assert len(members.get_json()["items"]) == 1


class TestDelete:
    def test_its_tasks_go_with_it(self, app, team: Team) -> None:
        client = team.client
        subtask = new_task(client, team.as_("eddie"), "step", project_id=team.project["id"],
                           parent_id=team.task["id"])
        elsewhere = new_task(client, team.as_("olive"), "in the Inbox")
        assert client.delete(team.project_url(), headers=team.as_("olive")).status_code == 204
        for who in ("olive", "eddie", "vera"):
            assert_problem(client.get(team.project_url(), headers=team.as_(who)), 404)
            for task in (team.task, subtask):
                assert_problem(client.get(f"{TASKS}/{task['id']}", headers=team.as_(who)), 404)
            assert names(client, team.as_(who)) == ["Inbox"]
        assert client.get(f"{TASKS}/{elsewhere['id']}", headers=team.as_("olive")
                          ).status_code == 200
        with app.app_context():
            from sqlalchemy import func, select

            from taskweb.extensions import db
            from taskweb.models import Membership, Task, TaskLabel
            assert db.session.scalar(select(func.count()).select_from(Task)) == 1
            assert db.session.scalar(select(func.count()).select_from(TaskLabel)) == 0
            assert db.session.scalar(select(func.count()).select_from(Membership).where(
                Membership.project_id == team.project["id"])) == 0

    def test_its_tasks_go_with_it_on_sqlite_too(self, tmp_path) -> None:
        """SQLite (``make run``) enforces no foreign keys: nothing may be left behind for
        the former members to see through their memberships."""
        from flask_migrate import upgrade

        from tests.conftest import PASSWORD, make_app
        sqlite_app = make_app(f"sqlite:///{tmp_path / 'taskweb.sqlite3'}")
        with sqlite_app.app_context():
            upgrade()
        client = sqlite_app.test_client()
        headers = {}
        for name in ("ann", "bob"):
            client.post("/api/v1/auth/register", json={
                "email": f"{name}@example.com", "username": name, "password": PASSWORD})
            token = client.post("/api/v1/auth/login", json={
                "email": f"{name}@example.com", "password": PASSWORD}).get_json()["access_token"]
            headers[name] = {"Authorization": f"Bearer {token}"}
        project = new_project(client, headers["ann"], "Home")
        share(client, headers["ann"], project["id"], "bob", "editor")
        task = new_task(client, headers["bob"], "x", project_id=project["id"], labels=["a"])
        new_task(client, headers["bob"], "step", project_id=project["id"], parent_id=task["id"])
        assert client.delete(f"{PROJECTS}/{project['id']}", headers=headers["ann"]
                             ).status_code == 204
        assert_problem(client.get(f"{TASKS}/{task['id']}", headers=headers["bob"]), 404)
        assert client.get(TASKS, headers=headers["bob"]).get_json()["total"] == 0
        assert client.get("/api/v1/labels", headers=headers["bob"]).get_json()["items"] == []


class TestMembers:
    def test_list(self, team: Team) -> None:
        response = team.client.get(team.project_url("/members"), headers=team.as_("vera"))
        assert response.status_code == 200
        items = response.get_json()["items"]
        assert [(m["username"], m["role"]) for m in items] == [
            ("olive", "owner"), ("eddie", "editor"), ("vera", "viewer")]
        assert set(items[0]) == {"user_id", "username", "full_name", "role", "joined_at"}
        assert items[0]["user_id"] == team.users["olive"].id
        assert items[0]["full_name"] == "Olive" and items[0]["joined_at"].endswith("+00:00")

    @pytest.mark.parametrize("suffix", ["/members", "/members/"])
    def test_with_and_without_trailing_slash(self, team: Team, suffix) -> None:
        client = team.client
        assert client.get(team.project_url(suffix), headers=team.as_("olive")).status_code == 200
        added = client.post(team.project_url(suffix), json={"username": "nora",
                                                            "role": "viewer"},
                            headers=team.as_("olive"))
        assert added.status_code == 201

    @pytest.mark.parametrize("body", [
        {"username": "NORA", "role": "editor"}, {"email": "Nora@Example.com", "role": "editor"},
    ])
    def test_add_by_username_or_email(self, team: Team, body) -> None:
        client = team.client
        response = client.post(team.project_url("/members"), json=body,
                               headers=team.as_("olive"))
        assert response.status_code == 201
        member = response.get_json()
        assert (member["user_id"], member["username"], member["role"]) == (
            team.users["nora"].id, "nora", "editor")
        assert response.headers["Location"] == team.project_url(f"/members/{member['user_id']}")
        assert client.get(response.headers["Location"], headers=team.as_("nora")
                          ).get_json() == member
        seen = client.get(team.project_url(), headers=team.as_("nora")).get_json()
        assert (seen["role"], seen["member_count"]) == ("editor", 4)
        assert client.get(team.task_url(), headers=team.as_("nora")).status_code == 200

    @pytest.mark.parametrize("who", ["eddie", "vera", "olive"])
    def test_adding_a_member_again_is_409(self, team: Team, who) -> None:
        problem = assert_problem(team.client.post(
            team.project_url("/members"), json={"username": who, "role": "viewer"},
            headers=team.as_("olive")), 409)
        assert list(problem["errors"]) == ["username"]

    def test_change_a_role(self, team: Team) -> None:
        client = team.client
        response = client.patch(team.project_url(f"/members/{team.users['vera'].id}"),
                                json={"role": "editor"}, headers=team.as_("olive"))
        assert response.status_code == 200 and response.get_json()["role"] == "editor"
        assert client.patch(team.task_url(), json={"title": "by vera"},
                            headers=team.as_("vera")).status_code == 200
        client.patch(team.project_url(f"/members/{team.users['vera'].id}"),
                     json={"role": "viewer"}, headers=team.as_("olive"))
        assert_problem(client.patch(team.task_url(), json={"title": "again"},
                                    headers=team.as_("vera")), 403)

    @pytest.mark.parametrize("role", ["owner", "editor", "viewer"])
    def test_the_owners_own_row_is_409(self, team: Team, role) -> None:
        assert_problem(team.client.patch(
            team.project_url(f"/members/{team.users['olive'].id}"), json={"role": role},
            headers=team.as_("olive")), 409)
        assert team.client.get(team.project_url(), headers=team.as_("olive")
                               ).get_json()["role"] == "owner"

    def test_a_non_member_user_id_is_404(self, team: Team) -> None:
        nora = team.users["nora"].id
        for method, body in (("get", None), ("patch", {"role": "viewer"}), ("delete", None)):
            assert_problem(getattr(team.client, method)(
                team.project_url(f"/members/{nora}"), json=body, headers=team.as_("olive")),
                404)


class TestOwnershipTransfer:
    def test_the_member_becomes_owner_and_the_owner_an_editor(self, team: Team) -> None:
        client, eddie, olive = team.client, team.users["eddie"], team.users["olive"]
        response = client.patch(team.project_url(f"/members/{eddie.id}"),
                                json={"role": "owner"}, headers=team.as_("olive"))
        assert response.status_code == 200 and response.get_json()["role"] == "owner"
        project = client.get(team.project_url(), headers=team.as_("eddie")).get_json()
        assert (project["owner_id"], project["role"]) == (eddie.id, "owner")
        assert client.get(team.project_url(), headers=team.as_("olive")).get_json()["role"] \
            == "editor"
        roles = {m["username"]: m["role"] for m in client.get(
            team.project_url("/members"), headers=team.as_("vera")).get_json()["items"]}
        assert roles == {"olive": "editor", "eddie": "owner", "vera": "viewer"}
        # The old owner manages nothing any more; the new one does.
        assert_problem(client.patch(team.project_url(), json={"name": "Mine"},
                                    headers=team.as_("olive")), 403)
        assert client.patch(team.project_url(), json={"name": "Ours"},
                            headers=team.as_("eddie")).status_code == 200
        # ... and may now leave, while the new owner may not.
        assert client.delete(team.project_url(f"/members/{olive.id}"),
                             headers=team.as_("olive")).status_code == 204
        assert_problem(client.delete(team.project_url(f"/members/{eddie.id}"),
                                     headers=team.as_("eddie")), 409)

    def test_a_name_the_heir_already_owns_is_409(self, team: Team) -> None:
        new_project(team.client, team.as_("eddie"), "SHARED")
        problem = assert_problem(team.client.patch(
            team.project_url(f"/members/{team.users['eddie'].id}"), json={"role": "owner"},
            headers=team.as_("olive")), 409)
        assert list(problem["errors"]) == ["name"]
        project = team.client.get(team.project_url(), headers=team.as_("olive")).get_json()
        assert (project["role"], project["owner_id"]) == ("owner", team.users["olive"].id)


class TestLeavingAndRemoving:
    @pytest.mark.parametrize("who", ["eddie", "vera"])
    def test_a_member_leaves(self, team: Team, who) -> None:
        client = team.client
        response = client.delete(team.project_url(f"/members/{team.users[who].id}"),
                                 headers=team.as_(who))
        assert response.status_code == 204
        assert_problem(client.get(team.project_url(), headers=team.as_(who)), 404)
        assert_problem(client.get(team.task_url(), headers=team.as_(who)), 404)
        assert names(client, team.as_(who)) == ["Inbox"]
        assert client.get(team.project_url(), headers=team.as_("olive")
                          ).get_json()["member_count"] == 2

    def test_the_owner_cannot_leave(self, team: Team) -> None:
        assert_problem(team.client.delete(
            team.project_url(f"/members/{team.users['olive'].id}"),
            headers=team.as_("olive")), 409)
        assert team.client.get(team.project_url(), headers=team.as_("olive")
                               ).get_json()["member_count"] == 3

    def test_a_removed_member_no_longer_sees_the_project_or_its_tasks(self, team: Team
                                                                       ) -> None:
        client = team.client
        assert client.get(team.task_url(), headers=team.as_("eddie")).status_code == 200
        response = client.delete(team.project_url(f"/members/{team.users['eddie'].id}"),
                                 headers=team.as_("olive"))
        assert response.status_code == 204
        assert_problem(client.get(team.task_url(), headers=team.as_("eddie")), 404)
        assert_problem(client.patch(team.task_url(), json={"title": "x"},
                                    headers=team.as_("eddie")), 404)
        assert_problem(client.get(team.project_url(), headers=team.as_("eddie")), 404)
        page = client.get(f"{TASKS}?project_id={team.project['id']}",
                          headers=team.as_("eddie")).get_json()
        assert page["total"] == 0

    def test_their_assignments_in_the_project_are_cleared(self, team: Team) -> None:
        client, eddie = team.client, team.users["eddie"].id
        assigned = client.patch(team.task_url(), json={"assignee_id": eddie},
                                headers=team.as_("olive"))
        assert assigned.get_json()["assignee_id"] == eddie
        own = new_task(client, team.as_("eddie"), "his own", assignee_id=eddie)
        client.delete(team.project_url(f"/members/{eddie}"), headers=team.as_("olive"))
        after = client.get(team.task_url(), headers=team.as_("olive"))
        assert after.get_json()["assignee_id"] is None
        assert after.headers["ETag"] != assigned.headers["ETag"]
        assert client.get(f"{TASKS}/{own['id']}", headers=team.as_("eddie")
                          ).get_json()["assignee_id"] == eddie


class TestMovingTasks:
    @pytest.fixture
    def other(self, team: Team) -> dict:
        """A second project of olive's, where eddie is an editor and vera is not."""
        project = new_project(team.client, team.as_("olive"), "Other")
        share(team.client, team.as_("olive"), project["id"], "eddie", "editor")
        return project

    def test_subtasks_move_along_and_a_non_member_assignee_is_cleared(
        self, team: Team, other: dict
    ) -> None:
        client, eddie, vera = team.client, team.users["eddie"].id, team.users["vera"].id
        client.patch(team.task_url(), json={"assignee_id": vera}, headers=team.as_("olive"))
        step = new_task(client, team.as_("eddie"), "step", project_id=team.project["id"],
                        parent_id=team.task["id"], assignee_id=eddie)
        other_step = new_task(client, team.as_("eddie"), "step 2",
                              project_id=team.project["id"], parent_id=team.task["id"],
                              assignee_id=vera)
        response = client.patch(team.task_url(), json={"project_id": other["id"]},
                                headers=team.as_("eddie"))
        assert response.status_code == 200, response.get_json()
        moved = response.get_json()
        assert (moved["project_id"], moved["assignee_id"]) == (other["id"], None)
        assert moved["subtasks"] == {"total": 2, "completed": 0}
        for subtask, assignee in ((step, eddie), (other_step, None)):
            seen = client.get(f"{TASKS}/{subtask['id']}", headers=team.as_("eddie")).get_json()
            assert (seen["project_id"], seen["parent_id"], seen["assignee_id"]) == (
                other["id"], team.task["id"], assignee)
        # vera, a member of the old project only, sees none of them now.
        for task in (team.task, step, other_step):
            assert_problem(client.get(f"{TASKS}/{task['id']}", headers=team.as_("vera")), 404)
        assert client.get(f"{PROJECTS}/{other['id']}", headers=team.as_("olive")
                          ).get_json()["open_task_count"] == 3

    def test_an_assignee_who_is_a_member_of_the_target_stays(self, team: Team, other: dict
                                                             ) -> None:
        eddie = team.users["eddie"].id
        team.client.patch(team.task_url(), json={"assignee_id": eddie},
                          headers=team.as_("olive"))
        moved = team.client.patch(team.task_url(), json={"project_id": other["id"]},
                                  headers=team.as_("olive")).get_json()
        assert moved["assignee_id"] == eddie

    def test_a_target_only_viewed_is_403(self, team: Team, other: dict) -> None:
        share(team.client, team.as_("olive"), other["id"], "vera", "viewer")
        mine = new_task(team.client, team.as_("vera"), "vera's")
        problem = assert_problem(team.client.patch(
            f"{TASKS}/{mine['id']}", json={"project_id": other["id"]},
            headers=team.as_("vera")), 403)
        assert list(problem["errors"]) == ["project_id"]
        assert team.client.get(f"{TASKS}/{mine['id']}", headers=team.as_("vera")
                               ).get_json() == mine

    def test_a_target_not_seen_is_404(self, team: Team) -> None:
        mine = new_task(team.client, team.as_("nora"), "nora's")
        for target in (team.project["id"], 999999):
            problem = assert_problem(team.client.patch(
                f"{TASKS}/{mine['id']}", json={"project_id": target},
                headers=team.as_("nora")), 404)
            assert list(problem["errors"]) == ["project_id"]
        assert team.client.get(f"{TASKS}/{mine['id']}", headers=team.as_("nora")
                               ).get_json() == mine

    def test_a_source_only_viewed_is_403(self, team: Team) -> None:
        vera_inbox = inbox_of(team.client, team.as_("vera"))
        assert_problem(team.client.patch(team.task_url(), json={"project_id": vera_inbox["id"]},
                                         headers=team.as_("vera")), 403)
        assert team.client.get(team.task_url(), headers=team.as_("olive")
                               ).get_json()["project_id"] == team.project["id"]

    def test_a_subtask_moves_only_with_its_parent(self, team: Team, other: dict) -> None:
        step = new_task(team.client, team.as_("olive"), "step", project_id=team.project["id"],
                        parent_id=team.task["id"])
        problem = assert_problem(team.client.patch(
            f"{TASKS}/{step['id']}", json={"project_id": other["id"]},
            headers=team.as_("olive")), 422)
        assert "project_id" in problem["errors"]
        alone = team.client.patch(f"{TASKS}/{step['id']}",
                                  json={"project_id": other["id"], "parent_id": None},
                                  headers=team.as_("olive"))
        assert alone.status_code == 200 and alone.get_json()["project_id"] == other["id"]


NAME_101 = "n" * 101


class TestBadInputWritesNothing:
    @pytest.mark.parametrize(("body", "field"), [
        ({"name": NAME_101}, "name"), ({"name": ""}, "name"), ({"name": "   "}, "name"),
        ({"name": 5}, "name"), ({"name": None}, "name"), ({"name": "nul\x00"}, "name"),
        ({}, "name"), ({"name": "ok", "color": "red"}, "color"),
        ({"name": "ok", "color": "#12345"}, "color"), ({"name": "ok", "color": "#GGGGGG"},
                                                       "color"),
        ({"name": "ok", "color": 0x336699}, "color"),
        ({"name": "ok", "description": "d" * 2001}, "description"),
        ({"name": "ok", "description": 5}, "description"),
        ({"name": "ok", "archived": True}, "archived"), ({"name": "ok", "owner_id": 2},
                                                         "owner_id"),
        ({"name": "ok", "id": 7}, "id"), ({"name": "ok", "is_inbox": True}, "is_inbox"),
    ])
    def test_create(self, client, auth_headers, body, field) -> None:
        problem = assert_problem(client.post(PROJECTS, json=body, headers=auth_headers), 422)
        assert field in problem["errors"]
        assert names(client, auth_headers, "archived=all") == ["Inbox"]

    @pytest.mark.parametrize(("body", "field"), [
        ({"name": NAME_101}, "name"), ({"color": "red"}, "color"),
        ({"archived": "yes"}, "archived"), ({"archived": None}, "archived"),
        ({"description": "d" * 2001}, "description"), ({"role": "owner"}, "role"),
        ({"owner_id": 9}, "owner_id"), ({"member_count": 9}, "member_count"),
    ])
    def test_change(self, team: Team, body, field) -> None:
        before = team.client.get(team.project_url(), headers=team.as_("olive")).get_json()
        for method in ("put", "patch"):
            problem = assert_problem(getattr(team.client, method)(
                team.project_url(), json=body, headers=team.as_("olive")), 422)
            assert field in problem["errors"]
        assert team.client.get(team.project_url(), headers=team.as_("olive")).get_json() == \
            before

    @pytest.mark.parametrize(("body", "status", "field"), [
        ({"username": "nobody", "role": "viewer"}, 404, "username"),
        ({"email": "nobody@example.com", "role": "viewer"}, 404, "email"),
        ({"username": "nora", "role": "admin"}, 422, "role"),
        ({"username": "nora", "role": "owner"}, 422, "role"),
        ({"username": "nora"}, 422, "role"),
        ({"role": "viewer"}, 422, "username"),
        ({"username": "nora", "email": "nora@example.com", "role": "viewer"}, 422, "email"),
        ({"username": 5, "role": "viewer"}, 422, "username"),
        ({"username": "", "role": "viewer"}, 422, "username"),
        ({"username": "no\x00ra", "role": "viewer"}, 422, "username"),
        ({"email": "not-an-address", "role": "viewer"}, 422, "email"),
        ({"username": "nora", "role": "viewer", "user_id": 4}, 422, "user_id"),
    ])
    def test_add_member(self, team: Team, body, status, field) -> None:
        problem = assert_problem(team.client.post(team.project_url("/members"), json=body,
                                                  headers=team.as_("olive")), status)
        assert field in problem["errors"]
        members = team.client.get(team.project_url("/members"), headers=team.as_("olive"))
        assert len(members.get_json()["items"]) == 3

    @pytest.mark.parametrize("body", [{"role": "admin"}, {}, {"role": None}, {"role": 1},
                                      {"role": "viewer", "joined_at": "x"}])
    def test_change_role(self, team: Team, body) -> None:
        problem = assert_problem(team.client.patch(
            team.project_url(f"/members/{team.users['eddie'].id}"), json=body,
            headers=team.as_("olive")), 422)
        assert set(problem["errors"]) <= {"role", "joined_at"} and problem["errors"]
        assert team.client.get(team.project_url(f"/members/{team.users['eddie'].id}"),
                               headers=team.as_("olive")).get_json()["role"] == "editor"

    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
    @pytest.mark.parametrize("whose", ["unknown", "someone else's"])
    def test_unknown_or_someone_elses_project_is_404(self, team: Team, method, whose) -> None:
        url = f"{PROJECTS}/999999" if whose == "unknown" else team.project_url()
        body = {"name": "Mine now"} if method in ("put", "patch") else None
        assert_problem(getattr(team.client, method)(url, json=body, headers=team.as_("nora")),
                       404)
        for suffix, member_body in (("/members", {"username": "nora", "role": "editor"}),):
            assert_problem(team.client.post(url + suffix, json=member_body,
                                            headers=team.as_("nora")), 404)
        assert team.client.get(team.project_url(), headers=team.as_("olive")
                               ).get_json()["name"] == "Shared"

    @pytest.mark.parametrize(("project_id", "status"), [
        (999999, 404), ("someone else's", 404), ("abc", 422), (0, 422), (True, 422),
        (None, 422), (1.5, 422),
    ])
    def test_a_task_in_a_bad_project(self, team: Team, project_id, status) -> None:
        if project_id == "someone else's":
            project_id = team.project["id"]
        problem = assert_problem(team.client.post(TASKS, json={"title": "t",
                                                               "project_id": project_id},
                                                  headers=team.as_("nora")), status)
        assert list(problem["errors"]) == ["project_id"]
        assert team.client.get(TASKS, headers=team.as_("nora")).get_json()["total"] == 0

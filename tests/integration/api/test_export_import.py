"""GET /users/me/export and POST /users/me/import: the round trip (a property over
generated tasks), all or nothing, bounded sizes, and CSV as people write it."""

from __future__ import annotations

import copy
import json
import os
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from taskweb import rules
from taskweb.api.account_schemas import ExportDocumentSchema
from taskweb.extensions import db
from taskweb.models import Project, Role, Task, TaskPriority, TaskStatus
from taskweb.wiring import auth_service, saved_filter_service
from tests.conftest import login_tokens, truncate_all
from tests.integration.api.test_account import T0, make_project
from tests.integration.api.test_auth import assert_problem

EXPORT = "/api/v1/users/me/export"
IMPORT = "/api/v1/users/me/import"
TIMESTAMPS = ("created_at", "updated_at", "joined_at", "exported_at")


def bearer(client: FlaskClient, make_user, username: str) -> dict[str, str]:
    user = make_user(username)
    return {"Authorization": f"Bearer {login_tokens(client, user.email)['access_token']}"}


def post_csv(client: FlaskClient, headers: dict, text: str | bytes):
    return client.post(IMPORT, data=text, headers=headers, content_type="text/csv")


def counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Project)),
                db.session.scalar(select(func.count()).select_from(Task)))


def comparable(document: dict[str, Any]) -> dict[str, Any]:
    """The document without what an import makes anew: ids, timestamps, the account
    itself (and its username wherever it appears)."""
    document = copy.deepcopy(document)
    me = document.pop("user")["username"]

    def scrub(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: "me" if value.get(key) == me and key in ("username", "assignee")
                    else scrub(item) for key, item in value.items() if key not in TIMESTAMPS}
        if isinstance(value, list):
            return [scrub(item) for item in value]
        return value

    return scrub(document)


def test_export_holds_the_user_projects_members_tasks_and_filters(
        client, auth_headers, user, other_user, make_task, app) -> None:
    home = make_project(app, user, "Home", color="#112233", bob=(Role.EDITOR, T0))
    parent = make_task(user, "Paint", project_id=home, labels=["diy", "Home"],
                       priority="high", due_date="2026-12-01T10:00:00+02:00",
                       assignee_id=other_user.id, description="two coats")
    make_task(user, "Buy paint", project_id=home, parent_id=parent.id, status="completed")
    make_task(user, "Inbox thing")
    with app.app_context():
        saved_filter_service().create(user, {"name": "Urgent", "query": "priority:high"})
    response = client.get(EXPORT, headers=auth_headers)
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="taskweb-alice-')
    document = response.get_json()
    assert document["format"] == "taskweb-export" and document["version"] == 1
    assert document["user"]["username"] == "alice"
    [saved] = document["saved_filters"]
    assert (saved["name"], saved["query"]) == ("Urgent", "priority:high")
    assert "hashed_password" not in json.dumps(document)
    assert [p["name"] for p in document["projects"]] == ["Inbox", "Home"]
    home = document["projects"][1]
    assert home["color"] == "#112233"
    assert [(m["username"], m["role"]) for m in home["members"]] == [("alice", "owner"),
                                                                     ("bob", "editor")]
    inbox_task, paint, buy = document["tasks"]
    assert inbox_task["project"] == "Inbox" and inbox_task["parent_ref"] is None
    assert paint == paint | {"project": "Home", "labels": ["diy", "Home"], "priority": "high",
                             "due_date": "2026-12-01T08:00:00+00:00", "assignee": "bob",
                             "description": "two coats", "parent_ref": None,
                             "completed_at": None}
    assert buy["parent_ref"] == paint["ref"] and buy["status"] == "completed"
    assert buy["completed_at"] is not None
    # What the document says is what the OpenAPI document describes.
    assert ExportDocumentSchema().validate(document) == {}


def test_round_trip_into_a_new_account(client, auth_headers, user, make_user, make_task,
                                       app) -> None:
    work = make_project(app, user, "Work")
    make_project(app, user, "Empty", color="#abcdef")
    parent = make_task(user, "Report", project_id=work, labels=["Q4"], assignee_id=user.id)
    make_task(user, "Draft", project_id=work, parent_id=parent.id, status="completed")
    make_task(user, "Inbox, with \"quotes\"\nand lines", description="ünïcødé ✓")
    with app.app_context():
        for name, query in (("Work now", 'project:Work -status:completed'), ("b", "x")):
            saved_filter_service().create(user, {"name": name, "query": query})
    first = client.get(EXPORT, headers=auth_headers).get_json()
    other = bearer(client, make_user, "carol")
    response = client.post(IMPORT, json=first, headers=other)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"projects": 2, "tasks": 3}
    second = client.get(EXPORT, headers=other).get_json()
    assert comparable(second) == comparable(first)
    assert [f["name"] for f in second["saved_filters"]] == ["b", "Work now"]
    # Importing again leaves out the filters whose names are taken, and keeps ours.
    assert client.post(IMPORT, json=first, headers=other).status_code == 201
    assert client.get(EXPORT, headers=other).get_json()["saved_filters"] == \
        second["saved_filters"]
    # completed_at is kept as it was.
    assert [t["completed_at"] for t in second["tasks"]] == [t["completed_at"]
                                                            for t in first["tasks"]]


labels = st.lists(st.sampled_from(["a", "B", "home", "Errand", "x-1"]), max_size=3,
                  unique_by=str.lower)
task_fields = st.fixed_dictionaries({
    "title": st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")),
                     min_size=1, max_size=30).filter(str.strip).map(str.strip),
    "status": st.sampled_from([s.value for s in TaskStatus]),
    "priority": st.sampled_from([p.value for p in TaskPriority]),
    "labels": labels,
    "description": st.none() | st.text(max_size=40).filter(
        lambda text: text.strip() and not any(c in text for c in "\x00\x7f")
        and not any(ord(c) < 32 and c not in "\t\n\r" for c in text)),
    "due_date": st.none() | st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1),
    ).map(lambda moment: moment.replace(microsecond=0).isoformat() + "Z"),
    "project": st.sampled_from([None, "Home", "Work"]),
    "subtask": st.booleans(),
    "assigned": st.booleans(),
})


@settings(max_examples=int(os.environ.get("ROUND_TRIP_EXAMPLES", "15")), deadline=None,
          suppress_health_check=list(HealthCheck))
@given(tasks=st.lists(task_fields, max_size=8))
def test_export_import_export_is_the_same_but_ids_and_timestamps(
        app, migrated_database, tasks: list[dict[str, Any]]) -> None:
    truncate_all(migrated_database)  # each example starts afresh; the fixture cleans up last
    client = app.test_client()
    with app.app_context():
        for name in ("origin", "copy"):
            auth_service().register(f"{name}@example.com", name, "correct horse battery")
    origin = {"Authorization": "Bearer " + login_tokens(client, "origin@example.com")[
        "access_token"]}
    me = client.get("/api/v1/users/me", headers=origin).get_json()["id"]
    projects = {None: None, **{name: make_project(app, me, name)
                               for name in ("Home", "Work")}}
    last_top_level: dict[Any, int] = {}
    for fields in tasks:
        body = {key: fields[key] for key in ("title", "status", "priority", "labels",
                                             "description", "due_date")}
        project = fields["project"]
        if projects[project] is not None:
            body["project_id"] = projects[project]
        if fields["assigned"]:
            body["assignee_id"] = me
        if fields["subtask"] and project in last_top_level:
            body["parent_id"] = last_top_level[project]
        created = client.post("/api/v1/tasks", json=body, headers=origin)
        assert created.status_code == 201, created.get_json()
        if "parent_id" not in body:
            last_top_level[project] = created.get_json()["id"]
    first = client.get(EXPORT, headers=origin).get_json()
    target = {"Authorization": "Bearer " + login_tokens(client, "copy@example.com")[
        "access_token"]}
    imported = client.post(IMPORT, json=first, headers=target)
    assert imported.get_json() == {"projects": 2, "tasks": len(tasks)}
    assert comparable(client.get(EXPORT, headers=target).get_json()) == comparable(first)


class TestAllOrNothing:
    def test_a_bad_task_in_the_middle_of_a_document_names_its_path(
            self, app, client, auth_headers) -> None:
        before = counts(app)
        document = {"projects": [{"name": "New"}], "tasks": [
            {"title": "ok", "project": "New"}, {"title": "ok too"},
            {"title": "", "project": "New"}, {"title": "fine", "status": "done"},
            {"title": "last"}]}
        problem = assert_problem(client.post(IMPORT, json=document, headers=auth_headers), 422)
        assert set(problem["errors"]) == {"tasks[2].title", "tasks[3].status"}
        assert counts(app) == before

    def test_a_bad_row_in_the_middle_of_a_csv_names_its_line(self, app, client,
                                                             auth_headers) -> None:
        before = counts(app)
        text = ('title,status,project\n'
                'first,todo,Errands\n'
                '"second, with a\nline break",in_progress,\n'
                'third,someday,Errands\n'
                'fourth,,\n')
        problem = assert_problem(post_csv(client, auth_headers, text), 422)
        assert problem["errors"] == {"line 5.status": [
            "Must be one of: todo, in_progress, completed."]}
        assert counts(app) == before

    def test_many_bad_rows_are_reported_up_to_a_bound(self, client, auth_headers) -> None:
        text = "title,priority\n" + "x,urgent\n" * 500
        problem = assert_problem(post_csv(client, auth_headers, text), 422)
        assert len(problem["errors"]) == 50 and "line 2.priority" in problem["errors"]

    @pytest.mark.parametrize(("document", "where"), [
        ([], "body"),
        ({"tasks": {}}, "tasks"),
        ({"surprise": 1}, "surprise"),
        ({"format": "todoist"}, "format"),
        ({"version": 2}, "version"),
        ({"saved_filters": [{"name": "x"}]}, "saved_filters[0].query"),
        ({"saved_filters": [{"name": "x", "query": "due:soon"}]}, "saved_filters[0].query"),
        ({"saved_filters": [{"name": "x", "query": "a"}, {"name": "X", "query": "b"}]},
         "saved_filters[1].name"),
        ({"saved_filters": [{"name": "x", "query": "a", "id": 3}]}, "saved_filters[0].id"),
        ({"tasks": [{"title": "x", "id": 4}]}, "tasks[0].id"),
        ({"tasks": ["x"]}, "tasks[0]"),
        ({"tasks": [{"title": "x", "parent_ref": 9}]}, "tasks[0].parent_ref"),
        ({"tasks": [{"title": "x", "ref": 1}, {"title": "y", "ref": 2, "parent_ref": 1},
                    {"title": "z", "parent_ref": 2}]}, "tasks[2].parent_ref"),
        ({"tasks": [{"title": "x", "ref": 1, "project": "A"},
                    {"title": "y", "parent_ref": 1}]}, "tasks[1].parent_ref"),
        ({"tasks": [{"title": "x", "ref": 1}, {"title": "y", "ref": 1}]}, "tasks[1].ref"),
        ({"tasks": [{"title": "x", "position": "has space"}]}, "tasks[0].position"),
        ({"tasks": [{"title": "x", "labels": ["a b"]}]}, "tasks[0].labels"),
        ({"projects": [{"name": "A"}, {"name": "a"}]}, "projects[1].name"),
        ({"projects": [{"name": "A", "color": "red"}]}, "projects[0].color"),
        ({"projects": [{"name": "A", "owner_id": 3}]}, "projects[0].owner_id"),
        ({"projects": [{"name": "A", "is_inbox": True}, {"name": "B", "is_inbox": True}]},
         "projects[1].is_inbox"),
        ({"tasks": [{"title": "x", "project": "y" * 101}]}, "tasks[0].project"),
    ])
    def test_each_fault_is_named_and_nothing_is_written(self, app, client, auth_headers,
                                                        document, where) -> None:
        before = counts(app)
        problem = assert_problem(client.post(IMPORT, json=document, headers=auth_headers), 422)
        assert where in problem["errors"], problem["errors"]
        assert counts(app) == before


class TestSizes:
    def test_five_megabytes_of_garbage_is_refused_and_writes_nothing(self, app, client,
                                                                     auth_headers) -> None:
        before = counts(app)
        garbage = os.urandom(5 * 1024 * 1024)
        for content_type, status in (("text/csv", 413), ("application/json", 413),
                                     ("application/octet-stream", 415)):
            response = client.post(IMPORT, data=garbage, headers=auth_headers,
                                   content_type=content_type)
            assert_problem(response, status)
        assert counts(app) == before

    def test_garbage_under_the_size_limit_is_a_4xx(self, app, client, auth_headers) -> None:
        before = counts(app)
        garbage = os.urandom(200_000)
        assert_problem(post_csv(client, auth_headers, garbage), 400)
        assert_problem(client.post(IMPORT, data=garbage, headers=auth_headers,
                                   content_type="application/json"), 400)
        printable = bytes(range(32, 127)) * 2000
        assert_problem(post_csv(client, auth_headers, printable), 422)
        assert counts(app) == before

    def test_more_tasks_than_one_import_takes_is_422(self, app, client, auth_headers) -> None:
        text = "title\n" + "t\n" * 5_001
        problem = assert_problem(post_csv(client, auth_headers, text), 422)
        assert problem["errors"] == {"line 5002": [
            "At most 5000 tasks in one import: split it into several."]}
        tasks = {"tasks": [{"title": "t"}] * 5_001}
        problem = assert_problem(client.post(IMPORT, json=tasks, headers=auth_headers), 422)
        assert list(problem["errors"]) == ["tasks"]
        assert counts(app)[1] == 0


class TestCsv:
    def test_quotes_line_breaks_unicode_and_defaults(self, app, client, auth_headers) -> None:
        text = ('\ufefftitle,description,status,priority,due_date,project,labels\r\n'
                '"Say ""hi""","line one\nline two, with a comma",completed,high,'
                '2026-12-01T09:00:00+01:00,Zuhause 🏠,Küche errand\r\n'
                'Ünïcode ✓,,,,,,\r\n'
                '\r\n'
                'Same project,,,,,zuhause 🏠,\r\n')
        response = post_csv(client, auth_headers, text.encode("utf-8"))
        assert response.status_code == 201, response.get_json()
        assert response.get_json() == {"projects": 1, "tasks": 3}
        document = client.get(EXPORT, headers=auth_headers).get_json()
        assert [p["name"] for p in document["projects"]] == ["Inbox", "Zuhause 🏠"]
        by_title = {t["title"]: t for t in document["tasks"]}
        said = by_title['Say "hi"']
        assert said["description"] == "line one\nline two, with a comma"
        assert said["status"] == "completed" and said["completed_at"] is not None
        assert said["priority"] == "high" and said["labels"] == ["Küche", "errand"]
        assert said["due_date"] == "2026-12-01T08:00:00+00:00"
        plain = by_title["Ünïcode ✓"]
        assert plain == plain | {"project": "Inbox", "status": "todo", "priority": "medium",
                                 "description": None, "due_date": None, "labels": []}
        assert by_title["Same project"]["project"] == "Zuhause 🏠"

    def test_columns_in_any_order_and_only_title_needed(self, client, auth_headers) -> None:
        response = post_csv(client, auth_headers, "Labels,TITLE\nx y,A task\n")
        assert response.status_code == 201 and response.get_json()["tasks"] == 1

    @pytest.mark.parametrize("header", ["title,notes", "title,title", "description",
                                        "title,id", "title,owner_id"])
    def test_unknown_missing_or_repeated_columns_are_422_on_line_1(self, app, client,
                                                                   auth_headers,
                                                                   header) -> None:
        problem = assert_problem(post_csv(client, auth_headers, f"{header}\nx,y\n"), 422)
        assert list(problem["errors"]) == ["line 1"]
        assert counts(app)[1] == 0

    def test_a_row_with_more_cells_than_columns_is_named(self, client, auth_headers) -> None:
        problem = assert_problem(post_csv(client, auth_headers, "title\nok\na,b\n"), 422)
        assert list(problem["errors"]) == ["line 3"]

    @pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
    def test_an_empty_csv_is_422(self, client, auth_headers, text) -> None:
        problem = assert_problem(post_csv(client, auth_headers, text), 422)
        assert list(problem["errors"]) == ["line 1"]

    def test_a_header_alone_imports_nothing(self, client, auth_headers) -> None:
        response = post_csv(client, auth_headers, "title,project\n")
        assert response.status_code == 201
        assert response.get_json() == {"projects": 0, "tasks": 0}

    def test_a_charset_other_than_utf8_is_415(self, client, auth_headers) -> None:
        response = client.post(IMPORT, data="title\nx\n".encode("latin-1"),
                               headers=auth_headers, content_type="text/csv; charset=latin-1")
        assert_problem(response, 415)

    def test_other_media_types_are_415(self, client, auth_headers) -> None:
        for content_type in ("text/plain", "application/x-www-form-urlencoded"):
            response = client.post(IMPORT, data="title\nx\n", headers=auth_headers,
                                   content_type=content_type)
            assert_problem(response, 415)

    def test_control_characters_and_nul_are_refused_not_crashed_on(self, client,
                                                                  auth_headers) -> None:
        problem = assert_problem(post_csv(client, auth_headers, "title\na\x00b\nc\x07d\n"), 422)
        assert set(problem["errors"]) == {"line 2.title", "line 3.title"}


class TestMerging:
    def test_a_name_we_own_merges_into_our_project(self, app, client, user,
                                                   auth_headers) -> None:
        ours = make_project(app, user, "Home", color="#000000")
        document = {"projects": [{"name": "HOME", "color": "#ffffff", "archived": True}],
                    "tasks": [{"title": "into ours", "project": "HOME"},
                              {"title": "into the inbox", "project": "inbox"}]}
        response = client.post(IMPORT, json=document, headers=auth_headers)
        assert response.get_json() == {"projects": 0, "tasks": 2}
        with app.app_context():
            project = db.session.get(Project, ours)
            assert project.color == "#000000" and project.archived is False
            assert db.session.scalar(select(func.count()).select_from(Task)
                                     .where(Task.project_id == ours)) == 1

    def test_importing_twice_creates_everything_twice_but_projects(self, client,
                                                                   auth_headers) -> None:
        text = "title,project\na,P\nb,\n"
        assert post_csv(client, auth_headers, text).get_json() == {"projects": 1, "tasks": 2}
        assert post_csv(client, auth_headers, text).get_json() == {"projects": 0, "tasks": 2}
        assert client.get("/api/v1/tasks", headers=auth_headers).get_json()["total"] == 4

    def test_assignees_other_than_ourselves_need_membership(self, client, auth_headers,
                                                            other_user) -> None:
        document = {"user": {"username": "someone-else"}, "tasks": [
            {"title": "mine", "assignee": "someone-else"},
            {"title": "bob's", "assignee": "bob"},
            {"title": "nobody's", "assignee": "nobody"}]}
        assert client.post(IMPORT, json=document, headers=auth_headers).status_code == 201
        tasks = client.get("/api/v1/tasks?sort=title", headers=auth_headers).get_json()["items"]
        me = client.get("/api/v1/users/me", headers=auth_headers).get_json()["id"]
        assert [(t["title"], t["assignee_id"]) for t in tasks] == [
            ("bob's", None), ("mine", me), ("nobody's", None)]


def test_titles_at_the_limit_import_like_they_create(client, auth_headers) -> None:
    text = "title\n" + "x" * rules.TITLE_MAX + "\n" + "y" * (rules.TITLE_MAX + 1) + "\n"
    problem = assert_problem(post_csv(client, auth_headers, text), 422)
    assert problem["errors"] == {"line 3.title": [f"Must be at most {rules.TITLE_MAX} characters."]}

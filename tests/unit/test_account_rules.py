"""The account's pure rules and its import on fakes: who inherits a project, the name it
keeps, reading CSV and documents (places named, nothing half-read), the export's order,
and the import use case without a database."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from taskweb import rules
from taskweb.errors import ValidationFailed
from taskweb.models import Membership, Role, Task, TaskStatus, User
from taskweb.security import PasswordHasher
from taskweb.services.accounts import AccountService, free_name, successor
from taskweb.services.portability import MAX_REPORTED_ROWS, read_csv, read_document
from taskweb.services.portability.export import canonical_order
from tests.unit.fakes import (
    FakeAccountRepository,
    FakeUnitOfWork,
    fake_auth_service,
)

T0 = datetime(2026, 1, 1, tzinfo=timezone.utc)


def member(user_id: int, role: Role, days: int) -> Membership:
    return Membership(project_id=1, user_id=user_id, role=role,
                      joined_at=T0 + timedelta(days=days))


def errors_of(read, value) -> dict[str, list[str]]:
    with pytest.raises(ValidationFailed) as caught:
        read(value)
    return caught.value.errors


class TestSuccession:
    def test_the_longest_standing_editor_wins_over_older_viewers(self) -> None:
        members = [member(2, Role.VIEWER, 0), member(3, Role.EDITOR, 5),
                   member(4, Role.EDITOR, 3)]
        assert successor(members).user_id == 4

    def test_without_editors_the_longest_standing_member(self) -> None:
        assert successor([member(5, Role.VIEWER, 2), member(6, Role.VIEWER, 1)]).user_id == 6

    def test_ties_go_to_the_lower_user_id_and_nobody_left_is_none(self) -> None:
        assert successor([member(9, Role.EDITOR, 1), member(8, Role.EDITOR, 1)]).user_id == 8
        assert successor([]) is None

    def test_a_name_the_heir_owns_gets_a_suffix_and_stays_within_bounds(self) -> None:
        assert free_name("Home", "from ann", {"work"}) == "Home"
        assert free_name("Home", "from ann", {"home"}) == "Home (from ann)"
        assert free_name("Home", "from ann", {"home", "home (from ann)"}) == \
            "Home (from ann 2)"
        long = "x" * rules.PROJECT_NAME_MAX
        renamed = free_name(long, "from ann", {long})
        assert len(renamed) == rules.PROJECT_NAME_MAX and renamed.endswith(" (from ann)")


class TestReadCsv:
    def test_records_spanning_lines_are_named_by_their_first_line(self) -> None:
        text = 'title,status\n"one\ntwo\nthree",todo\n\nbad,later\n'
        assert errors_of(read_csv, text) == {
            "line 6.status": ["Must be one of: todo, in_progress, completed."]}

    def test_cells_become_the_fields_a_task_is_created_with(self) -> None:
        plan = read_csv("\ufeffTitle, Project ,labels,priority\n  Call  ,Home,a b A,high\n"
                        "x,,,\n")
        first, second = plan.tasks
        assert first.fields["title"] == "Call" and first.fields["labels"] == ["a", "b"]
        assert first.project == "Home" and first.where == "line 2"
        assert second.project is None and second.fields == {"title": "x", "labels": []}
        assert [p.name for p in plan.projects] == ["Home"]

    def test_the_inbox_by_name_is_the_inbox_and_names_are_case_insensitive(self) -> None:
        plan = read_csv("title,project\na,INBOX\nb,home\nc,Home\n")
        assert [t.project for t in plan.tasks] == [None, "home", "Home"]
        assert [p.name for p in plan.projects] == ["home"]

    def test_a_bad_header_stops_before_the_rows(self) -> None:
        assert list(errors_of(read_csv, "title,colour\n,\n")) == ["line 1"]

    def test_unreadable_csv_is_named_where_it_breaks(self) -> None:
        errors = errors_of(read_csv, 'title\nok\n"unterminated\n')
        assert list(errors) == ["line 3"]

    def test_faults_are_listed_for_a_bounded_number_of_rows(self) -> None:
        errors = errors_of(read_csv, "title,status\n" + ",\n" * 10 + "x,no\n" * 200)
        assert len(errors) == MAX_REPORTED_ROWS


class TestReadDocument:
    def test_paths_name_every_fault(self) -> None:
        document = {"projects": [{"name": " "}], "tasks": [
            {"title": "ok"}, {"title": 5, "due_date": "soon", "assignee": 3}]}
        assert set(errors_of(read_document, document)) == {
            "projects[0].name", "tasks[1].title", "tasks[1].due_date", "tasks[1].assignee"}

    @pytest.mark.parametrize(("document", "expected"), [
        ({"tasks": ["x", {}]}, {"tasks[0]": ["Must be an object."],
                                "tasks[1].title": ["Required."]}),
        ({"projects": [3, {}]}, {"projects[0]": ["Must be an object."],
                                 "projects[1].name": ["Required."]}),
        ({"saved_filters": {}, "extra": 1}, {
            "saved_filters": ["Must be a list."],
            "extra": ["Unknown field."]}),
    ])
    def test_one_message_per_fault(self, document, expected) -> None:
        assert errors_of(read_document, document) == expected

    def test_parents_are_linked_by_ref_in_any_order(self) -> None:
        plan = read_document({"tasks": [{"title": "child", "parent_ref": 7},
                                        {"title": "parent", "ref": 7}]})
        assert plan.tasks[0].parent == 1 and plan.tasks[1].parent is None

    def test_a_subtask_cannot_be_a_parent_nor_its_own(self) -> None:
        errors = errors_of(read_document, {"tasks": [
            {"title": "self", "ref": 1, "parent_ref": 1}]})
        assert errors == {"tasks[0].parent_ref": [
            "Subtasks are one level deep: this task is a subtask."]}

    def test_the_documents_inbox_and_projects_named_only_by_tasks(self) -> None:
        plan = read_document({
            "user": {"username": "ann"},
            "projects": [{"name": "Eingang", "is_inbox": True, "color": "#123456"},
                         {"name": "Work", "color": "#ABCDEF", "archived": True}],
            "tasks": [{"title": "a", "project": "eingang"}, {"title": "b", "project": "New"},
                      {"title": "c", "project": "work"}],
        })
        assert [t.project for t in plan.tasks] == [None, "New", "work"]
        assert [(p.name, p.color, p.archived) for p in plan.projects] == [
            ("Work", "#abcdef", True), ("New", None, False)]
        assert plan.own_username == "ann"

    def test_timestamps_and_members_are_information_only(self) -> None:
        plan = read_document({"exported_at": "whenever", "projects": [
            {"name": "P", "members": "anything", "created_at": None}],
            "tasks": [{"title": "t", "created_at": 1, "updated_at": "x"}]})
        assert len(plan.tasks) == 1 and plan.projects[0].name == "P"

    def test_a_completed_task_keeps_its_completion_time(self) -> None:
        plan = read_document({"tasks": [{"title": "t", "status": "completed",
                                         "completed_at": "2026-02-03T04:05:06+01:00"}]})
        assert plan.tasks[0].status is TaskStatus.COMPLETED
        assert plan.tasks[0].completed_at == datetime(2026, 2, 3, 3, 5, 6, tzinfo=timezone.utc)


def test_the_export_order_is_parents_each_followed_by_their_subtasks() -> None:
    def task(task_id: int, position: str, parent_id: int | None = None) -> Task:
        return Task(id=task_id, position=position, parent_id=parent_id, project_id=1)

    tasks = [task(1, "b"), task(2, "a"), task(3, "c", parent_id=1), task(4, "a", parent_id=1),
             task(5, "a", parent_id=2), task(6, "a")]
    assert [t.id for t in canonical_order(tasks)] == [2, 5, 6, 1, 4, 3]


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def ann(uow) -> User:
    auth = fake_auth_service(uow)
    auth.register("bob@example.com", "bob", "correct horse battery")
    return auth.register("ann@example.com", "ann", "correct horse battery")


@pytest.fixture
def accounts(uow) -> AccountService:
    return AccountService(uow, FakeAccountRepository(uow), PasswordHasher(rounds=4), uow.clock)


class TestImportOnFakes:
    def test_creates_projects_tasks_and_subtasks_in_one_commit(self, uow, ann,
                                                               accounts) -> None:
        commits = uow.commits
        result = accounts.import_document(ann, {"tasks": [
            {"title": "parent", "ref": 1, "project": "Home", "labels": ["x"],
             "status": "completed", "position": "0000000000000001"},
            {"title": "child", "parent_ref": 1, "project": "home", "assignee": "ann"},
            {"title": "inboxed", "assignee": "bob"}]})
        assert (result.projects, result.tasks) == (1, 3)
        assert uow.commits == commits + 1
        by_title = {t.title: t for t in uow.tasks.rows.values()}
        parent, child, inboxed = by_title["parent"], by_title["child"], by_title["inboxed"]
        home = next(p for p in uow.projects.rows.values() if p.name == "Home")
        assert parent.project_id == child.project_id == home.id
        assert child.parent_id == parent.id and child.assignee_id == ann.id
        assert parent.completed_at == uow.clock() and parent.position == "0000000000000001"
        assert inboxed.project_id == uow.projects.inbox_of(ann.id).id
        assert inboxed.assignee_id is None  # bob is not a member of ann's Inbox
        assert [label.name for label in parent.labels] == ["x"]

    def test_a_fault_anywhere_writes_nothing(self, uow, ann, accounts) -> None:
        projects, tasks = len(uow.projects.rows), len(uow.tasks.rows)
        with pytest.raises(ValidationFailed):
            accounts.import_csv(ann, "title,project\nfine,New\n,New\n")
        assert (len(uow.projects.rows), len(uow.tasks.rows)) == (projects, tasks)

    def test_export_of_what_was_imported(self, uow, ann, accounts) -> None:
        accounts.import_csv(ann, "title,project,labels\na,Home,x\nb,,\n")
        document = accounts.export(ann)
        assert [t["title"] for t in document["tasks"]] == ["b", "a"]
        assert [p["name"] for p in document["projects"]] == ["Inbox", "Home"]
        assert document["tasks"][1]["labels"] == ["x"]
        assert document["projects"][0]["members"][0]["username"] == "ann"

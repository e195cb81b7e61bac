"""Task rules with projects, on fakes: where a task goes, who may write it, labels,
subtasks one level deep, assignees, moves, completed_at."""

from __future__ import annotations

import pytest

from taskweb.errors import NotFound, PermissionDenied, ValidationFailed
from taskweb.models import Project, Role, TaskStatus, User
from taskweb.services.tasks import TaskService
from tests.unit.fakes import (
    FakeUnitOfWork,
    fake_auth_service,
)

PASSWORD = "correct horse battery"


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def people(uow) -> dict[str, User]:
    auth = fake_auth_service(uow)
    return {name: auth.register(f"{name}@example.com", name, PASSWORD)
            for name in ("ann", "bob", "cat")}


@pytest.fixture
def tasks(uow) -> TaskService:
    return TaskService(uow, uow.clock)


@pytest.fixture
def shared(uow, people) -> Project:
    """Ann's project "Home": Bob edits, Cat views."""
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["bob"].id)] = Role.EDITOR
    uow.projects.members[(project.id, people["cat"].id)] = Role.VIEWER
    return project


def test_a_task_goes_to_the_inbox_unless_told(tasks, people, uow) -> None:
    task = tasks.create(people["ann"], {"title": "x"})
    assert task.project_id == uow.projects.inbox_of(people["ann"].id).id
    assert task.caller_role is Role.OWNER and task.position


def test_only_members_with_edit_rights_add_to_a_project(tasks, people, shared) -> None:
    assert tasks.create(people["bob"], {"title": "x", "project_id": shared.id})
    with pytest.raises(PermissionDenied):
        tasks.create(people["cat"], {"title": "x", "project_id": shared.id})
    inbox_of_ann = tasks.create(people["ann"], {"title": "mine"}).project_id
    with pytest.raises(NotFound) as caught:
        tasks.create(people["bob"], {"title": "x", "project_id": inbox_of_ann})
    assert "project_id" in caught.value.errors


def test_a_viewer_reads_but_cannot_change(tasks, people, shared) -> None:
    task = tasks.create(people["ann"], {"title": "x", "project_id": shared.id})
    assert tasks.get(people["cat"], task.id).title == "x"
    for change in (lambda: tasks.update(people["cat"], task.id, {"title": "y"}),
                   lambda: tasks.delete(people["cat"], task.id)):
        with pytest.raises(PermissionDenied):
            change()
    with pytest.raises(NotFound):
        tasks.get(people["ann"], tasks.create(people["bob"], {"title": "bob's"}).id)


def test_labels_are_deduplicated_case_insensitively_and_limited(tasks, people) -> None:
    task = tasks.create(people["ann"], {"title": "x", "labels": ["Home", "home", "errand"]})
    assert task.label_names == ["Home", "errand"]
    for bad in (["two words"], ["a,b"], [""], ["x" * 51], [f"l{n}" for n in range(21)], "home"):
        with pytest.raises(ValidationFailed) as caught:
            tasks.create(people["ann"], {"title": "x", "labels": bad})
        assert "labels" in caught.value.errors


def test_subtasks_are_one_level_deep_and_in_the_parents_project(tasks, people,
                                                                 shared) -> None:
    ann = people["ann"]
    parent = tasks.create(ann, {"title": "parent"})
    child = tasks.create(ann, {"title": "child", "parent_id": parent.id})
    assert tasks.get(ann, parent.id).subtasks == {"total": 1, "completed": 0}
    for fields in ({"parent_id": child.id}, {"parent_id": parent.id, "project_id": shared.id},
                   {"parent_id": 999}):
        with pytest.raises(ValidationFailed) as caught:
            tasks.create(ann, {"title": "x", **fields})
        assert "parent_id" in caught.value.errors
    with pytest.raises(ValidationFailed):
        tasks.update(ann, parent.id, {"parent_id": tasks.create(ann, {"title": "p"}).id})


def test_the_assignee_must_be_a_member(tasks, people, shared) -> None:
    task = tasks.create(people["ann"], {"title": "x", "project_id": shared.id,
                                        "assignee_id": people["bob"].id})
    assert task.assignee_id == people["bob"].id
    with pytest.raises(ValidationFailed) as caught:
        tasks.create(people["ann"], {"title": "x", "assignee_id": people["bob"].id})
    assert "assignee_id" in caught.value.errors


def test_a_move_takes_the_subtasks_and_drops_a_non_member_assignee(tasks, people, shared,
                                                                  uow) -> None:
    ann = people["ann"]
    parent = tasks.create(ann, {"title": "p", "project_id": shared.id,
                                "assignee_id": people["bob"].id})
    child = tasks.create(ann, {"title": "c", "project_id": shared.id, "parent_id": parent.id,
                               "assignee_id": people["bob"].id})
    inbox = uow.projects.inbox_of(ann.id).id
    moved = tasks.update(ann, parent.id, {"project_id": inbox})
    assert (moved.project_id, moved.assignee_id) == (inbox, None)
    assert (child.project_id, child.assignee_id) == (inbox, None)
    with pytest.raises(NotFound):  # no longer in a project Cat belongs to
        tasks.get(people["cat"], parent.id)
    stays = tasks.create(ann, {"title": "s", "project_id": shared.id})
    with pytest.raises(PermissionDenied):  # a viewer moves nothing
        tasks.update(people["cat"], stays.id, {"project_id": inbox})


def test_completed_at_follows_the_status(tasks, people, uow) -> None:
    task = tasks.create(people["ann"], {"title": "x", "status": "completed"})
    assert task.completed_at == uow.clock()
    tasks.update(people["ann"], task.id, {"status": TaskStatus.TODO})
    assert task.completed_at is None

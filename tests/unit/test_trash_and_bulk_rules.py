"""The trash and bulk actions, on the fakes: what comes back on restore, who may do
what, and that a bulk action changes every task named or none."""

from __future__ import annotations

import pytest

from taskweb.errors import NotFound, PermissionDenied, ValidationFailed
from taskweb.models import Project, Role, TaskPriority, TaskStatus, User
from taskweb.services.bulk import BulkService
from taskweb.services.maintenance import purge_expired_records
from taskweb.services.tasks import TaskService
from taskweb.services.trash import TrashService
from tests.unit.fakes import (
    FakeUnitOfWork,
    fake_auth_service,
)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def people(uow) -> dict[str, User]:
    auth = fake_auth_service(uow)
    return {name: auth.register(f"{name}@example.com", name, "correct horse battery")
            for name in ("ann", "bob", "cat", "dan")}


@pytest.fixture
def shared(uow, people) -> Project:
    """Ann's project "Home": Bob edits, Cat views; Dan is not a member."""
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["bob"].id)] = Role.EDITOR
    uow.projects.members[(project.id, people["cat"].id)] = Role.VIEWER
    return project


@pytest.fixture
def tasks(uow) -> TaskService:
    return TaskService(uow, uow.clock)


@pytest.fixture
def trash(uow) -> TrashService:
    return TrashService(uow, uow.clock)


@pytest.fixture
def bulk(uow) -> BulkService:
    return BulkService(uow, uow.clock)


def test_delete_moves_the_task_and_its_subtasks_to_the_trash(tasks, trash, people) -> None:
    ann = people["ann"]
    parent = tasks.create(ann, {"title": "parent", "labels": ["home"]})
    step = tasks.create(ann, {"title": "step", "parent_id": parent.id})
    tasks.delete(ann, parent.id)
    for task_id in (parent.id, step.id):
        with pytest.raises(NotFound):
            tasks.get(ann, task_id)
    page = trash.list(ann, 20, 0)
    assert [t.id for t in page.items] == [parent.id] and page.total == 1
    restored = trash.restore(ann, parent.id)
    assert restored.id == parent.id and restored.label_names == ["home"]
    assert restored.subtasks == {"total": 1, "completed": 0}
    assert tasks.get(ann, step.id).parent_id == parent.id
    assert trash.list(ann, 20, 0).total == 0


def test_a_subtask_trashed_alone_stays_when_its_parent_comes_back(tasks, trash, people,
                                                                  uow) -> None:
    ann = people["ann"]
    parent = tasks.create(ann, {"title": "parent"})
    alone = tasks.create(ann, {"title": "alone", "parent_id": parent.id})
    tasks.delete(ann, alone.id)
    uow.clock.advance(minutes=1)
    tasks.delete(ann, parent.id)
    assert {t.id for t in trash.list(ann, 20, 0).items} == {parent.id, alone.id}
    trash.restore(ann, parent.id)
    with pytest.raises(NotFound):
        tasks.get(ann, alone.id)


def test_restoring_a_subtask_brings_its_parent_back(tasks, trash, people) -> None:
    ann = people["ann"]
    parent = tasks.create(ann, {"title": "parent"})
    step = tasks.create(ann, {"title": "step", "parent_id": parent.id})
    tasks.delete(ann, parent.id)
    assert trash.restore(ann, step.id).id == step.id
    assert tasks.get(ann, parent.id).title == "parent"


def test_the_trash_is_the_editors_business(tasks, trash, people, shared) -> None:
    task = tasks.create(people["bob"], {"title": "x", "project_id": shared.id})
    tasks.delete(people["bob"], task.id)
    assert trash.list(people["ann"], 20, 0).total == 1
    assert trash.list(people["cat"], 20, 0).total == 0
    for act in (trash.restore, trash.delete_forever):
        with pytest.raises(PermissionDenied):
            act(people["cat"], task.id)
        with pytest.raises(NotFound):
            act(people["dan"], task.id)
    with pytest.raises(NotFound):  # not in the trash: nothing to restore
        trash.restore(people["ann"], tasks.create(people["ann"], {"title": "live"}).id)
    trash.delete_forever(people["ann"], task.id)
    with pytest.raises(NotFound):
        trash.restore(people["ann"], task.id)


def test_empty_trash_only_touches_projects_the_caller_edits(tasks, trash, people,
                                                            shared) -> None:
    mine = tasks.create(people["cat"], {"title": "cat's own"})
    theirs = tasks.create(people["ann"], {"title": "home", "project_id": shared.id})
    tasks.delete(people["cat"], mine.id)
    tasks.delete(people["ann"], theirs.id)
    assert trash.empty(people["cat"]) == 1
    assert trash.list(people["ann"], 20, 0).total == 1


def test_maintenance_purges_trash_older_than_30_days(tasks, trash, people, uow) -> None:
    ann = people["ann"]
    old = tasks.create(ann, {"title": "old"})
    tasks.delete(ann, old.id)
    uow.clock.advance(days=29)
    recent = tasks.create(ann, {"title": "recent"})
    tasks.delete(ann, recent.id)
    uow.clock.advance(days=1, seconds=1)
    purge_expired_records(uow, uow.clock)
    assert [t.id for t in trash.list(ann, 20, 0).items] == [recent.id]


def test_bulk_changes_every_task_named(bulk, tasks, people) -> None:
    ann = people["ann"]
    ids = [tasks.create(ann, {"title": f"t{n}"}).id for n in range(3)]
    done = bulk.apply(ann, {"ids": ids, "action": "complete"})
    assert [t.id for t in done] == ids
    assert all(t.status is TaskStatus.COMPLETED and t.completed_at for t in done)
    high = bulk.apply(ann, {"ids": ids, "action": "set_priority", "value": "high"})
    assert {t.priority for t in high} == {TaskPriority.HIGH}


@pytest.mark.parametrize(("who", "error"), [("cat", PermissionDenied), ("dan", NotFound)])
def test_bulk_is_all_or_nothing_and_names_the_ids_at_fault(bulk, tasks, people, shared,
                                                           uow, who, error) -> None:
    ann = people["ann"]
    own = tasks.create(people[who], {"title": "own"}).id
    home = tasks.create(ann, {"title": "home", "project_id": shared.id}).id
    with pytest.raises(error) as caught:
        bulk.apply(people[who], {"ids": [own, home], "action": "complete"})
    assert caught.value.errors["ids"] == [str(home)]
    assert uow.bulk.writes == 0
    assert tasks.get(people[who], own).status is TaskStatus.TODO


def test_bulk_refuses_a_value_that_does_not_fit_every_task(bulk, tasks, people, shared,
                                                           uow) -> None:
    ann = people["ann"]
    inbox_task = tasks.create(ann, {"title": "inbox"}).id
    home_task = tasks.create(ann, {"title": "home", "project_id": shared.id}).id
    with pytest.raises(ValidationFailed) as caught:
        bulk.apply(ann, {"ids": [inbox_task, home_task], "action": "assign",
                         "value": people["bob"].id})
    assert caught.value.errors["ids"] == [str(inbox_task)] and "value" in caught.value.errors
    full = tasks.create(ann, {"title": "full", "labels": [f"l{n}" for n in range(20)]}).id
    with pytest.raises(ValidationFailed) as caught:
        bulk.apply(ann, {"ids": [inbox_task, full], "action": "add_labels",
                         "value": ["new"]})
    assert caught.value.errors["ids"] == [str(full)]
    assert uow.bulk.writes == 0


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "complete"}, "ids"),
    ({"ids": [], "action": "complete"}, "ids"),
    ({"ids": list(range(1, 102)), "action": "complete"}, "ids"),
    ({"ids": [1, "2"], "action": "complete"}, "ids"),
    ({"ids": [1, True], "action": "complete"}, "ids"),
    ({"ids": [1]}, "action"),
    ({"ids": [1], "action": "explode"}, "action"),
    ({"ids": [1], "action": "move"}, "value"),
    ({"ids": [1], "action": "complete", "value": 3}, "value"),
    ({"ids": [1], "action": "set_priority", "value": "urgent"}, "value"),
    ({"ids": [1], "action": "set_due_date", "value": "soon"}, "value"),
    ({"ids": [1], "action": "add_labels", "value": "a"}, "value"),
    ({"ids": [1], "action": "add_labels", "value": []}, "value"),
    ({"ids": [1], "action": "remove_labels", "value": ["two words"]}, "value"),
    ({"ids": [1], "action": "assign", "value": "bob"}, "value"),
    ({"ids": [1], "action": "complete", "extra": 1}, "extra"),
])
def test_bulk_bad_input_names_the_field(bulk, people, body, field) -> None:
    with pytest.raises(ValidationFailed) as caught:
        bulk.apply(people["ann"], body)
    assert field in caught.value.errors


def test_bulk_move_takes_subtasks_and_refuses_a_subtask_alone(bulk, tasks, people, shared,
                                                              uow) -> None:
    ann = people["ann"]
    parent = tasks.create(ann, {"title": "parent"})
    step = tasks.create(ann, {"title": "step", "parent_id": parent.id})
    with pytest.raises(ValidationFailed) as caught:
        bulk.apply(ann, {"ids": [step.id], "action": "move", "value": shared.id})
    assert caught.value.errors["ids"] == [str(step.id)]
    moved = bulk.apply(ann, {"ids": [parent.id], "action": "move", "value": shared.id})
    assert moved[0].project_id == shared.id
    assert tasks.get(ann, step.id).project_id == shared.id
    with pytest.raises(PermissionDenied) as refused:
        bulk.apply(people["cat"], {"ids": [tasks.create(people["cat"], {"title": "c"}).id],
                                   "action": "move", "value": shared.id})
    assert "value" in refused.value.errors


def test_bulk_delete_goes_to_the_trash_and_labels_change_in_place(bulk, tasks, trash,
                                                                  people) -> None:
    ann = people["ann"]
    ids = [tasks.create(ann, {"title": f"t{n}", "labels": ["Old"]}).id for n in range(2)]
    added = bulk.apply(ann, {"ids": ids, "action": "add_labels", "value": ["new", "old"]})
    assert [t.label_names for t in added] == [["Old", "new"]] * 2
    removed = bulk.apply(ann, {"ids": ids, "action": "remove_labels", "value": ["OLD"]})
    assert [t.label_names for t in removed] == [["new"]] * 2
    gone = bulk.apply(ann, {"ids": ids, "action": "delete"})
    assert sorted(t.id for t in gone) == sorted(ids) and all(t.deleted_at for t in gone)
    assert trash.list(ann, 20, 0).total == 2

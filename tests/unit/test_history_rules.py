"""Completing a repeating task on every path, and the history each write records, on the
fakes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from taskweb.errors import NotFound
from taskweb.models import Project, Role, TaskEventKind, TaskStatus, User
from taskweb.services.bulk import BulkService
from taskweb.services.history import HistoryService
from taskweb.services.tasks import TaskService
from taskweb.services.trash import TrashService
from tests.unit.fakes import (
    FakeUnitOfWork,
    fake_auth_service,
)

DUE = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)  # 9:00 in Berlin
NEXT_DUE = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
C, K = TaskEventKind.CHANGED, TaskEventKind.COMPLETED


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def people(uow) -> dict[str, User]:
    auth = fake_auth_service(uow)
    people = {name: auth.register(f"{name}@example.com", name, "correct horse battery")
              for name in ("ann", "cat", "dan")}
    people["ann"].time_zone = "Europe/Berlin"
    return people


@pytest.fixture
def home(uow, people) -> Project:
    """Ann's project; Cat views it, Dan is not a member."""
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["cat"].id)] = Role.VIEWER
    return project


@pytest.fixture
def tasks(uow) -> TaskService:
    return TaskService(uow, uow.clock)


def daily(tasks, people, **more):
    return tasks.create(people["ann"], {"title": "Water plants", "recurrence": "FREQ=DAILY",
                                        "due_date": DUE, **more})


def assert_advanced(task) -> None:
    assert (task.status, task.due_date, task.completed_at) == (TaskStatus.TODO, NEXT_DUE, None)


def test_completing_by_update_advances_and_records_the_completion(uow, tasks, people) -> None:
    task = daily(tasks, people)
    tasks.update(people["ann"], task.id, {"status": "completed"})
    assert_advanced(task)
    assert uow.history.of(task.id) == [
        (TaskEventKind.CREATED, {}),
        (K, {"due_date": ["2026-11-26T08:00:00+00:00", "2026-11-27T08:00:00+00:00"]}),
    ]


def test_the_rule_runs_on_the_callers_wall_clock(uow, tasks, people) -> None:
    march = datetime(2026, 3, 28, 8, tzinfo=UTC)  # 9:00 CET, the day before the change
    task = tasks.create(people["ann"], {"title": "T", "recurrence": "FREQ=DAILY",
                                        "due_date": march})
    tasks.set_completed(people["ann"], task.id, True)
    assert task.due_date == datetime(2026, 3, 29, 7, tzinfo=UTC)  # 9:00 CEST


def test_the_last_occurrence_completes_the_task(uow, tasks, people) -> None:
    task = daily(tasks, people, recurrence="FREQ=DAILY;COUNT=2")
    tasks.set_completed(people["ann"], task.id, True)
    assert task.recurrence == "FREQ=DAILY;COUNT=1"
    tasks.set_completed(people["ann"], task.id, True)
    assert (task.status, task.due_date, task.completed_at) == (
        TaskStatus.COMPLETED, NEXT_DUE, uow.clock())
    assert [kind for kind, _ in uow.history.of(task.id)] == [TaskEventKind.CREATED, K, K]


def test_bulk_complete_advances_repeating_tasks_with_one_write_each(uow, tasks,
                                                                     people) -> None:
    repeating = [daily(tasks, people) for _ in range(3)]
    plain = tasks.create(people["ann"], {"title": "Once"})
    writes, inserts = uow.bulk.writes, uow.history.inserts
    BulkService(uow, uow.clock).apply(people["ann"], {
        "ids": [task.id for task in [*repeating, plain]], "action": "complete"})
    for task in repeating:
        assert_advanced(task)
    assert plain.status is TaskStatus.COMPLETED
    assert uow.history.of(plain.id)[-1] == (K, {"status": ["todo", "completed"]})
    assert uow.history.of(repeating[0].id)[-1][0] is K
    assert (uow.bulk.writes - writes, uow.history.inserts - inserts) == (2, 1)


def test_changes_name_each_field_with_old_and_new(uow, tasks, people) -> None:
    task = tasks.create(people["ann"], {"title": "Old", "labels": ["a"]})
    tasks.update(people["ann"], task.id, {"title": "New", "labels": ["a", "b"],
                                          "priority": "medium"})
    tasks.update(people["ann"], task.id, {"title": "New"})  # nothing changed: no event
    assert uow.history.of(task.id) == [
        (TaskEventKind.CREATED, {}),
        (C, {"title": ["Old", "New"], "labels": [["a"], ["a", "b"]]}),
    ]


def test_a_move_to_another_project_is_recorded_as_moved(uow, tasks, people, home) -> None:
    task = tasks.create(people["ann"], {"title": "T"})
    inbox = task.project_id
    tasks.update(people["ann"], task.id, {"project_id": home.id})
    assert uow.history.of(task.id)[-1] == (TaskEventKind.MOVED,
                                           {"project_id": [inbox, home.id]})


def test_bulk_actions_record_one_event_per_changed_task_in_one_insert(uow, tasks,
                                                                       people) -> None:
    low = tasks.create(people["ann"], {"title": "A", "priority": "low"})
    high = tasks.create(people["ann"], {"title": "B", "priority": "high"})
    inserts = uow.history.inserts
    BulkService(uow, uow.clock).apply(people["ann"], {
        "ids": [low.id, high.id], "action": "set_priority", "value": "high"})
    assert uow.history.inserts - inserts == 1
    assert uow.history.of(low.id)[-1] == (C, {"priority": ["low", "high"]})
    assert len(uow.history.of(high.id)) == 1  # already high: only its creation


def test_delete_and_restore_are_recorded(uow, tasks, people) -> None:
    task = tasks.create(people["ann"], {"title": "T"})
    tasks.delete(people["ann"], task.id)
    TrashService(uow, uow.clock).restore(people["ann"], task.id)
    assert [kind for kind, _ in uow.history.of(task.id)] == [
        TaskEventKind.CREATED, TaskEventKind.DELETED, TaskEventKind.RESTORED]


def test_history_reads_newest_first_for_members_only(uow, tasks, people, home) -> None:
    task = tasks.create(people["ann"], {"title": "T", "project_id": home.id})
    tasks.update(people["ann"], task.id, {"title": "U"})
    history = HistoryService(uow)
    page = history.page(people["cat"], task.id, 10, 0)  # a viewer reads it
    assert [entry.event.kind for entry in page.items] == [C, TaskEventKind.CREATED]
    assert (page.total, history.page(people["ann"], task.id, 1, 1).items[0].event.kind) == (
        2, TaskEventKind.CREATED)
    with pytest.raises(NotFound):
        history.page(people["dan"], task.id, 10, 0)
    tasks.delete(people["ann"], task.id)
    with pytest.raises(NotFound):
        history.page(people["ann"], task.id, 10, 0)


def test_subtasks_moving_with_their_parent_are_recorded_as_moved(uow, tasks, people,
                                                                  home) -> None:
    for move in ("update", "bulk"):
        parent = tasks.create(people["ann"], {"title": f"Parent {move}"})
        child = tasks.create(people["ann"], {"title": "Child", "parent_id": parent.id})
        inbox, inserts = parent.project_id, uow.history.inserts
        if move == "update":
            tasks.update(people["ann"], parent.id, {"project_id": home.id})
        else:
            BulkService(uow, uow.clock).apply(people["ann"], {
                "ids": [parent.id], "action": "move", "value": home.id})
        for task in (parent, child):
            assert uow.history.of(task.id)[-1] == (TaskEventKind.MOVED,
                                                   {"project_id": [inbox, home.id]}), move
        assert uow.history.inserts - inserts == 2  # the parent's, then its subtasks'

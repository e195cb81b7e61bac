"""The rules of a move (services/moves.py) on fakes: where the task lands, who may move
it, which siblings are allowed, the column and completed_at, and the respace."""

from __future__ import annotations

import pytest

from taskweb.errors import NotFound, PermissionDenied, ValidationFailed
from taskweb.models import Project, Role, Task, TaskStatus, User
from taskweb.services.moves import MoveService
from tests.unit.fakes import (
    FakeTaskRepository,
    FakeUnitOfWork,
    fake_auth_service,
)


class FakePositionRepository:
    """Lists in Python, ordered like the database: by position, then id."""

    def __init__(self, tasks: FakeTaskRepository) -> None:
        self.tasks = tasks
        self.locked: list[set[int]] = []
        self.respaced = 0

    def _list(self, project_id: int, parent_id: int | None) -> list[Task]:
        return sorted((t for t in self.tasks.rows.values()
                       if t.project_id == project_id and t.parent_id == parent_id),
                      key=lambda t: (t.position, t.id))

    def lock_projects(self, project_ids) -> None:
        self.locked.append(set(project_ids))

    def sibling_position(self, user_id: int, sibling_id: int, project_id: int,
                         parent_id: int | None) -> str | None:
        task = self.tasks.get(user_id, sibling_id)
        if task is None or task not in self._list(project_id, parent_id):
            return None
        return task.position

    def neighbour(self, project_id, parent_id, *, excluding, below=None, above=None):
        ordered = [(t.position, t.id) for t in self._list(project_id, parent_id)
                   if t.id != excluding]
        if above is not None:
            return next((p for p, i in ordered if (p, i) > above), None)
        if below is not None:
            ordered = [(p, i) for p, i in ordered if (p, i) < below]
        return ordered[-1][0] if ordered else None

    def respace(self, project_id, parent_id, *, excluding) -> None:
        self.respaced += 1
        from taskweb.domain.positions import respaced_keys
        rest = [t for t in self._list(project_id, parent_id) if t.id != excluding]
        for task, key in zip(rest, respaced_keys(len(rest)), strict=True):
            task.position = key


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.positions = FakePositionRepository(uow.tasks)
    return uow


@pytest.fixture
def people(uow) -> dict[str, User]:
    auth = fake_auth_service(uow)
    return {name: auth.register(f"{name}@example.com", name, "correct horse battery")
            for name in ("ann", "bob", "cat")}


@pytest.fixture
def moves(uow) -> MoveService:
    return MoveService(uow, uow.clock)


@pytest.fixture
def home(uow, people) -> Project:
    """Ann's project: Bob edits, Cat views; tasks A, B, C in that order."""
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["bob"].id)] = Role.EDITOR
    uow.projects.members[(project.id, people["cat"].id)] = Role.VIEWER
    return project


@pytest.fixture
def abc(moves, people, home) -> dict[str, Task]:
    return {title: moves.create(people["ann"], {"title": title, "project_id": home.id})
            for title in "ABC"}


def order(uow, project: Project) -> list[str]:
    return [t.title for t in uow.positions._list(project.id, None)]


def test_before_and_after_keep_everyone_else_in_place(moves, uow, people, home, abc) -> None:
    moves.move(people["bob"], abc["C"].id, {"before_id": abc["A"].id})
    assert order(uow, home) == list("CAB")
    moves.move(people["bob"], abc["C"].id, {"after_id": abc["B"].id})
    assert order(uow, home) == list("ABC")
    assert uow.positions.locked[-1] == {home.id}


def test_a_viewer_and_a_stranger_cannot_move(moves, people, abc) -> None:
    with pytest.raises(PermissionDenied):
        moves.move(people["cat"], abc["A"].id, {"after_id": abc["B"].id})
    other = User(id=999, email="x@example.com", username="x")
    with pytest.raises(NotFound):
        moves.move(other, abc["A"].id, {})


@pytest.mark.parametrize(("body", "field"), [
    ({"before_id": "A", "after_id": "B"}, "after_id"),
    ({"before_id": "A"}, "before_id"),  # itself
    ({"after_id": 12345}, "after_id"),
    ({"status": "finished"}, "status"),
    ({"colour": "red"}, "colour"),
])
def test_bad_moves_name_the_field(moves, uow, people, home, abc, body, field) -> None:
    body = {key: abc[value].id if value in abc else value for key, value in body.items()}
    with pytest.raises(ValidationFailed) as caught:
        moves.move(people["ann"], abc["A"].id, body)
    assert field in caught.value.errors
    assert order(uow, home) == list("ABC")


def test_the_column_sets_completed_at(moves, people, abc, uow) -> None:
    task = moves.move(people["ann"], abc["B"].id, {"status": "completed"})
    assert task.status is TaskStatus.COMPLETED and task.completed_at == uow.clock()
    task = moves.move(people["ann"], abc["B"].id, {"status": "todo"})
    assert task.completed_at is None


def test_equal_positions_are_respaced_before_a_move_between_them(moves, uow, people, home,
                                                                 abc) -> None:
    abc["A"].position = abc["B"].position = abc["C"].position = "5"
    moves.move(people["ann"], abc["C"].id, {"after_id": abc["A"].id})
    assert uow.positions.respaced == 1
    assert order(uow, home) == list("ACB")
    assert len({t.position for t in abc.values()}) == 3


def test_a_subtask_stays_in_its_parents_project(moves, uow, people, home, abc) -> None:
    child = moves.create(people["ann"], {"title": "child", "project_id": home.id,
                                         "parent_id": abc["A"].id})
    inbox = uow.projects.inbox_of(people["ann"].id)
    with pytest.raises(ValidationFailed) as caught:
        moves.move(people["ann"], child.id, {"project_id": inbox.id})
    assert "project_id" in caught.value.errors
    with pytest.raises(ValidationFailed) as caught:
        moves.move(people["ann"], child.id, {"before_id": abc["B"].id})
    assert "before_id" in caught.value.errors

"""A project's version for live updates, on the fakes: members only, and its tag."""

from __future__ import annotations

import pytest

from taskweb.domain.live_updates import ProjectVersion
from taskweb.errors import NotFound
from taskweb.models import Project, Role, User
from taskweb.services.live_updates import LiveUpdateService
from tests.unit.fakes import FakeUnitOfWork, fake_auth_service


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def people(uow) -> dict[str, User]:
    auth = fake_auth_service(uow)
    return {name: auth.register(f"{name}@example.com", name, "correct horse battery")
            for name in ("ann", "cat", "dan")}


@pytest.fixture
def home(uow, people) -> Project:
    """Ann's project; Cat views it, Dan is not a member."""
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["cat"].id)] = Role.VIEWER
    return project


def test_every_member_reads_the_same_version(uow, people, home) -> None:
    uow.live_updates.changes[home.id] = 41
    service = LiveUpdateService(uow)
    ann, cat = (service.project_version(people[name], home.id) for name in ("ann", "cat"))
    assert ann == cat == ProjectVersion(home.id, 41, 0)


def test_a_project_one_is_not_a_member_of_is_not_found(uow, people, home) -> None:
    with pytest.raises(NotFound):
        LiveUpdateService(uow).project_version(people["dan"], home.id)
    with pytest.raises(NotFound):
        LiveUpdateService(uow).project_version(people["ann"], home.id + 1)


def test_the_tag_tells_numbers_and_counts_apart() -> None:
    tags = {ProjectVersion(1, 12, 3).tag, ProjectVersion(1, 1, 23).tag,
            ProjectVersion(11, 2, 3).tag, ProjectVersion(1, 12, 4).tag}
    assert len(tags) == 4

"""The rules of saved filters, on the fakes (no database): private to their user,
names unique per user case-insensitively, the query checked when saved, and a refused
change writes nothing."""

from __future__ import annotations

import pytest

from taskweb.errors import Conflict, NotFound, ValidationFailed
from taskweb.models import User
from taskweb.services.saved_filters import SavedFilterService
from tests.unit.fakes import FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


@pytest.fixture
def service(uow: FakeUnitOfWork) -> SavedFilterService:
    return SavedFilterService(uow)  # type: ignore[arg-type]


def person(user_id: int) -> User:
    return User(id=user_id, username=f"user{user_id}", email=f"u{user_id}@example.com")


ANN, BEN = person(1), person(2)


def test_saved_trimmed_and_listed_by_name(service: SavedFilterService) -> None:
    service.create(ANN, {"name": " zebra ", "query": " status:todo "})
    service.create(ANN, {"name": "Apple", "query": "due:today"})
    service.create(BEN, {"name": "ben's", "query": "x"})
    assert [(f.name, f.query) for f in service.list(ANN)] == [
        ("Apple", "due:today"), ("zebra", "status:todo")]


def test_another_persons_filter_is_not_found(service: SavedFilterService,
                                             uow: FakeUnitOfWork) -> None:
    saved = service.create(ANN, {"name": "Mine", "query": "x"})
    for attempt in (lambda: service.get(BEN, saved.id),
                    lambda: service.update(BEN, saved.id, {"name": "Stolen"}),
                    lambda: service.delete(BEN, saved.id)):
        with pytest.raises(NotFound):
            attempt()
    assert service.get(ANN, saved.id).name == "Mine" and len(uow.saved_filters.rows) == 1


def test_names_are_unique_per_person_in_any_case(service: SavedFilterService) -> None:
    service.create(ANN, {"name": "Urgent", "query": "x"})
    with pytest.raises(Conflict) as caught:
        service.create(ANN, {"name": "uRGENT", "query": "y"})
    assert list(caught.value.errors) == ["name"]
    service.create(BEN, {"name": "urgent", "query": "y"})  # another person's name
    later = service.create(ANN, {"name": "Later", "query": "x"})
    with pytest.raises(Conflict):
        service.update(ANN, later.id, {"name": "URGENT"})
    assert service.update(ANN, later.id, {"name": "LATER"}).name == "LATER"


def test_the_query_is_checked_when_saved(service: SavedFilterService,
                                         uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed) as caught:
        service.create(ANN, {"name": "Bad", "query": "due:<="})
    assert caught.value.errors["query"][0].startswith("Expected a date")
    assert "at character 6" in caught.value.errors["query"][0]
    saved = service.create(ANN, {"name": "Good", "query": "due:today"})
    commits = uow.commits
    with pytest.raises(ValidationFailed):
        service.update(ANN, saved.id, {"name": "Renamed", "query": "(oops"})
    assert (saved.name, saved.query, uow.commits) == ("Good", "due:today", commits)


def test_unknown_and_missing_fields_are_named(service: SavedFilterService) -> None:
    with pytest.raises(ValidationFailed) as caught:
        service.create(ANN, {"user_id": 2})
    assert caught.value.errors == {"user_id": ["Unknown field."], "name": ["Required."],
                                   "query": ["Required."]}

"""The calendar feed's rules and document, on a fake store (no database, no Flask)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from icalendar import Calendar

from taskweb.domain.calendar import FeedTask, calendar_document
from taskweb.errors import NotFound
from taskweb.models import TaskPriority, TaskStatus, User
from taskweb.services.calendar import FEED_CAP, CalendarService
from tests.unit.fakes import FakeUnitOfWork

DUE = datetime(2026, 12, 1, 9, tzinfo=timezone.utc)
CHANGED = datetime(2026, 11, 20, 8, tzinfo=timezone.utc)


class FakeCalendarStore:
    def __init__(self, users: list[User], tasks: dict[int, list[FeedTask]]) -> None:
        self.users = users
        self.tasks = tasks
        self.caps: list[int] = []

    def owner_of_secret(self, secret: str) -> User | None:
        return next((u for u in self.users if u.calendar_secret == secret), None)

    def open_tasks_with_due_dates(self, user_id: int, cap: int) -> list[FeedTask]:
        self.caps.append(cap)
        return self.tasks.get(user_id, [])[:cap]


def task(**fields) -> FeedTask:
    values = {"id": 7, "title": "Pay rent", "description": None, "status": TaskStatus.TODO,
              "priority": TaskPriority.MEDIUM, "due_date": DUE, "recurrence": None,
              "updated_at": CHANGED, "labels": []}
    values.update(fields)
    return FeedTask(**values)


@pytest.fixture
def alice() -> User:
    return User(id=1, email="alice@example.com", username="alice", hashed_password="x")


@pytest.fixture
def store(alice: User) -> FakeCalendarStore:
    return FakeCalendarStore([alice], {alice.id: [task()]})


@pytest.fixture
def service(store: FakeCalendarStore) -> CalendarService:
    return CalendarService(FakeUnitOfWork(), store)


def test_each_new_secret_replaces_the_last(service, store, alice) -> None:
    first = service.new_secret(alice)
    assert len(first) >= 40 and service.feed(first)[0].title == "Pay rent"
    second = service.new_secret(alice)
    assert second != first
    with pytest.raises(NotFound):
        service.feed(first)
    assert store.caps == [FEED_CAP]
    service.turn_off(alice)
    assert alice.calendar_secret is None
    with pytest.raises(NotFound):
        service.feed(second)


def test_unlikely_secrets_are_not_even_looked_up(service, store) -> None:
    for secret in ("", "short", "x" * 65, "é" * 30):
        with pytest.raises(NotFound):
            service.feed(secret)
    assert store.caps == []


def test_the_document_is_the_same_for_the_same_tasks() -> None:
    tasks = [task(), task(id=8, title="Gym", priority=TaskPriority.HIGH,
                          status=TaskStatus.IN_PROGRESS, labels=["health"],
                          recurrence="FREQ=WEEKLY;BYDAY=MO,TH")]
    first = calendar_document(tasks, host="tasks.example.com", task_url=lambda i: f"u/{i}")
    assert first == calendar_document(tasks, host="tasks.example.com",
                                      task_url=lambda i: f"u/{i}")
    rent, gym = Calendar.from_ical(first).walk("VTODO")
    assert str(rent["UID"]) == "task-7@tasks.example.com"
    assert rent.decoded("DTSTAMP") == CHANGED and "DESCRIPTION" not in rent
    assert (int(rent["PRIORITY"]), str(rent["STATUS"])) == (5, "NEEDS-ACTION")
    assert (int(gym["PRIORITY"]), str(gym["STATUS"])) == (1, "IN-PROCESS")
    assert gym["RRULE"]["BYDAY"] == ["MO", "TH"] and str(gym["URL"]) == "u/8"

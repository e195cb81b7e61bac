"""Today and Upcoming on the fakes (no database): which tasks fall on which local day,
overdue ones first, quiet days folded, the limit, and who sees what."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from taskweb.domain.agenda import (
    DayGroup,
    QuietDays,
    day_heading,
    end_of_today,
    end_of_upcoming,
)
from taskweb.domain.dates import utc_instant
from taskweb.models import Task, User
from taskweb.services.agenda import AgendaService
from taskweb.services.tasks import TaskService
from tests.unit.fakes import (
    FakeClock,
    FakeUnitOfWork,
    fake_auth_service,
)

AUCKLAND = ZoneInfo("Pacific/Auckland")  # UTC+13 in November
HONOLULU = ZoneInfo("Pacific/Honolulu")  # UTC-10
THURSDAY = date(2026, 11, 26)


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork(FakeClock(datetime(2026, 11, 26, 12, 0, tzinfo=UTC)))


def register(uow: FakeUnitOfWork, name: str) -> User:
    auth = fake_auth_service(uow)
    return auth.register(f"{name}@example.com", name, "correct horse battery", None)


@pytest.fixture
def alice(uow: FakeUnitOfWork) -> User:
    return register(uow, "alice")


def task(uow: FakeUnitOfWork, owner: User, title: str, due: datetime | None,
         **fields: object) -> Task:
    return TaskService(uow, uow.clock).create(owner, {"title": title, "due_date": due,
                                                      **fields})


def at(day: date, zone: ZoneInfo, clock: time | None = None) -> datetime:
    return utc_instant(day, clock, zone)


def titles(tasks: list[Task]) -> list[str]:
    return [t.title for t in tasks]


@pytest.mark.parametrize("zone", [AUCKLAND, HONOLULU])
def test_the_bounds_are_local_midnights(zone: ZoneInfo) -> None:
    late = at(THURSDAY, zone, time(23, 59))
    assert end_of_today(late, zone) == at(THURSDAY + timedelta(days=1), zone)
    assert end_of_upcoming(late, zone) == at(THURSDAY + timedelta(days=14), zone)
    assert end_of_today(at(THURSDAY + timedelta(days=1), zone), zone) == \
        at(THURSDAY + timedelta(days=2), zone)


def test_headings() -> None:
    assert day_heading(THURSDAY, THURSDAY) == "Today"
    assert day_heading(date(2026, 11, 27), THURSDAY) == "Tomorrow"
    assert day_heading(date(2026, 11, 28), THURSDAY) == "Saturday 28 November"
    assert QuietDays(date(2026, 11, 29), date(2026, 12, 1)).words == \
        "Sun 29 Nov – Tue 1 Dec: nothing due"
    assert QuietDays(date(2026, 11, 29), date(2026, 11, 29)).words == "Sun 29 Nov: nothing due"


@pytest.mark.parametrize("zone", [AUCKLAND, HONOLULU])
def test_today_around_midnight(uow: FakeUnitOfWork, alice: User, zone: ZoneInfo) -> None:
    task(uow, alice, "Thursday", at(THURSDAY, zone))
    task(uow, alice, "Thursday night", at(THURSDAY, zone, time(23, 50)))
    task(uow, alice, "Friday", at(THURSDAY + timedelta(days=1), zone))
    uow.clock.now = at(THURSDAY, zone, time(23, 55))
    today = AgendaService(uow, uow.clock).today(alice, zone)
    assert today.day == THURSDAY
    assert titles(today.overdue) == ["Thursday night"] and titles(today.due_today) == ["Thursday"]
    uow.clock.now = at(THURSDAY + timedelta(days=1), zone, time(0, 5))
    today = AgendaService(uow, uow.clock).today(alice, zone)
    assert today.day == THURSDAY + timedelta(days=1)
    assert titles(today.overdue) == ["Thursday", "Thursday night"]
    assert titles(today.due_today) == ["Friday"]
    assert today.summary == "3 tasks: 2 overdue, 1 due today"


def test_priority_breaks_ties_of_the_same_due_date(uow: FakeUnitOfWork, alice: User) -> None:
    uow.clock.now = at(THURSDAY, AUCKLAND, time(8, 0))
    for priority in ("low", "high", "medium"):
        task(uow, alice, priority, at(THURSDAY, AUCKLAND), priority=priority)
    today = AgendaService(uow, uow.clock).today(alice, AUCKLAND)
    assert titles(today.due_today) == ["high", "medium", "low"]


def test_upcoming_groups_days_and_folds_quiet_ones(uow: FakeUnitOfWork, alice: User) -> None:
    uow.clock.now = at(THURSDAY, HONOLULU, time(8, 0))
    task(uow, alice, "Late", at(THURSDAY - timedelta(days=3), HONOLULU))
    task(uow, alice, "Friday", at(THURSDAY + timedelta(days=1), HONOLULU))
    task(uow, alice, "Friday later", at(THURSDAY + timedelta(days=1), HONOLULU, time(17, 0)))
    task(uow, alice, "Last day", at(THURSDAY + timedelta(days=13), HONOLULU, time(23, 0)))
    task(uow, alice, "Beyond", at(THURSDAY + timedelta(days=14), HONOLULU))
    task(uow, alice, "Undated", None)
    upcoming = AgendaService(uow, uow.clock).upcoming(alice, HONOLULU)
    assert titles(upcoming.overdue) == ["Late"]
    kinds = [(type(group).__name__, group.day if isinstance(group, DayGroup)
              else (group.first, group.last)) for group in upcoming.days]
    assert kinds == [
        ("QuietDays", (THURSDAY, THURSDAY)),
        ("DayGroup", THURSDAY + timedelta(days=1)),
        ("QuietDays", (THURSDAY + timedelta(days=2), THURSDAY + timedelta(days=12))),
        ("DayGroup", THURSDAY + timedelta(days=13)),
    ]
    assert titles(upcoming.days[1].tasks) == ["Friday", "Friday later"]
    assert upcoming.total == 4 and upcoming.summary == "4 tasks, 1 overdue"


def test_done_subtasks_and_other_peoples_tasks_stay_out(uow: FakeUnitOfWork, alice: User
                                                        ) -> None:
    bob = register(uow, "bob")
    uow.clock.now = at(THURSDAY, AUCKLAND, time(8, 0))
    parent = task(uow, alice, "Mine", at(THURSDAY, AUCKLAND))
    task(uow, alice, "Step", at(THURSDAY, AUCKLAND), parent_id=parent.id)
    task(uow, alice, "Done", at(THURSDAY, AUCKLAND), status="completed")
    task(uow, bob, "Bob's", at(THURSDAY, AUCKLAND))
    agendas = AgendaService(uow, uow.clock)
    assert titles(agendas.today(alice, AUCKLAND).due_today) == ["Mine"]
    assert agendas.today_count(alice, AUCKLAND) == 1
    assert titles(agendas.today(bob, AUCKLAND).due_today) == ["Bob's"]


def test_a_view_reads_at_most_its_limit_and_says_there_were_more(
    uow: FakeUnitOfWork, alice: User
) -> None:
    uow.clock.now = at(THURSDAY, AUCKLAND, time(8, 0))
    for n in range(4):
        task(uow, alice, f"Task {n}", at(THURSDAY - timedelta(days=n), AUCKLAND))
    agendas = AgendaService(uow, uow.clock, limit=3)
    today = agendas.today(alice, AUCKLAND)
    assert today.truncated and today.total == 3
    assert titles(today.overdue) == ["Task 3", "Task 2", "Task 1"]
    assert agendas.today_count(alice, AUCKLAND) == 4
    assert not AgendaService(uow, uow.clock, limit=4).today(alice, AUCKLAND).truncated

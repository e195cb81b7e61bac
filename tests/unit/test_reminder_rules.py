"""Reminder rules on the fakes: the task field, when a reminder is claimed, who hears
of it, and that a delivered one is never delivered again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from taskweb.errors import ValidationFailed
from taskweb.models import (
    EmailState,
    Notification,
    NotificationKind,
    Project,
    Role,
    TaskStatus,
    User,
)
from taskweb.services.bulk import BulkService
from taskweb.services.reminders import ReminderDelivery, batches
from taskweb.services.tasks import TaskService
from tests.unit.fakes import START, FakeUnitOfWork


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def reminded(uow: FakeUnitOfWork) -> list[Notification]:
    """The reminder notifications written (assignments notify too)."""
    return [row for row in uow.notifications.rows if row.kind is NotificationKind.REMINDER]


@pytest.fixture
def people(uow) -> dict[str, User]:
    found = {}
    for name in ("ann", "bob", "cat"):
        person = User(email=f"{name}@example.com", username=name)
        uow.users.add(person)
        inbox = Project(owner_id=person.id, name="Inbox", is_inbox=True)
        uow.projects.add(inbox)
        found[name] = person
    return found


@pytest.fixture
def home(uow, people) -> Project:
    """Ann's project; Bob edits it. Cat is not a member."""
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["bob"].id)] = Role.EDITOR
    return project


@pytest.fixture
def tasks(uow) -> TaskService:
    return TaskService(uow, uow.clock)


def delivery(uow, email_enabled: bool = True) -> ReminderDelivery:
    return ReminderDelivery(uow, uow.clock, email_enabled=email_enabled)


def at(minutes: float):
    return START + timedelta(minutes=minutes)


def test_the_field_is_cleaned_and_written_whole(tasks, people) -> None:
    task = tasks.create(people["ann"], {"title": "t", "reminders": [
        at(30).isoformat(), at(10).isoformat(), at(10).isoformat()]})
    assert task.reminders == [at(10), at(30)]
    assert tasks.update(people["ann"], task.id, {"reminders": [at(30)]}).reminders == [at(30)]
    with pytest.raises(ValidationFailed) as failure:
        tasks.update(people["ann"], task.id, {"reminders": [at(n) for n in range(6)]})
    assert list(failure.value.errors) == ["reminders"]
    assert tasks.get(people["ann"], task.id).reminders == [at(30)]


def test_a_reminder_is_never_claimed_before_its_time(uow, tasks, people) -> None:
    tasks.create(people["ann"], {"title": "t", "reminders": [at(5)]})
    uow.clock.advance(minutes=4, seconds=59)
    assert delivery(uow).claim_due() == []
    uow.clock.advance(seconds=1)
    assert delivery(uow).claim_due() == [[1]]


def test_a_claimed_reminder_is_handed_out_again_only_when_its_lease_lapses(uow, tasks,
                                                                          people) -> None:
    tasks.create(people["ann"], {"title": "t", "reminders": [at(1)]})
    uow.clock.advance(minutes=1)
    assert delivery(uow).claim_due() == [[1]]
    uow.clock.advance(seconds=29)
    assert delivery(uow).claim_due() == []  # still with the first worker
    uow.clock.advance(seconds=2)
    assert delivery(uow).claim_due() == [[1]]  # that worker died: hand it out again


def test_the_assignee_hears_of_it_else_the_creator(uow, tasks, people, home) -> None:
    assigned = tasks.create(people["ann"], {"title": "Paint", "project_id": home.id,
                                            "assignee_id": people["bob"].id,
                                            "reminders": [at(1)]})
    mine = tasks.create(people["ann"], {"title": "Fix", "project_id": home.id,
                                        "reminders": [at(1)]})
    uow.clock.advance(minutes=2)
    service = delivery(uow)
    assert service.deliver([i for batch in service.claim_due() for i in batch]) == 2
    assert [(n.user_id, n.task_id, n.message, n.kind) for n in reminded(uow)] == [
        (people["bob"].id, assigned.id, "Reminder: Paint", NotificationKind.REMINDER),
        (people["ann"].id, mine.id, "Reminder: Fix", NotificationKind.REMINDER),
    ]
    assert all(r.delivered_at == uow.clock() for r in uow.reminders.rows.values())


def test_a_delivered_reminder_is_never_delivered_again(uow, tasks, people) -> None:
    tasks.create(people["ann"], {"title": "t", "reminders": [at(1)]})
    uow.clock.advance(minutes=1)
    service = delivery(uow)
    (batch,) = service.claim_due()
    assert service.deliver(batch) == 1
    assert service.deliver(batch) == 0  # a job run twice (a worker died before its ack)
    uow.clock.advance(minutes=5)
    assert service.claim_due() == []
    assert len(reminded(uow)) == 1


@pytest.mark.parametrize("close", ["complete", "trash"])
def test_a_closed_task_is_marked_delivered_without_a_notification(uow, tasks, people,
                                                                  close) -> None:
    task = tasks.create(people["ann"], {"title": "t", "reminders": [at(1)]})
    if close == "complete":
        tasks.update(people["ann"], task.id, {"status": TaskStatus.COMPLETED.value})
    else:
        tasks.delete(people["ann"], task.id)
    uow.clock.advance(minutes=1)
    service = delivery(uow)
    (batch,) = service.claim_due()
    assert service.deliver(batch) == 0 and reminded(uow) == []
    assert uow.reminders.rows[batch[0]].delivered_at is not None


def test_a_creator_who_left_the_project_is_not_told(uow, tasks, people, home) -> None:
    tasks.create(people["bob"], {"title": "t", "project_id": home.id, "reminders": [at(1)]})
    del uow.projects.members[(home.id, people["bob"].id)]
    uow.clock.advance(minutes=1)
    service = delivery(uow)
    (batch,) = service.claim_due()
    assert service.deliver(batch) == 0 and reminded(uow) == []


@pytest.mark.parametrize(("mail", "wants", "owed"), [
    (True, True, True), (True, False, False), (False, True, False)])
def test_an_email_is_owed_only_when_mail_is_on_and_wanted(uow, tasks, people, mail, wants,
                                                          owed) -> None:
    people["ann"].email_notifications = wants
    tasks.create(people["ann"], {"title": "t", "reminders": [at(1)]})
    uow.clock.advance(minutes=1)
    service = delivery(uow, email_enabled=mail)
    (batch,) = service.claim_due()
    service.deliver(batch)
    (notification,) = reminded(uow)
    assert (notification.email_state is EmailState.OWED) is owed
    assert notification.reminder_id == batch[0]


def test_claims_come_in_batches() -> None:
    assert batches(list(range(250)), 100) == [list(range(100)), list(range(100, 200)),
                                              list(range(200, 250))]


@pytest.mark.parametrize("how", ["update", "bulk"])
def test_completing_a_repeating_task_moves_its_reminders_with_the_due_date(uow, tasks, people,
                                                                          how) -> None:
    """The next occurrence is reminded as the last one was: an hour before it, again."""
    due = at(60 * 24)
    task = tasks.create(people["ann"], {"title": "Water the plants", "due_date": due,
                                        "recurrence": "FREQ=DAILY",
                                        "reminders": [due - timedelta(hours=1)]})
    uow.clock.advance(minutes=60 * 24 - 30)
    service = delivery(uow)
    (batch,) = service.claim_due()
    assert service.deliver(batch) == 1
    if how == "update":
        tasks.update(people["ann"], task.id, {"status": TaskStatus.COMPLETED.value})
    else:
        BulkService(uow, uow.clock).apply(people["ann"], {
            "ids": [task.id], "action": "complete"})
    task = tasks.get(people["ann"], task.id)
    assert task.status is TaskStatus.TODO and task.due_date == due + timedelta(days=1)
    assert task.reminders == [due + timedelta(days=1, hours=-1)]
    uow.clock.advance(days=1)
    (batch,) = service.claim_due()
    assert service.deliver(batch) == 1
    assert len(reminded(uow)) == 2

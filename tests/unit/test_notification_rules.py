"""The rules of notifications on the fakes: who is told of an assignment or a share, when
their e-mail is owed, and a user's own list, read marks and bell state."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from taskweb.errors import NotFound, ValidationFailed
from taskweb.models import EmailState, NotificationKind, Project, Role, User
from taskweb.services.bulk import BulkService
from taskweb.services.email_outbox import (
    FIRST_RETRY,
    GIVE_UP_AFTER,
    LONGEST_WAIT,
    next_attempt,
)
from taskweb.services.notifications import (
    Notices,
    NotificationQuery,
    NotificationService,
    parse_notification_query,
)
from taskweb.services.tasks import TaskService
from tests.unit.fakes import (
    START,
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
            for name in ("ann", "bob")}


@pytest.fixture
def home(uow, people) -> Project:
    project = Project(owner_id=people["ann"].id, name="Home", is_inbox=False)
    uow.projects.add(project)
    uow.projects.members[(project.id, people["bob"].id)] = Role.EDITOR
    return project


def test_assigning_somebody_else_tells_them_once(uow, people, home) -> None:
    tasks = TaskService(uow, uow.clock)
    ann, bob = people["ann"], people["bob"]
    task = tasks.create(ann, {"title": "Buy milk", "project_id": home.id,
                              "assignee_id": bob.id})
    tasks.update(ann, task.id, {"title": "Buy oat milk"})
    tasks.update(ann, task.id, {"assignee_id": ann.id})  # to herself: nobody is told
    tasks.update(ann, task.id, {"assignee_id": None})
    [notice] = uow.notifications.of(bob.id)
    assert notice.kind is NotificationKind.ASSIGNED and notice.task_id == task.id
    assert notice.message == "ann assigned you “Buy milk” in Home"
    assert uow.notifications.of(ann.id) == []


def test_a_bulk_assignment_tells_of_the_newly_assigned_tasks_in_one_insert(
        uow, people, home) -> None:
    tasks = TaskService(uow, uow.clock)
    ann, bob = people["ann"], people["bob"]
    ids = [tasks.create(ann, {"title": f"T{n}", "project_id": home.id}).id for n in range(3)]
    tasks.update(ann, ids[0], {"assignee_id": bob.id})
    before = uow.notifications.inserts
    BulkService(uow, uow.clock).apply(ann, {"ids": ids, "action": "assign", "value": bob.id})
    assert uow.notifications.inserts == before + 1
    assert sorted(n.task_id for n in uow.notifications.of(bob.id)) == sorted(ids)


def test_email_is_owed_only_when_wanted_and_mail_is_on(uow, people, home) -> None:
    ann, bob = people["ann"], people["bob"]
    Notices(uow, uow.clock, mail_enabled=False).shared(ann, home, bob.id)
    Notices(uow, uow.clock).shared(ann, home, bob.id)
    bob.email_notifications = False
    Notices(uow, uow.clock).shared(ann, home, bob.id)
    states = [n.email_state for n in reversed(uow.notifications.of(bob.id))]
    assert states == [EmailState.NONE, EmailState.OWED, EmailState.NONE]
    assert uow.notifications.of(bob.id)[-2].email_next_at == uow.clock.now


def test_sharing_with_oneself_tells_nobody(uow, people, home) -> None:
    Notices(uow, uow.clock).shared(people["ann"], home, people["ann"].id)
    assert uow.notifications.rows == []


def test_read_marks_and_the_bell_state(uow, people, home) -> None:
    ann, bob = people["ann"], people["bob"]
    service = NotificationService(uow, uow.clock)
    for _ in range(3):
        Notices(uow, uow.clock).shared(ann, home, bob.id)
    newest = uow.notifications.of(bob.id)[0]
    assert service.unread(bob).count == 3 and service.unread(bob).newest_id == newest.id
    tag = service.unread(bob).tag
    service.mark_read(bob, newest.id)
    assert service.unread(bob).count == 2 and service.unread(bob).tag != tag
    with pytest.raises(NotFound):
        service.mark_read(ann, newest.id)
    with pytest.raises(ValidationFailed):
        service.mark_read(bob, True)
    assert service.mark_all_read(bob) == 2 and service.unread(bob).count == 0
    assert len(service.list(bob, NotificationQuery(unread_only=True))) == 0
    assert len(service.list(bob, NotificationQuery(limit=2))) == 2


@pytest.mark.parametrize(("args", "expected"), [
    ({}, NotificationQuery()),
    ({"unread": ["TRUE"]}, NotificationQuery(unread_only=True)),
    ({"unread": ["0"], "limit": ["5"], "offset": ["10"]}, NotificationQuery(False, 5, 10)),
])
def test_query_parameters(args, expected) -> None:
    assert parse_notification_query(args) == expected


def test_bad_query_parameters_name_each_field() -> None:
    with pytest.raises(ValidationFailed) as raised:
        parse_notification_query({"unread": ["yes please"], "limit": ["0"]})
    assert set(raised.value.errors) == {"unread", "limit"}


class _Fixed(random.Random):
    """A "random" source that always draws ``value``."""

    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.mark.parametrize(("attempts", "full_wait"), [
    (1, FIRST_RETRY), (2, FIRST_RETRY * 2), (3, FIRST_RETRY * 4), (30, LONGEST_WAIT),
])
def test_the_wait_doubles_up_to_an_hour_with_jitter(attempts, full_wait) -> None:
    created = START
    now = START + timedelta(minutes=1)
    assert next_attempt(created, attempts, now, _Fixed(0.0)) == now + full_wait / 2
    assert next_attempt(created, attempts, now, _Fixed(0.999999)) <= now + full_wait
    assert next_attempt(created, attempts, now, _Fixed(0.999999)) > now + full_wait * 0.99


def test_an_email_is_given_up_a_day_after_its_notification() -> None:
    assert next_attempt(START, 5, START + GIVE_UP_AFTER, random.Random()) is None
    assert next_attempt(START, 5, START + GIVE_UP_AFTER - timedelta(seconds=1),
                        random.Random()) is not None

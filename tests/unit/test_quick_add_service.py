"""Quick add's use case on fakes (no database): the #project it names, the defaults,
errors on the field ``text``, the preview writing nothing, and the recurrence rule of
every task."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from taskweb.errors import NotFound, PermissionDenied, ValidationFailed
from taskweb.models import Project, Role, TaskPriority, User
from taskweb.services.quick_add import QuickAddService
from taskweb.services.tasks import TaskService
from tests.unit.fakes import FakeUnitOfWork

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # a Thursday


@pytest.fixture
def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    uow.clock.now = NOW
    return uow


@pytest.fixture
def service(uow: FakeUnitOfWork) -> QuickAddService:
    return QuickAddService(uow, TaskService(uow, uow.clock), uow.clock)


def person(uow: FakeUnitOfWork, name: str, zone: str = "UTC") -> User:
    user = User(email=f"{name}@example.com", username=name, hashed_password="x",
                time_zone=zone)
    uow.users.add(user)
    uow.projects.add(Project(owner_id=user.id, name="Inbox", is_inbox=True, archived=False))
    return user


def project_of(uow: FakeUnitOfWork, owner: User, name: str, *, archived: bool = False,
               **members: Role) -> Project:
    project = Project(owner_id=owner.id, name=name, is_inbox=False, archived=archived)
    uow.projects.add(project)
    for user_id, role in members.items():
        uow.projects.members[(project.id, int(user_id.lstrip("u")))] = role
    return project


def text_error(caught: pytest.ExceptionInfo[ValidationFailed]) -> list[str]:
    assert set(caught.value.errors) == {"text"}
    return caught.value.errors["text"]


def test_creates_through_the_task_path_with_every_field(service, uow) -> None:
    ann = person(uow, "ann", "Europe/Berlin")
    home = project_of(uow, ann, "Home")
    task, replayed = service.create(ann, "Pay rent tomorrow 5pm #HOME @money !high every month")
    assert replayed is False and uow.commits == 1
    assert (task.title, task.project_id, task.priority) == ("Pay rent", home.id,
                                                            TaskPriority.HIGH)
    assert task.due_date == datetime(2026, 11, 27, 16, 0, tzinfo=UTC)
    assert task.recurrence == "FREQ=MONTHLY"
    assert task.position  # made by TaskService's own create path


def test_preview_writes_nothing(service, uow) -> None:
    ann = person(uow, "ann")
    plan = service.preview(ann, "Call Bob 5pm @phone")
    assert (plan.fields["title"], plan.project_name, plan.priority) == (
        "Call Bob", "Inbox", TaskPriority.MEDIUM)
    assert plan.parsed.has_time and plan.fields["labels"] == ["phone"]
    assert uow.commits == 0 and uow.tasks.rows == {}


def test_the_project_is_found_case_insensitively_preferring_ones_own(service, uow) -> None:
    ann, bob = person(uow, "ann"), person(uow, "bob")
    theirs = project_of(uow, bob, "Home", **{f"u{ann.id}": Role.EDITOR})
    assert service.preview(ann, "x #home").project_id == theirs.id
    mine = project_of(uow, ann, "HOME")
    assert service.preview(ann, "x #home").project_id == mine.id


def test_an_archived_project_comes_after_a_live_one(service, uow) -> None:
    ann = person(uow, "ann")
    project_of(uow, ann, "Home", archived=True)
    live = project_of(uow, ann, "home")
    assert service.preview(ann, "x #Home").project_id == live.id


def test_an_unknown_project_is_an_error_on_text(service, uow) -> None:
    ann, bob = person(uow, "ann"), person(uow, "bob")
    project_of(uow, bob, "Secret")
    with pytest.raises(ValidationFailed) as caught:
        service.create(ann, "Peek #Secret")
    assert text_error(caught) == ['You have no project called "Secret".']
    assert uow.tasks.rows == {}


def test_a_view_only_project_is_an_error_on_text(service, uow) -> None:
    ann, bob = person(uow, "ann"), person(uow, "bob")
    project_of(uow, bob, "Shared", **{f"u{ann.id}": Role.VIEWER})
    with pytest.raises(ValidationFailed) as caught:
        service.preview(ann, "Edit #Shared")
    assert "only view" in text_error(caught)[0]


def test_project_id_is_checked_like_a_normal_create(service, uow) -> None:
    ann, bob = person(uow, "ann"), person(uow, "bob")
    shared = project_of(uow, bob, "Shared", **{f"u{ann.id}": Role.VIEWER})
    with pytest.raises(PermissionDenied):
        service.create(ann, "x", shared.id)
    with pytest.raises(NotFound):
        service.create(ann, "x", 999)
    with pytest.raises(ValidationFailed) as caught:
        service.create(ann, "x", "one")
    assert set(caught.value.errors) == {"project_id"}


@pytest.mark.parametrize(("text", "message"), [
    ("", "Write a title"),
    ("!high tomorrow", "Write a title"),
    ("x" * 201, "at most 200"),
    ("a\nb", "one line"),
    ("x" * 501, "at most 500"),
    ("x @" + "y" * 51, "1 to 50"),
    ("Call today 9am", "already passed"),
])
def test_what_is_wrong_with_the_text_is_said_on_text(service, uow, text, message) -> None:
    ann = person(uow, "ann")
    with pytest.raises(ValidationFailed) as caught:
        service.preview(ann, text)
    assert message in " ".join(text_error(caught))


@pytest.mark.parametrize("value", [None, 5, ["x"]])
def test_text_must_be_a_string(service, uow, value) -> None:
    with pytest.raises(ValidationFailed) as caught:
        service.preview(person(uow, "ann"), value)
    assert text_error(caught)


def test_a_retry_with_the_same_key_replays_even_the_next_day(service, uow) -> None:
    ann = person(uow, "ann")
    first, _ = service.create(ann, "Pay tomorrow", idempotency_key="k1")
    uow.clock.advance(days=1)  # "tomorrow" now means another day: same request still
    again, replayed = service.create(ann, "Pay tomorrow", idempotency_key="k1")
    assert replayed is True and again.id == first.id and len(uow.tasks.rows) == 1


class TestRecurrenceRule:
    def test_needs_a_due_date_on_create_and_update(self, uow) -> None:
        tasks = TaskService(uow, uow.clock)
        ann = person(uow, "ann")
        with pytest.raises(ValidationFailed) as caught:
            tasks.create(ann, {"title": "Gym", "recurrence": "FREQ=DAILY"})
        assert set(caught.value.errors) == {"recurrence"}
        task = tasks.create(ann, {"title": "Gym", "recurrence": "freq=daily",
                                  "due_date": "2026-12-01T09:00:00Z"})
        assert task.recurrence == "FREQ=DAILY"
        with pytest.raises(ValidationFailed) as caught:
            tasks.update(ann, task.id, {"due_date": None})
        assert set(caught.value.errors) == {"recurrence"}
        tasks.update(ann, task.id, {"title": "Gym!"})  # the rule and date stay valid

    @pytest.mark.parametrize("rule", ["FREQ=DAILY;INTERVAL=0", "RRULE:FREQ=DAILY",
                                      "FREQ=MINUTELY", "FREQ=WEEKLY;BYDAY=XX", ""])
    def test_a_bad_rule_is_refused_before_anything_runs(self, uow, rule) -> None:
        tasks = TaskService(uow, uow.clock)
        with pytest.raises(ValidationFailed) as caught:
            tasks.create(person(uow, "ann"), {"title": "x", "recurrence": rule,
                                              "due_date": "2026-12-01T09:00:00Z"})
        assert set(caught.value.errors) == {"recurrence"}

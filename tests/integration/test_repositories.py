"""TaskRepository and UserRepository on PostgreSQL: SQL filters, sort, pages, and the
scope of memberships (a task is seen only by the members of its project)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from taskweb.domain.task_query import TaskQuery
from taskweb.extensions import db
from taskweb.models import (
    Membership,
    Project,
    Role,
    Task,
    TaskPriority,
    TaskStatus,
    User,
)
from taskweb.repositories import ProjectRepository, TaskRepository, UserRepository

BASE = datetime(2026, 12, 1, tzinfo=timezone.utc)


@pytest.fixture
def owners(app_context) -> tuple[User, User]:
    users = [User(email=f"{n}@example.com", username=n, hashed_password="x") for n in ("u1", "u2")]
    db.session.add_all(users)
    db.session.flush()
    for user in users:
        ProjectRepository(db.session).add(Project(owner_id=user.id, name="Inbox",
                                                  is_inbox=True))
    db.session.commit()
    return users[0], users[1]


def inbox(user: User) -> Project:
    return ProjectRepository(db.session).inbox_of(user.id)


@pytest.fixture
def repo(app_context) -> TaskRepository:
    return TaskRepository(db.session)


def add_task(owner: User, title: str, minutes: int, **fields) -> Task:
    task = Task(owner_id=owner.id, title=title, created_at=BASE + timedelta(minutes=minutes),
                project_id=fields.pop("project_id", None) or inbox(owner).id,
                position=f"{minutes:016x}", **fields)
    db.session.add(task)
    db.session.commit()
    return task


@pytest.fixture
def tasks(owners) -> list[Task]:
    owner, other = owners
    made = [
        add_task(owner, "low-late", 1, priority=TaskPriority.LOW, due_date=BASE + timedelta(days=3)),
        add_task(owner, "high-none", 2, priority=TaskPriority.HIGH, status=TaskStatus.IN_PROGRESS),
        add_task(owner, "med-early", 3, priority=TaskPriority.MEDIUM, due_date=BASE,
                 status=TaskStatus.COMPLETED, description="Milk and bread"),
        add_task(owner, "high-mid", 4, priority=TaskPriority.HIGH, due_date=BASE + timedelta(days=1)),
    ]
    add_task(other, "someone else's", 5, priority=TaskPriority.HIGH, description="milk")
    return made


def titles(repo: TaskRepository, owner: User, **query) -> list[str]:
    return [task.title for task in repo.list(owner.id, TaskQuery(**query)).items]


def test_get_is_scoped_to_the_members(repo, owners, tasks) -> None:
    owner, other = owners
    found = repo.get(owner.id, tasks[0].id)
    assert found is tasks[0] and found.caller_role is Role.OWNER
    assert repo.get(other.id, tasks[0].id) is None
    db.session.add(Membership(project_id=inbox(owner).id, user_id=other.id, role=Role.VIEWER))
    db.session.commit()
    assert repo.get(other.id, tasks[0].id).caller_role is Role.VIEWER
    assert "low-late" in titles(repo, other)


def test_subtask_progress_and_labels_ride_along(repo, owners) -> None:
    owner, _ = owners
    parent = add_task(owner, "parent", 1)
    for n, status in enumerate((TaskStatus.COMPLETED, TaskStatus.TODO, TaskStatus.COMPLETED)):
        add_task(owner, f"step {n}", 2 + n, parent_id=parent.id, status=status)
    repo.set_labels(parent, ["Home", "errand"], ["home", "errand"])
    db.session.commit()
    db.session.expunge_all()
    found = repo.get(owner.id, parent.id)
    assert (found.subtasks_total, found.subtasks_completed) == (3, 2)
    assert found.label_names == ["Home", "errand"]  # in the order given, from its row
    assert titles(repo, owner, labels=("home",)) == ["parent"]
    assert titles(repo, owner, labels=("home", "other")) == []
    assert titles(repo, owner, parent="none") == ["parent"]
    assert len(titles(repo, owner, parent=parent.id)) == 3


def test_list_is_scoped_and_counts(repo, owners, tasks) -> None:
    owner, other = owners
    page = repo.list(owner.id, TaskQuery())
    assert page.total == 4 and len(page.items) == 4
    assert titles(repo, other) == ["someone else's"]


def test_filters_combine_with_and(repo, owners, tasks) -> None:
    owner, _ = owners
    assert titles(repo, owner, priorities=(TaskPriority.HIGH,)) == ["high-mid", "high-none"]
    assert titles(repo, owner, statuses=(TaskStatus.TODO,), priorities=(TaskPriority.HIGH,)) == [
        "high-mid"
    ]
    assert titles(repo, owner, text="MILK") == ["med-early"]
    assert titles(repo, owner, due_after=BASE + timedelta(days=1),
                  due_before=BASE + timedelta(days=3)) == ["high-mid", "low-late"]


def test_priority_sorts_by_rank(repo, owners, tasks) -> None:
    owner, _ = owners
    assert titles(repo, owner, sort="priority") == ["low-late", "med-early", "high-none", "high-mid"]
    assert titles(repo, owner, sort="-priority") == ["high-mid", "high-none", "med-early", "low-late"]


def test_missing_due_dates_sort_last_both_ways(repo, owners, tasks) -> None:
    owner, _ = owners
    assert titles(repo, owner, sort="due_date")[-1] == "high-none"
    assert titles(repo, owner, sort="-due_date") == ["low-late", "high-mid", "med-early", "high-none"]


def test_pagination_is_done_in_sql(repo, owners, tasks) -> None:
    owner, _ = owners
    page = repo.list(owner.id, TaskQuery(sort="created_at", limit=2, offset=1))
    assert [task.title for task in page.items] == ["high-none", "med-early"]
    assert page.total == 4


def test_user_lookups_ignore_case(app_context, owners) -> None:
    users = UserRepository(db.session)
    assert users.get_by_email("U1@EXAMPLE.COM").username == "u1"
    assert users.email_taken("U2@example.com") and users.username_taken("U2")
    assert not users.username_taken("u2", except_user_id=owners[1].id)

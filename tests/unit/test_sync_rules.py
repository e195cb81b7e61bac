"""The sync feed's rules without a database: cursors, the merge of the three sources
into a page, one report per object in its latest state, and the service's refusals."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import pytest

from taskweb.domain.sync import (
    START,
    Change,
    ObjectKind,
    Position,
    change_of_event,
    change_of_row,
    format_cursor,
    merge_changes,
    parse_cursor,
    touched,
)
from taskweb.errors import ValidationFailed
from taskweb.models import Task, User
from taskweb.services.sync import SyncService

TASK, PROJECT = ObjectKind.TASK, ObjectKind.PROJECT


@pytest.mark.parametrize(("text", "position"), [
    (None, START), ("", START), ("0", Position(0)), ("42", Position(42)),
    ("0.t.7", Position(0, int(TASK), 7)), ("0.p.3", Position(0, int(PROJECT), 3)),
    (str(2**63 - 1), Position(2**63 - 1)),
])
def test_cursors_read_back_what_was_handed_out(text, position) -> None:
    assert parse_cursor(text) == position
    if text:
        assert format_cursor(position) == text


@pytest.mark.parametrize("text", ["x", "-1", "007", "1.0", "4.t.1", "0.t.0", "0.q.1",
                                  " 1", "1 ", str(2**63), "0.t." + "9" * 19, "１"])
def test_anything_else_is_not_a_cursor(text) -> None:
    with pytest.raises(ValueError, match="cursor"):
        parse_cursor(text)


def test_old_rows_count_as_zero_and_sort_projects_first_then_by_id() -> None:
    changes = sorted([change_of_row(TASK, 5, None), change_of_row(PROJECT, 9, None),
                      change_of_row(TASK, 2, None), change_of_row(TASK, 1, 3)])
    assert [(c.kind, c.object_id) for c in changes] == [(PROJECT, 9), (TASK, 2), (TASK, 5),
                                                        (TASK, 1)]


def test_a_page_merges_the_sources_in_order_and_cuts_at_the_limit() -> None:
    tasks = [change_of_row(TASK, 1, 2), change_of_row(TASK, 2, 5)]
    projects = [change_of_row(PROJECT, 1, 1)]
    events = [change_of_event(TASK, 3, 3), change_of_event(PROJECT, 4, 4)]
    page = merge_changes([projects, tasks, events], limit=3, last_number=9)
    assert [c.position.number for c in page.changes] == [1, 2, 3]
    assert page.has_more and page.cursor == "3"
    everything = merge_changes([projects, tasks, events], limit=5, last_number=9)
    assert not everything.has_more and everything.cursor == "9"


def test_a_full_page_inside_old_rows_says_where_it_stopped() -> None:
    rows = [change_of_row(TASK, n, None) for n in (4, 6, 8)]
    page = merge_changes([rows], limit=2, last_number=0)
    assert page.cursor == "0.t.6" and page.has_more


def test_each_object_is_reported_once_in_the_order_of_its_latest_change() -> None:
    changes = [change_of_row(TASK, 1, 1), change_of_row(TASK, 2, 2),
               change_of_event(TASK, 1, 3), change_of_row(PROJECT, 7, 4)]
    assert touched(changes, TASK) == [2, 1]
    assert touched(changes, PROJECT) == [7]


class FakeSyncRepository:
    """Changes as lists; ``visible`` says which objects the caller sees now."""

    def __init__(self, last: int, changes: list[Change], visible: set[int]) -> None:
        self.last, self.changes, self.visible = last, changes, visible

    def last_change_no(self) -> int:
        return self.last

    def task_changes(self, user_id: int, after: Position, last: int, limit: int):
        return [c for c in self.changes if c.kind is TASK and c.position > after
                and c.position.number <= last][:limit]

    def project_changes(self, user_id: int, after: Position, last: int, limit: int):
        return [c for c in self.changes if c.kind is PROJECT and c.position > after
                and c.position.number <= last][:limit]

    def event_changes(self, user_id: int, after: Position, last: int, limit: int):
        return []

    def visible_tasks(self, user_id: int, ids: list[int]) -> dict[int, Any]:
        return {i: Task(id=i, title=f"T{i}") for i in ids if i in self.visible}

    def visible_projects(self, user_id: int, ids: list[int]) -> dict[int, Any]:
        return {}


class FakeUnitOfWork:
    def __init__(self, sync: FakeSyncRepository) -> None:
        self.sync = sync

    def __enter__(self) -> FakeUnitOfWork:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        return None


def service(last: int, changes: list[Change], visible: set[int]) -> SyncService:
    return SyncService(FakeUnitOfWork(FakeSyncRepository(last, changes, visible)))


USER = User(id=1, email="a@example.com", username="a", hashed_password="x")


def test_what_the_caller_no_longer_sees_is_deleted_the_rest_is_itself() -> None:
    page = service(5, [change_of_row(TASK, 1, 1), change_of_row(TASK, 2, 2)], {2}
                   ).changes(USER, None)
    assert [t.id for t in page.tasks] == [2] and page.deleted_tasks == [1]
    assert page.cursor == "5" and not page.has_more


def test_the_page_size_is_the_services_to_choose() -> None:
    changes = [change_of_row(TASK, n, n) for n in range(1, 8)]
    sync = service(7, changes, set(range(1, 8)))
    first = sync.changes(USER, None, page_size=3)
    assert [t.id for t in first.tasks] == [1, 2, 3] and first.has_more
    second = sync.changes(USER, first.cursor, page_size=3)
    assert [t.id for t in second.tasks] == [4, 5, 6]


@pytest.mark.parametrize(("since", "message"), [("nope", "Not a sync cursor"),
                                                ("6", "ahead")])
def test_bad_and_future_cursors_name_since(since, message) -> None:
    with pytest.raises(ValidationFailed) as refused:
        service(5, [], set()).changes(USER, since)
    assert message in refused.value.errors["since"][0]

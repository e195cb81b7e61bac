"""parse_task_query: the one translation of list parameters into a TaskQuery."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from taskweb.errors import ValidationFailed
from taskweb.models import TaskPriority, TaskStatus
from taskweb.services.task_query import parse_task_query


def test_defaults() -> None:
    query = parse_task_query({})
    assert (query.sort, query.limit, query.offset, query.statuses, query.text) == (
        "-created_at", 20, 0, (), None
    )


def test_lists_comma_separated_and_repeated_deduplicated() -> None:
    query = parse_task_query({"status": ["todo,completed", "todo"], "priority": ["high"]})
    assert query.statuses == (TaskStatus.TODO, TaskStatus.COMPLETED)
    assert query.priorities == (TaskPriority.HIGH,)


def test_naive_datetimes_are_utc() -> None:
    query = parse_task_query({"due_before": ["2026-12-01T10:00:00"]})
    assert query.due_before == datetime(2026, 12, 1, 10, tzinfo=timezone.utc)


def test_page_turns_into_offset() -> None:
    assert parse_task_query({"page": ["3"], "limit": ["10"]}).offset == 20


def test_every_bad_parameter_is_named_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        parse_task_query({"limit": ["0"], "sort": ["owner_id"], "status": ["nope"]})
    assert set(caught.value.errors) == {"limit", "sort", "status"}


@pytest.mark.parametrize("blank", ["", "  "])
def test_blank_values_mean_no_filter(blank: str) -> None:
    query = parse_task_query({"status": [blank], "q": [blank], "sort": [blank]})
    assert query.statuses == () and query.text is None and query.sort == "-created_at"

"""The next occurrence of a repeating task, on its owner's wall clock, as a table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from taskweb.domain.completion import completion_values
from taskweb.domain.recurrence import (
    InvalidRecurrence,
    next_occurrence,
    normalize_rrule,
)
from taskweb.models import TaskStatus

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def local(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(UTC)


# (rule, zone, due as local wall-clock parts, next as local parts or None, next rule)
CASES = [
    ("FREQ=DAILY", UTC, (2026, 11, 26, 9, 0), (2026, 11, 27, 9, 0), "FREQ=DAILY"),
    ("FREQ=DAILY;INTERVAL=3", UTC, (2026, 11, 30, 9, 0), (2026, 12, 3, 9, 0), None),
    # Weekdays: Friday to Monday.
    ("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", UTC, (2026, 11, 27, 8, 0), (2026, 11, 30, 8, 0), None),
    # Weekly on several days: Tuesday to Thursday, Thursday to next Tuesday.
    ("FREQ=WEEKLY;BYDAY=TU,TH", UTC, (2026, 12, 1, 18, 0), (2026, 12, 3, 18, 0), None),
    ("FREQ=WEEKLY;BYDAY=TU,TH", UTC, (2026, 12, 3, 18, 0), (2026, 12, 8, 18, 0), None),
    ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", UTC, (2026, 11, 30, 9, 0), (2026, 12, 14, 9, 0), None),
    # Monthly on the 31st skips the months without one (RFC 5545).
    ("FREQ=MONTHLY;BYMONTHDAY=31", UTC, (2027, 1, 31, 9, 0), (2027, 3, 31, 9, 0), None),
    ("FREQ=MONTHLY", UTC, (2027, 3, 31, 9, 0), (2027, 5, 31, 9, 0), None),
    # Yearly on 29 February: the next leap year, and 2100 is not one.
    ("FREQ=YEARLY", UTC, (2028, 2, 29, 9, 0), (2032, 2, 29, 9, 0), None),
    ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", UTC, (2096, 2, 29, 9, 0), (2104, 2, 29, 9, 0),
     None),
    # Daylight saving: 9:00 stays 9:00 local, in both directions.
    ("FREQ=DAILY", BERLIN, (2026, 3, 28, 9, 0), (2026, 3, 29, 9, 0), None),
    ("FREQ=DAILY", BERLIN, (2026, 10, 24, 9, 0), (2026, 10, 25, 9, 0), None),
    ("FREQ=DAILY", NEW_YORK, (2026, 3, 7, 9, 0), (2026, 3, 8, 9, 0), None),
    ("FREQ=WEEKLY", NEW_YORK, (2026, 10, 31, 9, 0), (2026, 11, 7, 9, 0), None),
    # A time the spring change skips is read with the offset before it (3:30 CEST).
    ("FREQ=DAILY", BERLIN, (2026, 3, 28, 2, 30), (2026, 3, 29, 2, 30), None),
    # UNTIL (local; a date alone includes that day) and COUNT end a series.
    ("FREQ=DAILY;UNTIL=20261201", UTC, (2026, 11, 30, 9, 0), (2026, 12, 1, 9, 0), None),
    ("FREQ=DAILY;UNTIL=20261201", UTC, (2026, 12, 1, 9, 0), None, None),
    ("FREQ=DAILY;UNTIL=20261201T080000", UTC, (2026, 11, 30, 9, 0), None, None),
    ("FREQ=DAILY;COUNT=3", UTC, (2026, 11, 26, 9, 0), (2026, 11, 27, 9, 0), "FREQ=DAILY;COUNT=2"),
    ("FREQ=DAILY;COUNT=2;INTERVAL=2", UTC, (2026, 11, 26, 9, 0), (2026, 11, 28, 9, 0),
     "FREQ=DAILY;COUNT=1;INTERVAL=2"),
    ("FREQ=DAILY;COUNT=1", UTC, (2026, 11, 26, 9, 0), None, None),
]


@pytest.mark.parametrize(("rule", "zone", "due", "expected", "next_rule"), CASES)
def test_next_occurrence(rule, zone, due, expected, next_rule) -> None:
    found = next_occurrence(rule, local(zone, *due), zone)
    if expected is None:
        assert found is None
        return
    assert found is not None
    assert found.due == local(zone, *expected)
    assert found.due.tzinfo is UTC
    assert found.rule == (next_rule or rule)


def test_dst_keeps_the_wall_clock_not_the_interval() -> None:
    found = next_occurrence("FREQ=DAILY", local(BERLIN, 2026, 3, 28, 9, 0), BERLIN)
    assert found is not None
    assert found.due - local(BERLIN, 2026, 3, 28, 9, 0) == timedelta(hours=23)
    assert found.due.hour == 7  # 9:00 CEST


def test_the_same_instant_repeats_on_each_owners_own_clock() -> None:
    due = datetime(2026, 3, 28, 14, 0, tzinfo=UTC)  # 15:00 in Berlin, 10:00 in New York
    in_berlin = next_occurrence("FREQ=WEEKLY", due, BERLIN)
    in_new_york = next_occurrence("FREQ=WEEKLY", due, NEW_YORK)
    assert in_berlin is not None and in_new_york is not None
    assert in_berlin.due == datetime(2026, 4, 4, 13, 0, tzinfo=UTC)
    assert in_new_york.due == datetime(2026, 4, 4, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize("rule", ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
                                  "FREQ=YEARLY;BYMONTH=4,6;BYMONTHDAY=31",
                                  "FREQ=DAILY;UNTIL=2026",
                                  "FREQ=DAILY;UNTIL=20261201T080000Z"])
def test_rules_that_cannot_be_followed_are_refused(rule) -> None:
    with pytest.raises(InvalidRecurrence):
        normalize_rrule(rule)


def test_completing_advances_a_repeating_task_and_completes_the_rest() -> None:
    now, due = datetime(2026, 11, 26, 10, tzinfo=UTC), datetime(2026, 11, 26, 9, tzinfo=UTC)
    assert completion_values("FREQ=DAILY", due, UTC, now) == {
        "status": TaskStatus.TODO, "due_date": datetime(2026, 11, 27, 9, tzinfo=UTC),
        "recurrence": "FREQ=DAILY", "completed_at": None}
    done = {"status": TaskStatus.COMPLETED, "completed_at": now}
    assert completion_values(None, due, UTC, now) == done
    assert completion_values("FREQ=DAILY;COUNT=1", due, UTC, now) == done
    assert completion_values("FREQ=DAILY", None, UTC, now) == done

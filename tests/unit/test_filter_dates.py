"""The dates of a filter read in a time zone at a moment: each form as the window of
UTC instants it stands for."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from taskweb.domain.filter_dates import Missing, Overdue, Window, resolve_dates
from taskweb.domain.filter_grammar import And, Not, Or, Term, Text, parse_filter

BERLIN = ZoneInfo("Europe/Berlin")  # UTC+1 in winter
# Thursday 26 November 2026, 23:30 in Berlin: already Friday in Tokyo, still Thursday in UTC.
NOW = datetime(2026, 11, 26, 22, 30, tzinfo=UTC)


def berlin(day: int, month: int = 11) -> datetime:
    """The UTC instant a day of 2026 starts in Berlin."""
    return datetime(2026, month, day, tzinfo=BERLIN).astimezone(UTC)


@pytest.mark.parametrize(("query", "expected"), [
    ("due:today", Window("due", berlin(26), berlin(27))),
    ("due:tomorrow", Window("due", berlin(27), berlin(28))),
    ("due:yesterday", Window("due", berlin(25), berlin(26))),
    ("due:this-week", Window("due", berlin(23), berlin(30))),  # Monday to Sunday
    ("due:next-7-days", Window("due", berlin(26), berlin(3, 12))),
    ("due:2026-12-01", Window("due", berlin(1, 12), berlin(2, 12))),
    ("due:<2026-12-01", Window("due", None, berlin(1, 12))),
    ("due:<=2026-12-01", Window("due", None, berlin(2, 12))),
    ("due:>2026-12-01", Window("due", berlin(2, 12), None)),
    ("due:>=2026-12-01", Window("due", berlin(1, 12), None)),
    ("due:<=next-7-days", Window("due", None, berlin(3, 12))),
    ("created:2026-12-01..2026-12-03", Window("created", berlin(1, 12), berlin(4, 12))),
    ("updated:today..tomorrow", Window("updated", berlin(26), berlin(28))),
    ("due:none", Missing("due")),
    ("due:overdue", Overdue(berlin(26), NOW)),
    ("due:today,none", Or((Window("due", berlin(26), berlin(27)), Missing("due")))),
    ("-due:today milk", And((Not(Window("due", berlin(26), berlin(27))), Text("milk")))),
    ("status:todo", Term("status", ("todo",))),
])
def test_each_date_form_is_a_window_in_the_zone(query: str, expected: object) -> None:
    node = parse_filter(query)
    assert node is not None
    assert resolve_dates(node, NOW, BERLIN) == expected


def test_today_follows_the_zone() -> None:
    node = parse_filter("due:today")
    assert node is not None
    tokyo = resolve_dates(node, NOW, ZoneInfo("Asia/Tokyo"))
    assert tokyo == Window("due", datetime(2026, 11, 26, 15, tzinfo=UTC),
                           datetime(2026, 11, 27, 15, tzinfo=UTC))


def test_the_ends_of_the_calendar_leave_the_window_open() -> None:
    node = parse_filter("due:9999-12-31")
    assert node is not None
    window = resolve_dates(node, NOW, UTC)
    assert window == Window("due", datetime(9999, 12, 31, tzinfo=UTC), None)

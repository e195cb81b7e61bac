"""The dates of a filter, read in a person's time zone at a given moment.

``resolve_dates`` replaces each date term of a filter AST (``due:today``,
``created:<=2026-12-01``, ``due:overdue``) with nodes that name UTC instants, so the
repository compiles plain comparisons and the query means the same whoever runs it:

- A day or a period (``today``, ``this-week``, ``2026-12-01``) is the half-open window
  from the start of its first day to the start of the day after its last, in the zone.
  ``this-week`` is Monday to Sunday; ``next-7-days`` is today and the six days after.
- ``<X`` is before X's first day, ``<=X`` up to the end of its last day, ``>X`` after
  its last day, ``>=X`` from its first day; ``A..B`` from A's first day to B's last.
- ``due:overdue`` is an open task whose due date has passed, as ``domain.dates`` reads
  it: a due date without a time (the start of a day) is overdue once its day is over,
  one with a time once that moment has passed.
- ``due:none`` is a task without a due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from taskweb.domain.dates import today_in, utc_instant
from taskweb.domain.filter_grammar import (
    DATE_KEYS,
    NONE,
    ON,
    OVERDUE,
    RANGE,
    And,
    DateValue,
    Node,
    Not,
    Or,
    Term,
)


@dataclass(frozen=True)
class Window:
    """``start <= key < end`` (a missing bound is open); ``key`` is due, created or
    updated."""

    key: str
    start: datetime | None
    end: datetime | None


@dataclass(frozen=True)
class Missing:
    """The date ``key`` is not set."""

    key: str


@dataclass(frozen=True)
class Overdue:
    """An open task due before ``start_of_today``, or later today but before ``now``."""

    start_of_today: datetime
    now: datetime


ResolvedNode = Node | Window | Missing | Overdue


def resolve_dates(node: Node, now: datetime, zone: tzinfo) -> ResolvedNode:
    """``node`` with every date term made of UTC instants (see the module docstring)."""
    if isinstance(node, And):
        return And(tuple(resolve_dates(operand, now, zone) for operand in node.operands))
    if isinstance(node, Or):
        return Or(tuple(resolve_dates(operand, now, zone) for operand in node.operands))
    if isinstance(node, Not):
        return Not(resolve_dates(node.operand, now, zone))
    if isinstance(node, Term) and node.key in DATE_KEYS:
        resolved = [_resolve_value(node.key, value, now, zone) for value in node.values
                    if isinstance(value, DateValue)]
        return resolved[0] if len(resolved) == 1 else Or(tuple(resolved))
    return node


def _resolve_value(key: str, value: DateValue, now: datetime, zone: tzinfo) -> ResolvedNode:
    today = today_in(now, zone)
    if value.first == NONE:
        return Missing(key)
    if value.first == OVERDUE:
        return Overdue(_start(today, zone) or now, now)
    first_day, after_first = _days(value.first, today)
    if value.op == ON:
        return Window(key, _start(first_day, zone), _start(after_first, zone))
    if value.op == RANGE:
        assert value.last is not None
        after_last = _days(value.last, today)[1]
        return Window(key, _start(first_day, zone), _start(after_last, zone))
    if value.op == "<":
        return Window(key, None, _start(first_day, zone))
    if value.op == "<=":
        return Window(key, None, _start(after_first, zone))
    if value.op == ">":
        return Window(key, _start(after_first, zone), None)
    return Window(key, _start(first_day, zone), None)  # ">="


def _days(bound: date | str, today: date) -> tuple[date | None, date | None]:
    """The first day of ``bound`` and the day after its last (None past the calendar's
    ends, where the window is open)."""
    if isinstance(bound, date):
        return bound, _plus(bound, 1)
    if bound == "today":
        return today, _plus(today, 1)
    if bound == "tomorrow":
        return _plus(today, 1), _plus(today, 2)
    if bound == "yesterday":
        return _plus(today, -1), today
    if bound == "this-week":
        monday = _plus(today, -today.weekday())
        return monday, _plus(today, 7 - today.weekday())
    return today, _plus(today, 7)  # next-7-days


def _plus(day: date | None, days: int) -> date | None:
    if day is None:
        return None
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def _start(day: date | None, zone: tzinfo) -> datetime | None:
    """The UTC instant a day starts in ``zone``; None at the calendar's ends."""
    if day is None:
        return None
    try:
        return utc_instant(day, None, zone)
    except (OverflowError, ValueError):
        return None

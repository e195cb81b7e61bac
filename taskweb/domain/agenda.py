"""Today and Upcoming: which open tasks fall on which local day, in plain Python.

The repository hands over the open tasks due before a bound (one query, ordered by due
date, then priority, then id); this module decides, in the person's time zone, which of
them are overdue, which are due on each day, and how the days read ("Today", "Tomorrow",
"Friday 27 November"). Consecutive days with nothing due fold into one line, so a quiet
fortnight is a few lines, not fourteen headings.

What "overdue" means is ``domain.dates.is_overdue``: a date without a time is overdue
once its day is over, one with a time as soon as that moment has passed. So a task due
today at 09:00 is overdue at 10:00, while one due today (no time) is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from taskweb.domain.dates import is_overdue, today_in, utc_instant

# Upcoming covers this many days, today included.
UPCOMING_DAYS = 14


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The UTC instant ``day`` begins in ``zone`` (the bound of an agenda query)."""
    return utc_instant(day, None, zone)


def end_of_today(now: datetime, zone: tzinfo) -> datetime:
    """The first instant after today in ``zone``: Today shows tasks due before it."""
    return start_of_day(today_in(now, zone) + timedelta(days=1), zone)


def end_of_upcoming(now: datetime, zone: tzinfo, days: int = UPCOMING_DAYS) -> datetime:
    """The first instant after the last day Upcoming shows."""
    return start_of_day(today_in(now, zone) + timedelta(days=days), zone)


def day_heading(day: date, today: date) -> str:
    """A day's heading: "Today", "Tomorrow", else "Friday 27 November"."""
    if day == today:
        return "Today"
    if day == today + timedelta(days=1):
        return "Tomorrow"
    return f"{day:%A} {day.day} {day:%B}"


def short_day(day: date) -> str:
    """A day in few characters: "Sun 29 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"


def long_day(day: date) -> str:
    """A day in full: "Thursday 26 November 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


@dataclass(frozen=True)
class DayGroup:
    """The tasks due on one local day."""

    day: date
    heading: str
    tasks: list[Any]

    @property
    def anchor(self) -> str:
        return f"day-{self.day.isoformat()}"


@dataclass(frozen=True)
class QuietDays:
    """One day, or a run of consecutive days, with nothing due."""

    first: date
    last: date

    @property
    def words(self) -> str:
        if self.first == self.last:
            return f"{short_day(self.first)}: nothing due"
        return f"{short_day(self.first)} – {short_day(self.last)}: nothing due"


@dataclass
class TodayAgenda:
    """Open tasks due today, overdue ones first (each group in due-date order, then by
    priority). ``truncated`` says more tasks were due than were read."""

    day: date
    overdue: list[Any] = field(default_factory=list)
    due_today: list[Any] = field(default_factory=list)
    truncated: bool = False

    @property
    def total(self) -> int:
        return len(self.overdue) + len(self.due_today)

    @property
    def summary(self) -> str:
        """The view's count in words (announced when it changes)."""
        if not self.total:
            return "Nothing due today"
        parts = [f"{len(self.overdue)} overdue"] if self.overdue else []
        parts += [f"{len(self.due_today)} due today"] if self.due_today else []
        more = " (the first ones shown)" if self.truncated else ""
        return f"{_tasks(self.total)}: {', '.join(parts)}{more}"


@dataclass
class UpcomingAgenda:
    """Open tasks of the next days: overdue ones in their own group, then each day with
    its tasks or, for quiet days, a folded line."""

    today: date
    overdue: list[Any] = field(default_factory=list)
    days: list[DayGroup | QuietDays] = field(default_factory=list)
    truncated: bool = False

    @property
    def total(self) -> int:
        return len(self.overdue) + sum(len(group.tasks) for group in self.days
                                       if isinstance(group, DayGroup))

    @property
    def last_day(self) -> date:
        return self.days[-1].last if isinstance(self.days[-1], QuietDays) \
            else self.days[-1].day

    @property
    def summary(self) -> str:
        if not self.total:
            return f"Nothing due in the next {len(_span(self.today, self.last_day))} days"
        overdue = f", {len(self.overdue)} overdue" if self.overdue else ""
        more = " (the first ones shown)" if self.truncated else ""
        return f"{_tasks(self.total)}{overdue}{more}"


def _tasks(count: int) -> str:
    return f"{count} task{'' if count == 1 else 's'}"


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _overdue_first(tasks: Iterable[Any], now: datetime, zone: tzinfo
                   ) -> tuple[list[Any], list[Any]]:
    """The tasks split into (overdue, not overdue), each keeping the order given."""
    overdue: list[Any] = []
    rest: list[Any] = []
    for task in tasks:
        (overdue if is_overdue(task.due_date, now, zone) else rest).append(task)
    return overdue, rest


def today_agenda(tasks: Sequence[Any], now: datetime, zone: tzinfo,
                 truncated: bool = False) -> TodayAgenda:
    """Today's view of ``tasks`` (open ones due before the end of today, in order)."""
    overdue, due_today = _overdue_first(tasks, now, zone)
    return TodayAgenda(today_in(now, zone), overdue, due_today, truncated)


def upcoming_agenda(tasks: Sequence[Any], now: datetime, zone: tzinfo,
                    days: int = UPCOMING_DAYS, truncated: bool = False) -> UpcomingAgenda:
    """Upcoming's view of ``tasks`` (open ones due before the end of the last day shown,
    in order): overdue ones, then the ``days`` days from today, quiet runs folded."""
    today = today_in(now, zone)
    overdue, rest = _overdue_first(tasks, now, zone)
    by_day: dict[date, list[Any]] = {}
    for task in rest:
        by_day.setdefault(today_in(task.due_date, zone), []).append(task)
    groups: list[DayGroup | QuietDays] = []
    for day in _span(today, today + timedelta(days=days - 1)):
        due = by_day.get(day)
        if due:
            groups.append(DayGroup(day, day_heading(day, today), due))
        elif groups and isinstance(groups[-1], QuietDays):
            groups[-1] = QuietDays(groups[-1].first, day)
        else:
            groups.append(QuietDays(day, day))
    return UpcomingAgenda(today, overdue, groups, truncated)

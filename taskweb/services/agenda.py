"""The views people live in: Today and Upcoming, across every project the caller
belongs to. One query each (the open tasks due before the end of the view, in due-date
order); which day each task falls on, in the caller's zone, is decided in
``domain/agenda.py``."""

from __future__ import annotations

from datetime import datetime, tzinfo

from taskweb.domain.agenda import (
    UPCOMING_DAYS,
    TodayAgenda,
    UpcomingAgenda,
    end_of_today,
    end_of_upcoming,
    today_agenda,
    upcoming_agenda,
)
from taskweb.models import Task, User
from taskweb.services.ports import Clock, system_clock
from taskweb.unit_of_work import UnitOfWork

# A view reads at most this many tasks: enough for any real day, and a bound on the
# page's size for somebody with years of overdue tasks.
AGENDA_LIMIT = 200


class AgendaService:
    def __init__(self, uow: UnitOfWork, clock: Clock = system_clock,
                 limit: int = AGENDA_LIMIT) -> None:
        self.uow = uow
        self.clock = clock
        self.limit = limit

    def today(self, user: User, zone: tzinfo) -> TodayAgenda:
        """Open tasks due today in ``zone`` and overdue ones, overdue first."""
        now = self.clock()
        tasks, truncated = self._due_before(user, end_of_today(now, zone))
        return today_agenda(tasks, now, zone, truncated)

    def upcoming(self, user: User, zone: tzinfo, days: int = UPCOMING_DAYS) -> UpcomingAgenda:
        """Open tasks due in the ``days`` days from today in ``zone``, by day, with the
        overdue ones in a group of their own."""
        now = self.clock()
        tasks, truncated = self._due_before(user, end_of_upcoming(now, zone, days))
        return upcoming_agenda(tasks, now, zone, days, truncated)

    def today_count(self, user: User, zone: tzinfo) -> int:
        """How many tasks Today shows (without its limit): one count statement."""
        return self.uow.tasks.count_open_due_before(user.id, end_of_today(self.clock(), zone))

    def _due_before(self, user: User, before: datetime) -> tuple[list[Task], bool]:
        # One more than the limit tells whether there were more.
        tasks = self.uow.tasks.open_due_before(user.id, before, self.limit + 1)
        return tasks[:self.limit], len(tasks) > self.limit

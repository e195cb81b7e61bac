"""Due dates in a person's own time zone.

A due date is stored as one UTC instant. People pick a calendar date and, if they wish,
a time, in their own zone; what they mean depends on that zone, so every conversion
between the two takes it explicitly:

- A date without a time is stored as the start of that day (00:00) in the person's
  zone and means "some time that day": it is due all that day and overdue from the
  next day on. A time of exactly 00:00 reads the same way. Dates sent to the API
  without a time (midnight UTC) are read like this by a person whose zone is UTC.
- A date with a time is overdue once that moment has passed.
- "Today" is ``today_in(now, zone)``: the one definition of the current day, used by
  the pages and the forms alike.

Plain Python, no Flask: the browser adapter decides which zone a request is in.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC_ZONE = ZoneInfo("UTC")
START_OF_DAY = time(0, 0)
# IANA names: "UTC", "Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5".
_ZONE_NAME_RE = re.compile(r"[A-Za-z0-9_+\-]{1,30}(?:/[A-Za-z0-9_+\-]{1,30}){0,2}")


def zone_named(name: str | None) -> ZoneInfo:
    """The IANA time zone called ``name``; UTC for anything unknown or malformed."""
    if not name or not _ZONE_NAME_RE.fullmatch(name):
        return UTC_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return UTC_ZONE


def in_zone(instant: datetime, zone: tzinfo) -> datetime:
    """``instant`` on the wall clock of ``zone`` (in UTC at the very ends of the calendar,
    where the local time would fall outside the years Python can hold)."""
    try:
        return instant.astimezone(zone)
    except OverflowError:
        return instant.astimezone(UTC)


def today_in(instant: datetime, zone: tzinfo) -> date:
    """The calendar day it is in ``zone`` at ``instant``."""
    return in_zone(instant, zone).date()


def local_date_and_time(instant: datetime, zone: tzinfo) -> tuple[date, time | None]:
    """The day and time that ``instant`` shows in ``zone``; no time at the start of a day
    (a due date without a time)."""
    local = in_zone(instant, zone)
    clock = local.time().replace(tzinfo=None)
    return local.date(), (None if clock == START_OF_DAY else clock)


def utc_instant(day: date, at: time | None, zone: tzinfo) -> datetime:
    """The UTC instant of ``day`` at ``at`` in ``zone``; the start of the day without a
    time. Raises OverflowError at the very ends of the calendar."""
    local = datetime.combine(day, (at or START_OF_DAY).replace(tzinfo=None), tzinfo=zone)
    return local.astimezone(UTC)


def is_overdue(due: datetime, now: datetime, zone: tzinfo) -> bool:
    """A due date without a time is overdue once its day is over in ``zone``; one with
    a time as soon as that moment has passed."""
    day, at = local_date_and_time(due, zone)
    if at is None:
        return day < today_in(now, zone)
    return due < now

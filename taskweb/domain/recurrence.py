"""Recurrence rules: an RFC 5545 RRULE value (``FREQ=WEEKLY;BYDAY=MO``) without the
``RRULE:`` prefix, checked by dateutil's own RRULE parser.

A task repeats on a calendar (daily to yearly); finer frequencies are refused. Checking
never expands a rule. ``next_occurrence`` does, so rules naming only dates that do not
exist (February 30th) are refused: dateutil would search them until the year 9999.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, tzinfo

from dateutil.rrule import rrulestr

RECURRENCE_MAX = 500  # the column's length
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
INTERVAL_MAX = 1000
_PART_RE = re.compile(r"[A-Z]+=[A-Z0-9,+\-]+")
# Any fixed start will do: the parser needs one to build the rule.
_SOME_START = datetime(2000, 1, 1)


class InvalidRecurrence(ValueError):
    """The text is not a recurrence rule we accept; the message says why."""


def normalize_rrule(text: str) -> str:
    """``text`` as a checked RRULE in upper case, or InvalidRecurrence."""
    rule = text.strip().upper()
    if not rule:
        raise InvalidRecurrence("Must not be empty (use null for no recurrence).")
    if len(rule) > RECURRENCE_MAX:
        raise InvalidRecurrence(f"Must be at most {RECURRENCE_MAX} characters.")
    if rule.startswith("RRULE:"):
        raise InvalidRecurrence("Write the rule without the 'RRULE:' prefix, "
                                "such as FREQ=WEEKLY;BYDAY=MO.")
    parts = rule.split(";")
    if not all(_PART_RE.fullmatch(part) for part in parts):
        raise InvalidRecurrence("Must be an RFC 5545 RRULE such as FREQ=WEEKLY;BYDAY=MO: "
                                "NAME=value pairs separated by ';'.")
    values: dict[str, str] = {}
    for part in parts:
        name, value = part.split("=", 1)
        if name in values:
            raise InvalidRecurrence(f"{name} is given more than once.")
        values[name] = value
    if values.get("FREQ") not in FREQUENCIES:
        raise InvalidRecurrence(f"FREQ must be one of: {', '.join(FREQUENCIES)}.")
    interval = values.get("INTERVAL", "1")
    if not interval.isdigit() or not 1 <= int(interval) <= INTERVAL_MAX:
        raise InvalidRecurrence(f"INTERVAL must be a whole number from 1 to {INTERVAL_MAX}.")
    try:
        rrulestr(rule, dtstart=_SOME_START)
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as error:
        raise InvalidRecurrence(f"Not a valid RRULE: {error}.") from None
    if _names_no_date(values):
        raise InvalidRecurrence("BYMONTH and BYMONTHDAY name no date that exists "
                                "(such as February 30th).")
    if "UNTIL" in values:
        _until_of(values["UNTIL"])
    return rule


_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
              "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
_UNIT_OF = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_WEEKDAYS = "MO,TU,WE,TH,FR"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
    return f"{number}{suffix}"


def _in_words(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _ending(values: dict[str, str]) -> str:
    """", 3 times" or " until 1 Dec 2026" for COUNT and UNTIL (taken out of ``values``)."""
    count, until = values.pop("COUNT", None), values.pop("UNTIL", None)
    if count is not None:
        return f", {count} time" + ("" if count == "1" else "s")
    if until is not None:
        try:
            day = _until_of(until)
        except InvalidRecurrence:
            return f" until {until}"
        return f" until {day.day} {day:%b %Y}"
    return ""


def describe_rule(rule: str) -> str:
    """A checked rule in words ("Every 2 weeks on Monday", "Every weekday, 3 times");
    rules beyond these words are shown as they are."""
    values = _rule_parts(rule)
    unit = _UNIT_OF.get(values.pop("FREQ", ""))
    interval = int(values.pop("INTERVAL", "1"))
    ending = _ending(values)
    every = "Every" if interval == 1 else f"Every {interval}"
    if unit is None or len(values) > 1 or interval < 1:
        return rule
    units = f"{every} {unit}" + ("s" if interval > 1 else "")
    if not values:
        return units + ending
    days = values.get("BYDAY", "").split(",")
    if unit == "week" and values.get("BYDAY") == _WEEKDAYS and interval == 1:
        return "Every weekday" + ending
    if unit == "week" and all(day in _DAY_NAMES for day in days):
        names = _in_words([_DAY_NAMES[day] for day in days])
        return (f"Every {names}" if interval == 1 else f"{units} on {names}") + ending
    day = values.get("BYMONTHDAY", "")
    if unit == "month" and day.isdigit():
        return f"{units} on the {_ordinal(int(day))}" + ending
    return rule


# The longest each month can be (February: in a leap year).
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_UNTIL_FORMATS = ("%Y%m%dT%H%M%S", "%Y%m%d")


@dataclass(frozen=True)
class Occurrence:
    """The next due date of a series and the rule that continues it from there."""

    due: datetime  # UTC
    rule: str


def _rule_parts(rule: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in rule.split(";"))


def _names_no_date(parts: dict[str, str]) -> bool:
    """True when every BYMONTH and BYMONTHDAY pairing is a date no year has (2-30)."""
    months, days = parts.get("BYMONTH"), parts.get("BYMONTHDAY")
    if not months or not days:
        return False
    try:
        pairs = [(int(month), int(day)) for month in months.split(",")
                 for day in days.split(",")]
    except ValueError:
        return False
    return all(1 <= month <= 12 and abs(day) > _MONTH_DAYS[month - 1]
               for month, day in pairs)


def _until_of(value: str) -> datetime:
    """UNTIL as local wall-clock time; a date alone includes that whole day."""
    for layout in _UNTIL_FORMATS:
        try:
            until = datetime.strptime(value, layout)
        except ValueError:
            continue
        return until if "T" in value else datetime.combine(until.date(), time.max)
    raise InvalidRecurrence(f"UNTIL must be a date or a local date-time, not {value}.")


def next_occurrence(rule: str, due: datetime, zone: tzinfo) -> Occurrence | None:
    """The occurrence of ``rule`` strictly after ``due``, or None when the series ends.

    The rule runs on ``zone``'s wall clock with the old due date as DTSTART, so a task
    due every day at 9:00 stays at 9:00 local across daylight-saving changes (a time
    that a change skips is read with the offset before it). COUNT counts the
    occurrences left including ``due``: the continuing rule has one fewer, and
    COUNT=1 was the last. UNTIL (local time) ends the series too.
    """
    parts = _rule_parts(rule)
    count = int(parts.pop("COUNT")) if "COUNT" in parts else None
    if count is not None and count <= 1:
        return None
    if _names_no_date(parts):
        return None
    start = due.astimezone(zone).replace(tzinfo=None, microsecond=0)
    until = _until_of(parts.pop("UNTIL")) if "UNTIL" in parts else None
    series = rrulestr(";".join(f"{name}={value}" for name, value in parts.items()),
                      dtstart=start).replace(until=until)
    following = series.after(start, inc=False)
    if following is None:
        return None
    due_next = following.replace(tzinfo=zone).astimezone(UTC)
    if count is not None:
        rule = ";".join(f"COUNT={count - 1}" if part.startswith("COUNT=") else part
                        for part in rule.split(";"))
    return Occurrence(due_next, rule)

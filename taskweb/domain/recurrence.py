"""Recurrence rules: an RFC 5545 RRULE value (``FREQ=WEEKLY;BYDAY=MO``) without the
``RRULE:`` prefix, checked by dateutil's own RRULE parser.

A task repeats on a calendar (daily to yearly); finer frequencies are refused. The rule
is only checked here, never expanded: expanding some valid-looking rules (an interval of
0, February 30th every year) would loop for a long time, so nothing in a request does.
"""

from __future__ import annotations

import re
from datetime import datetime

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
    return rule


_DAY_NAMES = {"MO": "Monday", "TU": "Tuesday", "WE": "Wednesday", "TH": "Thursday",
              "FR": "Friday", "SA": "Saturday", "SU": "Sunday"}
_UNIT_OF = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}
_WEEKDAYS = "MO,TU,WE,TH,FR"


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
        number % 10, "th")
    return f"{number}{suffix}"


def describe_rule(rule: str) -> str:
    """A checked rule in words ("Every 2 weeks", "Every Monday"); rules quick add does
    not write are shown as they are."""
    values = dict(part.split("=", 1) for part in rule.split(";"))
    unit = _UNIT_OF.get(values.pop("FREQ", ""))
    interval = int(values.pop("INTERVAL", "1"))
    every = "Every" if interval == 1 else f"Every {interval}"
    if unit is None or len(values) > 1 or interval < 1:
        return rule
    if not values:
        return f"{every} {unit}" + ("s" if interval > 1 else "")
    if unit == "week" and values.get("BYDAY") == _WEEKDAYS and interval == 1:
        return "Every weekday"
    if unit == "week" and values.get("BYDAY") in _DAY_NAMES and interval == 1:
        return f"Every {_DAY_NAMES[values['BYDAY']]}"
    day = values.get("BYMONTHDAY", "")
    if unit == "month" and day.isdigit() and interval == 1:
        return f"Every month on the {_ordinal(int(day))}"
    return rule

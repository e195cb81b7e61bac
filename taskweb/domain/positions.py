"""Manual order: every task has a position, a string; tasks sort by it, byte-wise.

A new task's position comes from the clock (16 hex digits of microseconds), so new tasks
go to the end in the order they were made, with no query for the last position. Moving a
task between two others gives it a key between theirs, so
a move writes one row and never renumbers its siblings (until the keys between two
neighbours grow too long, when the list is respaced once).
"""

from __future__ import annotations

import time


def new_position() -> str:
    """A key after every key handed out before it by this clock."""
    return f"{time.time_ns() // 1000:016x}"


def position_of_existing(task_id: int) -> str:
    """The key the migration gives a task made before positions existed: before every
    clock key, in id order (16 hex digits, like the clock's)."""
    return f"{task_id:016x}"


# Keys between two others are written in these 36 digits only: digits and lower-case
# letters compare the same byte-wise and under any database collation (en_US included,
# where upper and lower case interleave), so the index's order is the string order.
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
# Past this length a project's list is respaced before the key is handed out; the
# column holds 64 characters.
MAX_KEY_LENGTH = 48
# Respaced keys: 16 hex digits (like the clock's, so tasks created later still go last),
# 2**20 apart, so that thousands of moves fit between two of them before the next respace.
RESPACE_STEP = 1 << 20


class NoRoom(ValueError):
    """No key fits between the two given (they are equal or out of order, or the lower
    bound is empty and the upper one all zeros): the list must be respaced first."""


def _midpoint(low: str, high: str | None) -> str:
    """A key strictly between ``low`` and ``high`` (None: past every key), read as
    base-36 fractions; it never ends in "0", so there is always room below it."""
    if high is not None:
        common = 0
        while common < len(high) and (low[common] if common < len(low) else "0") == high[common]:
            common += 1
        if common == len(high):
            raise NoRoom(f"no key between {low!r} and {high!r}")
        if common:
            return high[:common] + _midpoint(low[common:], high[common:])
    digit_low = DIGITS.index(low[0]) if low else 0
    digit_high = DIGITS.index(high[0]) if high is not None else len(DIGITS)
    if digit_high - digit_low > 1:
        return DIGITS[(digit_low + digit_high + 1) // 2]
    if high is not None and len(high) > 1:
        return high[:1]
    return DIGITS[digit_low] + _midpoint(low[1:], None)


def key_between(low: str | None, high: str | None) -> str:
    """A position after ``low`` and before ``high`` (None: no neighbour on that side).

    Raises NoRoom when none fits; the caller then respaces the list and asks again.
    """
    low = low or ""
    if any(c not in DIGITS for c in low + (high or "")):
        raise NoRoom("a key outside the position alphabet")
    if high is not None and low >= high:
        raise NoRoom(f"{low!r} is not before {high!r}")
    return _midpoint(low, high)


def key_after(last: str | None) -> str:
    """A position after ``last`` (the end of a list): the clock's key when it is later,
    so the tasks created afterwards still go after this one."""
    clock = new_position()
    if last is None or clock > last:
        return clock
    return key_between(last, None)


def needs_respace(key: str) -> bool:
    return len(key) > MAX_KEY_LENGTH


def respaced_keys(count: int) -> list[str]:
    """``count`` evenly spaced keys in order, all before the clock's keys."""
    return [f"{(index + 1) * RESPACE_STEP:016x}" for index in range(count)]

"""Manual order: every task has a position, a string; tasks sort by it, byte-wise.

A new task's position comes from the clock (16 hex digits of microseconds), so new tasks
go to the end in the order they were made, with no query for the last position. Moving a
task between two others gives it a key between theirs (the board, in a later issue), so
a move writes one row and never renumbers its siblings.
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

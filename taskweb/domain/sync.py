"""The sync feed's positions, cursors and pages, in plain Python.

Every change has a position: its change number, then (only to order the rows older than
the feed, which all count as number 0) projects before tasks, then the object's id.
Numbers above 0 are unique (one sequence numbers every row and event), so a cursor past
0 is just the number; a cursor inside the old rows says where among them it stopped.
The cursor is opaque to clients: they send back what they were given.
"""

from __future__ import annotations

import enum
import heapq
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PAGE_SIZE = 500
# A number is a PostgreSQL bigint.
NUMBER_MAX = 2**63 - 1


class ObjectKind(enum.IntEnum):
    """What a change is about; the value orders the old (number 0) rows."""

    PROJECT = 0
    TASK = 1


_LETTER = {ObjectKind.PROJECT: "p", ObjectKind.TASK: "t"}
_KIND_OF_LETTER = {letter: kind for kind, letter in _LETTER.items()}
# Past every kind: "everything numbered up to and including this number".
_AFTER_ALL = 2
_CURSOR_RE = re.compile(r"^(?:(?P<number>0|[1-9][0-9]{0,18})"
                        r"|0\.(?P<kind>[pt])\.(?P<id>[1-9][0-9]{0,18}))$")


@dataclass(frozen=True, order=True)
class Position:
    number: int
    rank: int = _AFTER_ALL
    object_id: int = 0

    @property
    def is_start(self) -> bool:
        return self.number < 0


START = Position(-1)


@dataclass(frozen=True, order=True)
class Change:
    """One change of an object the caller may see (or could see until then)."""

    position: Position
    kind: ObjectKind
    object_id: int


def change_of_row(kind: ObjectKind, object_id: int, number: int | None) -> Change:
    """The change a task or project row stands for (NULL numbers count as 0)."""
    return Change(Position(number or 0, int(kind), object_id), kind, object_id)


def change_of_event(kind: ObjectKind, object_id: int, number: int) -> Change:
    return Change(Position(number, int(kind), object_id), kind, object_id)


def parse_cursor(text: str | None) -> Position:
    """The position a client's cursor names; START without one. ``ValueError`` when it
    is not a cursor this server hands out."""
    if text is None or text == "":
        return START
    match = _CURSOR_RE.match(text)
    if match is None:
        raise ValueError("Not a sync cursor: send back the cursor of a previous answer, "
                         "or none to start over.")
    if match["number"] is not None:
        number = int(match["number"])
        if number > NUMBER_MAX:
            raise ValueError("Not a sync cursor: the number is out of range.")
        return Position(number)
    object_id = int(match["id"])
    if object_id > NUMBER_MAX:
        raise ValueError("Not a sync cursor: the number is out of range.")
    return Position(0, int(_KIND_OF_LETTER[match["kind"]]), object_id)


def format_cursor(position: Position) -> str:
    """The cursor for ``position`` (numbers above 0 are unique, so the number says it)."""
    if position.number > 0 or position.rank == _AFTER_ALL:
        return str(position.number)
    return f"0.{_LETTER[ObjectKind(position.rank)]}.{position.object_id}"


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    has_more: bool
    cursor: str


def merge_changes(sources: Iterable[Sequence[Change]], limit: int, last_number: int
                  ) -> ChangePage:
    """The first ``limit`` changes of the sorted ``sources`` (each already cut at
    ``limit + 1``), in position order. When more remain, the cursor is the last change
    returned; otherwise everything up to ``last_number`` has been seen."""
    merged = list(heapq.merge(*sources))[:limit + 1]
    has_more = len(merged) > limit
    page = merged[:limit]
    cursor = page[-1].position if has_more else Position(last_number)
    return ChangePage(page, has_more, format_cursor(cursor))


def touched(changes: Sequence[Change], kind: ObjectKind) -> list[int]:
    """The ids of the objects of ``kind`` that ``changes`` touch, each once, in the order
    of its latest change: a page reports each object once, in its latest state."""
    latest: dict[int, Position] = {}
    for change in changes:
        if change.kind is kind:
            latest[change.object_id] = change.position
    return sorted(latest, key=latest.__getitem__)

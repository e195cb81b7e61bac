"""A project's board: its top-level tasks in three status columns, each in the manual
order, and where each keyboard move ("Move up", "Move to Completed") puts a card."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from taskweb.models import TaskStatus

# The moves a card's Move menu offers besides a column's name.
UP, DOWN = "up", "down"
# A board shows at most this many cards (the rest are named, with a link to the list).
BOARD_LIMIT = 1000


@dataclass
class Column:
    status: TaskStatus
    cards: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.status.value


@dataclass
class Board:
    columns: list[Column]
    total: int

    @classmethod
    def of(cls, tasks: Iterable[Any], total: int) -> Board:
        """``tasks`` in the manual order; each goes to its status's column."""
        columns = {status: Column(status) for status in TaskStatus}
        for task in tasks:
            columns[task.status].cards.append(task)
        return cls(list(columns.values()), total)

    @property
    def shown(self) -> int:
        return sum(len(column.cards) for column in self.columns)

    def find(self, task_id: int) -> tuple[Column, int] | None:
        for column in self.columns:
            for index, card in enumerate(column.cards):
                if card.id == task_id:
                    return column, index
        return None

    def placement(self, task_id: int, to: str) -> dict[str, Any] | None:
        """The move body (status, before_id or after_id) of a keyboard move: one place
        up or down in its column, or to the end of another column. None when the card
        is not on the board or cannot go that way (the top card up, say)."""
        found = self.find(task_id)
        if found is None:
            return None
        column, index = found
        if to == UP:
            return {"before_id": column.cards[index - 1].id} if index > 0 else None
        if to == DOWN:
            below = index + 1 < len(column.cards)
            return {"after_id": column.cards[index + 1].id} if below else None
        try:
            status = TaskStatus(to)
        except ValueError:
            return None
        if status is column.status:
            return None
        target = next(c for c in self.columns if c.status is status)
        body: dict[str, Any] = {"status": status.value}
        if target.cards:
            body["after_id"] = target.cards[-1].id
        return body

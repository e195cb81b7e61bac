"""Reading a task's history (the task services write it with every write of a task)."""

from __future__ import annotations

from dataclasses import dataclass

from taskweb.errors import NotFound
from taskweb.models import User
from taskweb.repositories.history import HistoryEntry
from taskweb.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class HistoryPage:
    items: list[HistoryEntry]
    total: int
    limit: int
    offset: int


class HistoryService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def page(self, user: User, task_id: int, limit: int, offset: int) -> HistoryPage:
        """The task's events, newest first; any member of its project may read them
        (a task in the trash or of another project is not found, as for other reads)."""
        found = self.uow.history.page(user.id, task_id, limit, offset)
        if found is None:
            raise NotFound(f"Task {task_id} was not found.")
        items, total = found
        return HistoryPage(items, total, limit, offset)

"""Saved filters: private to their user, so every query takes whose they are (another
person's filter is simply not there)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from taskweb.models import SavedFilter


class SavedFilterRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, saved: SavedFilter) -> None:
        self.session.add(saved)

    def delete(self, saved: SavedFilter) -> None:
        self.session.delete(saved)

    def get(self, user_id: int, filter_id: int) -> SavedFilter | None:
        return self.session.scalar(select(SavedFilter).where(
            SavedFilter.id == filter_id, SavedFilter.user_id == user_id))

    def list(self, user_id: int) -> list[SavedFilter]:
        """The user's filters by name (case-insensitively), in one statement."""
        return list(self.session.scalars(
            select(SavedFilter).where(SavedFilter.user_id == user_id)
            .order_by(func.lower(SavedFilter.name), SavedFilter.id)))

    def name_taken(self, user_id: int, name: str, except_id: int | None = None) -> bool:
        statement = select(SavedFilter.id).where(
            SavedFilter.user_id == user_id, func.lower(SavedFilter.name) == name.lower())
        if except_id is not None:
            statement = statement.where(SavedFilter.id != except_id)
        return self.session.scalar(statement.limit(1)) is not None

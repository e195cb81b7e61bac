"""Signed-in browsers: started at login, revoked at logout, purged when long expired."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, update
from sqlalchemy.orm import Session

from taskweb.models import BrowserSession


class BrowserSessionRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, browser_session: BrowserSession) -> None:
        self.session.add(browser_session)

    def revoke(self, user_id: int, id_hash: str, at: datetime) -> None:
        self.session.execute(
            update(BrowserSession)
            .where(BrowserSession.id_hash == id_hash, BrowserSession.user_id == user_id,
                   BrowserSession.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def revoke_all_of_user(self, user_id: int, at: datetime) -> None:
        self.session.execute(
            update(BrowserSession)
            .where(BrowserSession.user_id == user_id, BrowserSession.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    def purge_older_than(self, cutoff: datetime) -> int:
        """Drop sessions revoked, or started, before ``cutoff`` (their cookies expired)."""
        return self.session.execute(
            delete(BrowserSession).where(
                or_(BrowserSession.created_at < cutoff, BrowserSession.revoked_at < cutoff)
            )
        ).rowcount

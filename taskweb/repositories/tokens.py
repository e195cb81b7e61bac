"""Refresh-token records (rotation, families) and revoked access tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from taskweb.models import RefreshToken, RevokedAccessToken, utcnow


class TokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add_refresh(self, token: RefreshToken) -> None:
        self.session.add(token)

    def get_refresh(self, jti: str) -> RefreshToken | None:
        return self.session.get(RefreshToken, jti)

    def claim_refresh(self, jti: str, at: datetime) -> bool:
        """Revoke the refresh token ``jti`` if it is still active; True for the one caller
        that did. One conditional statement, so of two racing rotations exactly one wins
        (the other waits for the row lock, then finds it revoked)."""
        claimed = self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.jti == jti, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
            .execution_options(synchronize_session=False)
        )
        return claimed.rowcount == 1

    def revoke_refresh_family(self, family_id: str) -> None:
        self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    def revoke_refresh_tokens_of_user(self, user_id: int) -> None:
        self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )

    def revoke_access(self, jti: str, expires_at: datetime) -> None:
        if self.session.get(RevokedAccessToken, jti) is None:
            self.session.add(RevokedAccessToken(jti=jti, expires_at=expires_at))

    def purge_expired(self, now: datetime) -> int:
        """Drop records of tokens that have expired anyway; returns how many rows went."""
        removed = self.session.execute(
            delete(RevokedAccessToken).where(RevokedAccessToken.expires_at < now)
        ).rowcount
        removed += self.session.execute(
            delete(RefreshToken).where(RefreshToken.expires_at < now)
        ).rowcount
        return removed

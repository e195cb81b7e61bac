"""Refresh-token records (rotation, families) and revoked access tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, update
from sqlalchemy.orm import Session

from taskweb.models import PasswordReset, RefreshToken, RevokedAccessToken, utcnow


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
        removed += self.session.execute(
            delete(PasswordReset).where(PasswordReset.expires_at < now)
        ).rowcount
        return removed

    # ---- password resets (only a token's SHA-256 is stored) ---------------------------

    def add_password_reset(self, reset: PasswordReset) -> None:
        self.session.add(reset)

    def claim_password_reset(self, token_hash: str, now: datetime) -> int | None:
        """Mark the reset ``token_hash`` used if it is unused and unexpired; the user id
        for the one caller that did, else None. One conditional statement, so of two
        racing confirmations exactly one wins."""
        return self.session.scalar(
            update(PasswordReset)
            .where(PasswordReset.token_hash == token_hash, PasswordReset.used_at.is_(None),
                   PasswordReset.expires_at > now)
            .values(used_at=now)
            .returning(PasswordReset.user_id)
            .execution_options(synchronize_session=False)
        )

    def password_reset_usable(self, token_hash: str, now: datetime) -> bool:
        """Whether the reset ``token_hash`` is unused and unexpired (for the form page)."""
        reset = self.session.get(PasswordReset, token_hash)
        return reset is not None and reset.used_at is None and reset.expires_at > now

    def use_password_resets_of_user(self, user_id: int, now: datetime) -> None:
        """Every outstanding reset link of ``user_id`` stops working."""
        self.session.execute(
            update(PasswordReset)
            .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )

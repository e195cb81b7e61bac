"""Issuing JWT pairs; every refresh token is recorded so it can be rotated and revoked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from flask_jwt_extended import create_access_token, create_refresh_token

from taskweb.models import RefreshToken, User, utcnow
from taskweb.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


class TokenIssuer:
    def __init__(self, access_lifetime: timedelta, refresh_lifetime: timedelta) -> None:
        self.access_lifetime = access_lifetime
        self.refresh_lifetime = refresh_lifetime

    def issue(self, uow: UnitOfWork, user: User, family_id: str | None = None) -> TokenPair:
        """A new pair; the refresh token joins ``family_id`` or starts a new family."""
        refresh_jti = str(uuid.uuid4())
        family_id = family_id or str(uuid.uuid4())
        now = utcnow()
        uow.tokens.add_refresh(
            RefreshToken(
                jti=refresh_jti,
                user_id=user.id,
                family_id=family_id,
                expires_at=now + self.refresh_lifetime,
            )
        )
        identity = str(user.id)
        return TokenPair(
            access_token=create_access_token(identity, expires_delta=self.access_lifetime),
            refresh_token=create_refresh_token(
                identity,
                expires_delta=self.refresh_lifetime,
                additional_claims={"jti": refresh_jti, "fam": family_id},
            ),
            expires_in=int(self.access_lifetime.total_seconds()),
        )


def expiry_of(claims: dict) -> datetime:
    return datetime.fromtimestamp(claims["exp"], tz=timezone.utc)

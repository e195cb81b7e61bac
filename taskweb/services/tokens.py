"""Issuing token pairs; every refresh token is recorded so it can be rotated and revoked."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from taskweb.models import RefreshToken, User
from taskweb.services.ports import Clock, TokenEncoder
from taskweb.unit_of_work import UnitOfWork

# The user's session_version when the access token was issued (see User.session_version).
SESSION_VERSION_CLAIM = "sv"


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    token_type: str = "bearer"


class TokenIssuer:
    def __init__(self, encoder: TokenEncoder, clock: Clock, access_lifetime: timedelta,
                 refresh_lifetime: timedelta) -> None:
        self.encoder = encoder
        self.clock = clock
        self.access_lifetime = access_lifetime
        self.refresh_lifetime = refresh_lifetime

    def issue(self, uow: UnitOfWork, user: User, family_id: str | None = None) -> TokenPair:
        """A new pair; the refresh token joins ``family_id`` or starts a new family."""
        refresh_jti = str(uuid.uuid4())
        family_id = family_id or str(uuid.uuid4())
        uow.tokens.add_refresh(
            RefreshToken(
                jti=refresh_jti,
                user_id=user.id,
                family_id=family_id,
                expires_at=self.clock() + self.refresh_lifetime,
            )
        )
        identity = str(user.id)
        return TokenPair(
            access_token=self.encoder.access_token(
                identity, self.access_lifetime, {SESSION_VERSION_CLAIM: user.session_version}
            ),
            refresh_token=self.encoder.refresh_token(
                identity, self.refresh_lifetime, {"jti": refresh_jti, "fam": family_id}
            ),
            expires_in=int(self.access_lifetime.total_seconds()),
        )


def expiry_of(claims: dict) -> datetime:
    return datetime.fromtimestamp(claims["exp"], tz=timezone.utc)

"""Personal access tokens: every query takes whose they are (another person's token is
simply not there), except the lookup by the secret's hash that authenticates a request."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from taskweb.models import PersonalAccessToken, User


class PersonalTokenRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, token: PersonalAccessToken) -> None:
        self.session.add(token)

    def get_active(self, user_id: int, token_id: int) -> PersonalAccessToken | None:
        """The user's token ``token_id`` if it is not revoked."""
        return self.session.scalar(select(PersonalAccessToken).where(
            PersonalAccessToken.id == token_id, PersonalAccessToken.user_id == user_id,
            PersonalAccessToken.revoked_at.is_(None)))

    def list_active(self, user_id: int) -> list[PersonalAccessToken]:
        """The user's tokens that are not revoked, newest first, in one statement."""
        return list(self.session.scalars(
            select(PersonalAccessToken)
            .where(PersonalAccessToken.user_id == user_id,
                   PersonalAccessToken.revoked_at.is_(None))
            .order_by(PersonalAccessToken.created_at.desc(), PersonalAccessToken.id.desc())))

    def usable_with_user(self, token_hash: str, now: datetime
                         ) -> tuple[PersonalAccessToken, User] | None:
        """The token with this hash and its user, if neither revoked nor expired: one
        statement, for authenticating a request."""
        row = self.session.execute(
            select(PersonalAccessToken, User)
            .join(User, User.id == PersonalAccessToken.user_id)
            .where(PersonalAccessToken.token_hash == token_hash,
                   PersonalAccessToken.revoked_at.is_(None),
                   or_(PersonalAccessToken.expires_at.is_(None),
                       PersonalAccessToken.expires_at > now))
        ).first()
        return None if row is None else (row[0], row[1])

    def note_use(self, token_id: int, at: datetime, if_older_than: datetime) -> None:
        """Set the token's last use to ``at`` unless it was already noted after
        ``if_older_than``: conditional, so concurrent requests write it at most once."""
        self.session.execute(
            update(PersonalAccessToken)
            .where(PersonalAccessToken.id == token_id,
                   or_(PersonalAccessToken.last_used_at.is_(None),
                       PersonalAccessToken.last_used_at < if_older_than))
            .values(last_used_at=at)
            .execution_options(synchronize_session=False))

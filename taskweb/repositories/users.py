"""Users: lookups by id and by email, uniqueness checks, and the token holder query."""

from __future__ import annotations

from sqlalchemy import ColumnElement, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session

from taskweb.domain.lookalikes import skeleton
from taskweb.models import BrowserSession, RevokedAccessToken, User

# Every authenticated API request runs this statement: built once, not per request.
_SESSION_HOLDER = select(
    User,
    exists().where(
        BrowserSession.id_hash == bindparam("id_hash"),
        BrowserSession.user_id == User.id,
        BrowserSession.revoked_at.is_(None),
    ).label("active"),
).where(User.id == bindparam("user_id"))
_TOKEN_HOLDER = select(
    User,
    exists().where(RevokedAccessToken.jti == bindparam("jti")).label("revoked"),
).where(User.id == bindparam("user_id"))


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    def get(self, user_id: int) -> User | None:
        return self.session.get(User, user_id)

    def get_with_token_revocation(self, user_id: int, jti: str) -> tuple[User | None, bool]:
        """The user and whether the access token ``jti`` is revoked, in one statement."""
        row = self.session.execute(_TOKEN_HOLDER, {"user_id": user_id, "jti": jti}).first()
        return (row[0], bool(row[1])) if row is not None else (None, False)

    def get_with_browser_session(self, user_id: int, id_hash: str) -> tuple[User | None, bool]:
        """The user and whether its browser session ``id_hash`` is active, in one statement."""
        row = self.session.execute(_SESSION_HOLDER, {"user_id": user_id, "id_hash": id_hash}
                                   ).first()
        return (row[0], bool(row[1])) if row is not None else (None, False)

    def get_by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(func.lower(User.email) == email.lower()))

    def email_taken(self, email: str, except_user_id: int | None = None) -> bool:
        """True if another account has this email, in any case or in look-alike letters."""
        same = or_(func.lower(User.email) == email.lower(), User.email_skeleton == skeleton(email))
        return self._taken(same, except_user_id)

    def username_taken(self, username: str, except_user_id: int | None = None) -> bool:
        same = or_(func.lower(User.username) == username.lower(),
                   User.username_skeleton == skeleton(username))
        return self._taken(same, except_user_id)

    def _taken(self, condition: ColumnElement[bool], except_user_id: int | None) -> bool:
        statement = select(exists().where(condition))
        if except_user_id is not None:
            statement = select(exists().where(condition, User.id != except_user_id))
        return bool(self.session.scalar(statement))

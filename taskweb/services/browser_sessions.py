"""Signed-in browsers, each a row: logging out ends that browser's session for good (a
copied session or remember-me cookie opens nothing), and "log out everywhere" ends them
all, with every token of the account."""

from __future__ import annotations

import hashlib
import secrets

from taskweb.models import BrowserSession, User
from taskweb.services.ports import Clock
from taskweb.unit_of_work import UnitOfWork


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


def parse_session_key(key: str) -> tuple[int, int, str] | None:
    """``"<user id>:<session version>:<browser session id>"`` as its parts, or None."""
    user_id, version, session_id = (key.split(":") + ["", ""])[:3]
    if not (user_id.isdigit() and version.isdigit() and session_id):
        return None
    return int(user_id), int(version), session_id


class BrowserSessionService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def start(self, user: User) -> str:
        """A new session for ``user``; its id goes into the user's session key."""
        session_id = secrets.token_urlsafe(32)
        with self.uow:
            self.uow.browser_sessions.add(BrowserSession(id_hash=_hash(session_id),
                                                         user_id=user.id))
        user.browser_session_id = session_id
        return session_id

    def holder(self, key: str) -> User | None:
        """The active user whose live session ``key`` names (one statement), else None.

        A session of an older session version (a password change, "log out everywhere"),
        a revoked one, or a key from before sessions were kept, loads nobody.
        """
        parts = parse_session_key(key)
        if parts is None:
            return None
        user_id, version, session_id = parts
        user, active = self.uow.users.get_with_browser_session(user_id, _hash(session_id))
        if user is None or not active or not user.is_active or user.session_version != version:
            return None
        user.browser_session_id = session_id
        return user

    def end(self, key: str) -> None:
        """Log this browser out: its session key opens nothing any more."""
        parts = parse_session_key(key)
        if parts is None:
            return
        user_id, _, session_id = parts
        with self.uow:
            self.uow.browser_sessions.revoke(user_id, _hash(session_id), self.clock())

    def end_everywhere(self, user: User) -> None:
        """Every browser session and every token of ``user`` ends."""
        with self.uow:
            user.session_version += 1
            self.uow.browser_sessions.revoke_all_of_user(user.id, self.clock())
            self.uow.tokens.revoke_refresh_tokens_of_user(user.id)

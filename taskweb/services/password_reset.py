"""Forgotten passwords: a one-time link by e-mail, then a new password.

Asking for a link answers the same whether or not the address has an account: the
adapter only checks that the address is an address and hands it to a background job,
which looks the account up, issues the link (``issue``) and sends the e-mail. The link's
token is random; only its SHA-256 is stored, it works once, and for ``RESET_LIFETIME``.
Setting the new password (``confirm``) ends every session and token of the account and
every other link it still has, as changing the password does.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from taskweb import rules
from taskweb.errors import DomainError
from taskweb.models import PasswordReset, User
from taskweb.security import PasswordHasher
from taskweb.services.ports import Clock
from taskweb.services.validation import FieldErrors, clean_email, clean_password
from taskweb.unit_of_work import UnitOfWork

RESET_LIFETIME = timedelta(minutes=30)
# Where a link leads (the page taskweb/web/password_reset.py serves); e-mails put
# PUBLIC_URL in front, since the worker that writes them has no request.
LINK_PATH = "/reset-password/"
# One message for a token that never existed, was used, or expired: which one it was
# tells nobody anything useful.
LINK_NOT_VALID = ("This password reset link is not valid: it has expired or has already "
                  "been used. Ask for a new one.")


class ResetLinkInvalid(DomainError):
    """The token of a reset link is unknown, used or expired (400)."""

    status_code = 400
    title = "Bad request"

    def __init__(self) -> None:
        super().__init__(LINK_NOT_VALID)


@dataclass(frozen=True)
class IssuedReset:
    """A reset link just issued: who it is for and the token to put in the link."""

    user: User
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _plausible_token(token: Any) -> bool:
    # secrets.token_urlsafe(32) is 43 characters; anything far off is not ours.
    return isinstance(token, str) and 20 <= len(token) <= 100 and token.isascii()


class PasswordResetService:
    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher, clock: Clock) -> None:
        self.uow = uow
        self.hasher = hasher
        self.clock = clock

    @staticmethod
    def clean_request(email: Any) -> str:
        """The address a link is asked for, normalised (422 naming ``email`` if it is not
        an address). Looks nothing up: the answer must not depend on the account."""
        errors = FieldErrors()
        cleaned = clean_email(email, errors)
        errors.raise_if_any()
        assert cleaned is not None
        return cleaned

    def issue(self, email: str) -> IssuedReset | None:
        """A new one-time link for the active account of ``email``, or None if there is
        none. Earlier links stay valid until they expire or a reset uses one of them."""
        email = email.strip()
        if len(email) > rules.EMAIL_MAX or rules.CONTROL_CHARS_RE.search(email):
            return None
        user = self.uow.users.get_by_email(email)
        if user is None or not user.is_active:
            return None
        token = secrets.token_urlsafe(32)
        now = self.clock()
        with self.uow:
            self.uow.tokens.add_password_reset(PasswordReset(
                token_hash=token_hash(token), user_id=user.id, created_at=now,
                expires_at=now + RESET_LIFETIME,
            ))
        return IssuedReset(user=user, token=token)

    def withdraw(self, token: str) -> None:
        """The link of ``token`` stops working (its e-mail could not be sent)."""
        with self.uow:
            self.uow.tokens.claim_password_reset(token_hash(token), self.clock())

    def link_usable(self, token: Any) -> bool:
        """Whether ``token`` would be accepted now (the form page asks before showing)."""
        return _plausible_token(token) and self.uow.tokens.password_reset_usable(
            token_hash(token), self.clock())

    def confirm(self, token: Any, password: Any) -> User:
        """Set a new password with the link's token; it works once (ResetLinkInvalid
        otherwise). Every browser session, refresh token and access token of the account
        ends, and so does every other reset link it has."""
        errors = FieldErrors()
        password = clean_password(password, errors)
        errors.raise_if_any()
        if not _plausible_token(token):
            raise ResetLinkInvalid()
        new_hash = self.hasher.hash(password)  # outside the transaction: it is slow
        now = self.clock()
        with self.uow:
            user_id = self.uow.tokens.claim_password_reset(token_hash(token), now)
            user = self.uow.users.get(user_id) if user_id is not None else None
            if user is None or not user.is_active:
                raise ResetLinkInvalid()
            user.hashed_password = new_hash
            user.session_version += 1
            self.uow.tokens.revoke_refresh_tokens_of_user(user.id)
            self.uow.browser_sessions.revoke_all_of_user(user.id, now)
            self.uow.tokens.use_password_resets_of_user(user.id, now)
        return user

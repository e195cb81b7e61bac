"""Use cases of authentication: sign up, log in, rotate and revoke tokens."""

from __future__ import annotations

from typing import Any, NoReturn

from taskweb import rules
from taskweb.domain.lookalikes import skeleton
from taskweb.errors import Conflict, InvalidCredentials, InvalidToken
from taskweb.models import Project, User
from taskweb.security import PasswordHasher
from taskweb.services.ports import Clock, SecurityEvents
from taskweb.services.tokens import (
    SESSION_VERSION_CLAIM,
    TokenIssuer,
    TokenPair,
    expiry_of,
)
from taskweb.services.validation import (
    FieldErrors,
    clean_email,
    clean_full_name,
    clean_password,
    clean_username,
)
from taskweb.unit_of_work import UnitOfWork

BAD_LOGIN = "Incorrect email or password."
INBOX_NAME = "Inbox"
EMAIL_TAKEN = "This email, or one that looks the same, is already registered."
USERNAME_TAKEN = "This username, or one that looks the same, is already taken."


class AuthService:
    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher, issuer: TokenIssuer,
                 clock: Clock, security_event: SecurityEvents) -> None:
        self.uow = uow
        self.hasher = hasher
        self.issuer = issuer
        self.clock = clock
        self.security_event = security_event

    def register(
        self, email: Any, username: Any, password: Any, full_name: Any = None
    ) -> User:
        """Create an account; email and username must be free, case-insensitively."""
        errors = FieldErrors()
        email = clean_email(email, errors)
        username = clean_username(username, errors)
        password = clean_password(password, errors)
        full_name = clean_full_name(full_name, errors)
        errors.raise_if_any()
        ensure_identity_free(self.uow, email=email, username=username)
        user = User(
            email=email,
            username=username,
            email_skeleton=skeleton(email),
            username_skeleton=skeleton(username),
            full_name=full_name,
            hashed_password=self.hasher.hash(password),
        )
        with self.uow:
            self.uow.users.add(user)
            self.uow.flush()
            self.uow.projects.add(Project(owner_id=user.id, name=INBOX_NAME, is_inbox=True))
        return user

    def authenticate(self, email: Any, password: Any) -> User:
        """The active user with these credentials; one error for every kind of mismatch."""
        if not isinstance(email, str) or not isinstance(password, str):
            raise InvalidCredentials(BAD_LOGIN)
        # An address no account can have (NUL, control characters, too long) is not even
        # looked up: PostgreSQL refuses NUL in text, and that must not become a 500.
        email = email.strip()
        plausible = len(email) <= rules.EMAIL_MAX and not rules.CONTROL_CHARS_RE.search(email)
        user = self.uow.users.get_by_email(email) if plausible else None
        if user is None:
            self.hasher.burn_time(password)
            self.security_event("login_failed", reason="unknown_account")
            raise InvalidCredentials(BAD_LOGIN)
        if not self.hasher.verify(password, user.hashed_password) or not user.is_active:
            reason = "inactive_account" if user.is_active is False else "wrong_password"
            self.security_event("login_failed", reason=reason, user_id=user.id)
            raise InvalidCredentials(BAD_LOGIN)
        if self.hasher.needs_rehash(user.hashed_password):
            # The only moment the plain password is at hand to raise its cost.
            with self.uow:
                user.hashed_password = self.hasher.hash(password)
        self.security_event("login_succeeded", user_id=user.id)
        return user

    def login(self, email: Any, password: Any) -> TokenPair:
        user = self.authenticate(email, password)
        with self.uow:
            return self.issuer.issue(self.uow, user)

    def refresh(self, claims: dict) -> TokenPair:
        """Rotate a refresh token. Presenting one already rotated is theft: its family dies."""
        if claims.get("type") != "refresh":
            raise InvalidToken("A refresh token is required.")
        record = self.uow.tokens.get_refresh(claims.get("jti", ""))
        if record is None or str(record.user_id) != claims.get("sub"):
            raise InvalidToken("The refresh token is not valid.")
        if record.revoked_at is not None:
            self._reuse_detected(record.user_id, record.family_id)
        user = self.uow.users.get(record.user_id)
        if user is None or not user.is_active:
            raise InvalidToken("The account is not active.")
        with self.uow:
            claimed = self.uow.tokens.claim_refresh(record.jti, self.clock())
            pair = (self.issuer.issue(self.uow, user, family_id=record.family_id)
                    if claimed else None)
        if pair is None:
            # Another request rotated this token a moment ago: one of the two is a thief.
            self._reuse_detected(record.user_id, record.family_id)
        return pair

    def _reuse_detected(self, user_id: int, family_id: str) -> NoReturn:
        with self.uow:
            self.uow.tokens.revoke_refresh_family(family_id)
            user = self.uow.users.get(user_id)
            if user is not None:
                # The thief may hold access tokens or a session too: end them all.
                user.session_version += 1
        self.security_event("refresh_token_reused", user_id=user_id, family_id=family_id)
        raise InvalidToken("The refresh token has been revoked.")

    def logout(self, access_claims: dict, refresh_claims: dict | None = None) -> None:
        """Revoke the access token presented and, if given, the user's refresh token."""
        if refresh_claims is not None and (
            refresh_claims.get("type") != "refresh"
            or refresh_claims.get("sub") != access_claims.get("sub")
        ):
            raise InvalidToken("The refresh token does not belong to this session.")
        with self.uow:
            self.uow.tokens.revoke_access(access_claims["jti"], expiry_of(access_claims))
            if refresh_claims is not None:
                record = self.uow.tokens.get_refresh(refresh_claims["jti"])
                if record is not None and record.revoked_at is None:
                    record.revoked_at = self.clock()

    def access_token_holder(self, claims: dict) -> tuple[User | None, bool]:
        """The active user an access token speaks for, and whether the token is revoked.

        One query answers both, so an authenticated API request costs one statement
        before its own work.
        """
        try:
            user_id = int(claims["sub"])
        except (KeyError, TypeError, ValueError):
            return None, False
        user, revoked = self.uow.users.get_with_token_revocation(user_id, claims.get("jti", ""))
        if user is None or not user.is_active:
            return None, revoked
        return user, revoked or issued_for_an_older_session_version(claims, user)



def issued_for_an_older_session_version(claims: dict, user: User) -> bool:
    """True for an access token issued before the user's last password change or token
    reuse (each bumps ``session_version``; a token without the claim is as old)."""
    return claims.get(SESSION_VERSION_CLAIM) != user.session_version

def ensure_identity_free(
    uow: UnitOfWork,
    *,
    email: str | None = None,
    username: str | None = None,
    except_user_id: int | None = None,
) -> None:
    """Raise Conflict naming every field whose value another account already has."""
    errors = FieldErrors()
    if email is not None and uow.users.email_taken(email, except_user_id):
        errors.add("email", EMAIL_TAKEN)
    if username is not None and uow.users.username_taken(username, except_user_id):
        errors.add("username", USERNAME_TAKEN)
    if errors.errors:
        raise Conflict("The email or username is already in use.", errors.errors)


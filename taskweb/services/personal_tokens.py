"""Use cases of personal access tokens: a program's long-lived, scoped credential.

The secret (``tw_pat_`` and 43 random URL-safe characters) is returned once, at
creation; only its SHA-256 is stored, so a copy of the database opens nothing. Revoking
keeps the row (``revoked_at``) so the lookup simply stops finding it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from taskweb.domain.access import Scope, parse_scopes
from taskweb.errors import NotFound
from taskweb.models import PersonalAccessToken, User
from taskweb.services.ports import Clock
from taskweb.services.saved_filters import clean_filter_name
from taskweb.services.validation import (
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
    clean_datetime,
)
from taskweb.unit_of_work import UnitOfWork

PREFIX = "tw_pat_"
FIELDS = ("name", "scopes", "expires_at")
# last_used_at is written only when the stored value is older than this, so a busy
# program costs one UPDATE a minute rather than one per request.
LAST_USE_RESOLUTION = timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def looks_like_personal_token(bearer: str) -> bool:
    return bearer.startswith(PREFIX)


@dataclass(frozen=True)
class CreatedToken:
    token: PersonalAccessToken
    secret: str  # shown this once


class PersonalTokenService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def create(self, user: User, fields: dict[str, Any]) -> CreatedToken:
        """A new token for ``user`` from ``{name, scopes, expires_at?}``; 422 naming the
        field for a blank name, no or an unknown scope, or an expiry not in the future."""
        errors = FieldErrors()
        for name in sorted(set(fields) - set(FIELDS)):
            errors.add(name, UNKNOWN_FIELD)
        name = clean_filter_name(fields["name"], errors) if "name" in fields else None
        if "name" not in fields:
            errors.add("name", REQUIRED)
        scopes = self._clean_scopes(fields.get("scopes"), errors)
        expires_at = clean_datetime(fields.get("expires_at"), "expires_at", errors)
        if expires_at is not None and expires_at <= self.clock():
            errors.add("expires_at", "Must be in the future.")
        errors.raise_if_any()
        secret = PREFIX + secrets.token_urlsafe(32)
        token = PersonalAccessToken(
            user_id=user.id, name=name, token_hash=hash_secret(secret),
            scopes=[scope.value for scope in Scope if scope in scopes],
            expires_at=expires_at, created_at=self.clock(),
        )
        with self.uow:
            self.uow.personal_tokens.add(token)
        return CreatedToken(token, secret)

    def authenticate(self, secret: str) -> tuple[PersonalAccessToken, User] | None:
        """The live token ``secret`` opens and its active user, else None (one statement)."""
        found = self.uow.personal_tokens.usable_with_user(hash_secret(secret), self.clock())
        if found is None or not found[1].is_active:
            return None
        token, now = found[0], self.clock()
        if token.last_used_at is None or token.last_used_at < now - LAST_USE_RESOLUTION:
            with self.uow:
                self.uow.personal_tokens.note_use(token.id, now, now - LAST_USE_RESOLUTION)
            token.last_used_at = now
        return found

    def list(self, user: User) -> list[PersonalAccessToken]:
        """The caller's tokens that are not revoked, newest first (no secrets)."""
        return self.uow.personal_tokens.list_active(user.id)

    def revoke(self, user: User, token_id: int) -> None:
        """Revoke the caller's token; another person's (or a revoked one) is 404."""
        token = self.uow.personal_tokens.get_active(user.id, token_id)
        if token is None:
            raise NotFound(f"Token {token_id} was not found.")
        with self.uow:
            token.revoked_at = self.clock()

    @staticmethod
    def _clean_scopes(value: Any, errors: FieldErrors) -> frozenset[Scope]:
        if value is None:
            errors.add("scopes", REQUIRED)
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            errors.add("scopes", "Must be a list of scope names.")
            return frozenset()
        try:
            return parse_scopes(value)
        except ValueError as error:
            errors.add("scopes", str(error))
            return frozenset()

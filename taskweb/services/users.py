"""Use cases of an account: read and change the profile (time zone included), change the
password. Deleting, exporting and importing an account are in services/accounts.py."""

from __future__ import annotations

from typing import Any

from taskweb.domain.lookalikes import skeleton
from taskweb.errors import PermissionDenied, ValidationFailed
from taskweb.models import User
from taskweb.security import PasswordHasher
from taskweb.services.auth import ensure_identity_free
from taskweb.services.validation import (
    UNKNOWN_FIELD,
    FieldErrors,
    clean_email,
    clean_full_name,
    clean_password,
    clean_time_zone,
    clean_username,
)
from taskweb.unit_of_work import UnitOfWork

PROFILE_FIELDS = frozenset({"email", "username", "full_name", "password", "time_zone",
                            "email_notifications"})


class UserService:
    def __init__(self, uow: UnitOfWork, hasher: PasswordHasher) -> None:
        self.uow = uow
        self.hasher = hasher

    def update_profile(
        self, user: User, changes: dict[str, Any], current_password: Any = None
    ) -> User:
        """Apply any of email, username, full_name, password, time_zone.

        Changing the email or the password needs the current password; a new password
        signs out every other session and ends every token of the user.
        """
        unknown = set(changes) - PROFILE_FIELDS
        if unknown:
            raise ValidationFailed({name: [UNKNOWN_FIELD] for name in sorted(unknown)})
        errors = FieldErrors()
        cleaned: dict[str, Any] = {}
        if "email" in changes:
            cleaned["email"] = clean_email(changes["email"], errors)
        if "username" in changes:
            cleaned["username"] = clean_username(changes["username"], errors)
        if "full_name" in changes:
            cleaned["full_name"] = clean_full_name(changes["full_name"], errors)
        if "password" in changes:
            cleaned["password"] = clean_password(changes["password"], errors)
        if "time_zone" in changes:
            cleaned["time_zone"] = clean_time_zone(changes["time_zone"], errors)
        if "email_notifications" in changes:
            if isinstance(changes["email_notifications"], bool):
                cleaned["email_notifications"] = changes["email_notifications"]
            else:
                errors.add("email_notifications", "Must be true or false.")
        email_changes = "email" in cleaned and cleaned["email"] != user.email
        needs_current = email_changes or "password" in cleaned
        if needs_current and current_password in (None, ""):
            errors.add("current_password", "Required to change the email or the password.")
        errors.raise_if_any()
        if needs_current and not (
            isinstance(current_password, str)
            and self.hasher.verify(current_password, user.hashed_password)
        ):
            raise PermissionDenied(
                "The current password is not correct.",
                {"current_password": ["The current password is not correct."]},
            )
        ensure_identity_free(
            self.uow,
            email=cleaned.get("email"),
            username=cleaned.get("username"),
            except_user_id=user.id,
        )
        new_hash = self.hasher.hash(cleaned["password"]) if "password" in cleaned else None
        with self.uow:
            for name in ("email", "username", "full_name", "time_zone"):
                if name in cleaned:
                    setattr(user, name, cleaned[name])
            if "email" in cleaned:
                user.email_skeleton = skeleton(cleaned["email"])
            if "username" in cleaned:
                user.username_skeleton = skeleton(cleaned["username"])
            if "email_notifications" in cleaned:
                self._set_email_notifications(user, cleaned["email_notifications"])
            if new_hash is not None:
                user.hashed_password = new_hash
                user.session_version += 1
                self.uow.tokens.revoke_refresh_tokens_of_user(user.id)
        return user

    def _set_email_notifications(self, user: User, wanted: bool) -> None:
        """Turning e-mail off also drops the e-mails still owed (none goes out after)."""
        user.email_notifications = wanted
        if not wanted:
            self.uow.notifications.stop_emails_of(user.id)

    def change_password(self, user: User, current_password: Any, new_password: Any) -> User:
        return self.update_profile(user, {"password": new_password}, current_password)

"""Field rules for users and tasks. Each returns the cleaned value or adds a message."""

from __future__ import annotations

import enum
import functools
import re
import zoneinfo
from datetime import datetime, timezone
from typing import Any, TypeVar

from email_validator import EmailNotValidError, validate_email

from taskweb import rules
from taskweb.domain.recurrence import InvalidRecurrence, normalize_rrule
from taskweb.errors import ValidationFailed

E = TypeVar("E", bound=enum.Enum)

# Messages that more than one rule (or an adapter describing a rule) gives.
REQUIRED = "Required."
NOT_A_STRING = "Must be a string."
UNKNOWN_FIELD = "Unknown field."


class FieldErrors:
    """Collects messages per field so that one answer names every offending field."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.errors.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationFailed(self.errors)


def _text(value: Any, field: str, errors: FieldErrors) -> str | None:
    if not isinstance(value, str):
        errors.add(field, NOT_A_STRING)
        return None
    if rules.CONTROL_CHARS_RE.search(value):
        errors.add(field, "Must not contain control characters.")
        return None
    return value


def clean_email(value: Any, errors: FieldErrors, field: str = "email") -> str | None:
    text = _text(value, field, errors)
    if text is None:
        return None
    text = text.strip()
    if len(text) > rules.EMAIL_MAX:
        errors.add(field, f"Must be at most {rules.EMAIL_MAX} characters.")
        return None
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        errors.add(field, f"Not a valid email address: {error}")
        return None
    return result.normalized.lower()


def clean_username(value: Any, errors: FieldErrors) -> str | None:
    text = _text(value, "username", errors)
    if text is None:
        return None
    text = text.strip()
    if not rules.USERNAME_MIN <= len(text) <= rules.USERNAME_MAX:
        errors.add(
            "username",
            f"Must be {rules.USERNAME_MIN} to {rules.USERNAME_MAX} characters long.",
        )
        return None
    if not rules.USERNAME_RE.match(text) or not text.isascii():
        errors.add("username", "May contain only letters, digits, '_', '.' and '-'.")
        return None
    return text


def clean_full_name(value: Any, errors: FieldErrors) -> str | None:
    if value is None:
        return None
    text = _text(value, "full_name", errors)
    if text is None:
        return None
    text = text.strip()
    if len(text) > rules.FULL_NAME_MAX:
        errors.add("full_name", f"Must be at most {rules.FULL_NAME_MAX} characters.")
        return None
    return text or None


def clean_password(value: Any, errors: FieldErrors, field: str = "password") -> str | None:
    if not isinstance(value, str):
        errors.add(field, NOT_A_STRING)
        return None
    if "\x00" in value:
        errors.add(field, "Must not contain NUL characters.")
        return None
    if not rules.PASSWORD_MIN <= len(value) <= rules.PASSWORD_MAX:
        errors.add(
            field, f"Must be {rules.PASSWORD_MIN} to {rules.PASSWORD_MAX} characters long."
        )
        return None
    return value


def clean_title(value: Any, errors: FieldErrors) -> str | None:
    text = _text(value, "title", errors)
    if text is None:
        return None
    text = text.strip()
    if not text:
        errors.add("title", "Must not be empty.")
        return None
    if len(text) > rules.TITLE_MAX:
        errors.add("title", f"Must be at most {rules.TITLE_MAX} characters.")
        return None
    return text


def clean_description(value: Any, errors: FieldErrors) -> str | None:
    if value is None:
        return None
    text = _text(value, "description", errors)
    if text is None:
        return None
    if len(text) > rules.DESCRIPTION_MAX:
        errors.add("description", f"Must be at most {rules.DESCRIPTION_MAX} characters.")
        return None
    return text if text.strip() else None


def clean_enum(value: Any, enum_class: type[E], field: str, errors: FieldErrors) -> E | None:
    if isinstance(value, enum_class):
        return value
    try:
        return enum_class(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_class)
        errors.add(field, f"Must be one of: {allowed}.")
        return None


def clean_datetime(value: Any, field: str, errors: FieldErrors) -> datetime | None:
    """An aware datetime in UTC; a naive one is taken as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            errors.add(field, "Must be an ISO 8601 datetime.")
            return None
    if not isinstance(value, datetime):
        errors.add(field, "Must be an ISO 8601 datetime.")
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    try:
        value = value.astimezone(timezone.utc)
    except OverflowError:
        errors.add(field, "Is out of range.")
        return None
    if not rules.DUE_YEAR_MIN <= value.year <= rules.DUE_YEAR_MAX:
        errors.add(
            field, f"Year must be between {rules.DUE_YEAR_MIN} and {rules.DUE_YEAR_MAX}."
        )
        return None
    return value


def label_key(name: str) -> str:
    """Labels compare case-insensitively: this is what they are compared by."""
    return name.casefold()


def clean_label(value: Any, field: str, errors: FieldErrors) -> str | None:
    """One label: 1–50 characters, no spaces or commas, no control characters."""
    text = _text(value, field, errors)
    if text is None:
        return None
    text = text.strip()
    if not 1 <= len(text) <= rules.LABEL_MAX:
        errors.add(field, f"Each label must be 1 to {rules.LABEL_MAX} characters long.")
        return None
    if any(character.isspace() or character == "," for character in text):
        errors.add(field, "A label may contain no spaces or commas.")
        return None
    return text


def clean_labels(value: Any, errors: FieldErrors, field: str = "labels") -> list[str] | None:
    """A list of labels: duplicates (compared case-insensitively) dropped, the first
    spelling kept, at most rules.LABELS_PER_TASK."""
    if not isinstance(value, list):
        errors.add(field, "Must be a list of labels.")
        return None
    cleaned: dict[str, str] = {}
    for item in value:
        label = clean_label(item, field, errors)
        if label is not None:
            cleaned.setdefault(label_key(label), label)
    if len(cleaned) > rules.LABELS_PER_TASK:
        errors.add(field, f"At most {rules.LABELS_PER_TASK} labels.")
        return None
    return list(cleaned.values()) if field not in errors.errors else None


def clean_id(value: Any, field: str, errors: FieldErrors, *, nullable: bool = True) -> int | None:
    """A positive integer id (booleans are not ids), or None where that is allowed."""
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 1:
        errors.add(field, "Must be the id of an existing record (a positive integer).")
        return None
    return value


# Zone files that are not IANA place names: the host's own link, and tzdata's "Factory".
_NOT_PLACES = frozenset({"localtime", "posixrules", "Factory"})


@functools.cache
def _known_zones() -> dict[str, str]:
    """Every IANA zone name zoneinfo can load, by its case-folded spelling."""
    return {name.casefold(): name for name in zoneinfo.available_timezones()
            if name not in _NOT_PLACES}


def clean_time_zone(value: Any, errors: FieldErrors, field: str = "time_zone") -> str | None:
    """An IANA zone name such as ``Europe/Berlin``, in its canonical spelling."""
    text = _text(value, field, errors)
    if text is None:
        return None
    name = _known_zones().get(text.strip().casefold())
    if name is None:
        errors.add(field, "Must be an IANA time zone name, such as Europe/Berlin or UTC.")
        return None
    return name


def clean_project_name(value: Any, errors: FieldErrors, field: str = "name") -> str | None:
    text = _text(value, field, errors)
    if text is None:
        return None
    text = text.strip()
    if not text:
        errors.add(field, "Must not be empty.")
        return None
    if len(text) > rules.PROJECT_NAME_MAX:
        errors.add(field, f"Must be at most {rules.PROJECT_NAME_MAX} characters.")
        return None
    return text


def clean_project_description(value: Any, errors: FieldErrors,
                              field: str = "description") -> str | None:
    if value is None:
        return None
    text = _text(value, field, errors)
    if text is None:
        return None
    if len(text) > rules.PROJECT_DESCRIPTION_MAX:
        errors.add(field, f"Must be at most {rules.PROJECT_DESCRIPTION_MAX} characters.")
        return None
    return text if text.strip() else None


def clean_color(value: Any, errors: FieldErrors, field: str = "color") -> str | None:
    """``#rrggbb`` (stored lower-case) or None."""
    if value is None:
        return None
    if not isinstance(value, str) or not re.fullmatch(rules.COLOR_PATTERN, value):
        errors.add(field, "Must be a color written #rrggbb, or null.")
        return None
    return value.lower()


def clean_recurrence(value: Any, errors: FieldErrors, field: str = "recurrence") -> str | None:
    """An RFC 5545 RRULE without the ``RRULE:`` prefix (stored in upper case), or None."""
    if value is None:
        return None
    text = _text(value, field, errors)
    if text is None:
        return None
    try:
        return normalize_rrule(text)
    except InvalidRecurrence as error:
        errors.add(field, str(error))
        return None

"""Use cases of saved filters: a named query in the filter language, private to its
user. The query is checked when it is saved, so a saved filter always parses; names are
unique per user, case-insensitively (the database's unique index settles a race)."""

from __future__ import annotations

from typing import Any

from taskweb import rules
from taskweb.domain.filter_grammar import FILTER_MAX, FilterSyntaxError, parse_filter
from taskweb.errors import Conflict, NotFound
from taskweb.models import SavedFilter, User
from taskweb.services.validation import (
    NOT_A_STRING,
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
)
from taskweb.unit_of_work import UnitOfWork

NAME_MAX = 100
FIELDS = ("name", "query")
NAME_TAKEN = "You already have a filter with this name."


def clean_filter_name(value: Any, errors: FieldErrors) -> str | None:
    if not isinstance(value, str):
        errors.add("name", NOT_A_STRING)
        return None
    text = value.strip()
    if rules.CONTROL_CHARS_RE.search(text):
        errors.add("name", "Must not contain control characters.")
        return None
    if not 1 <= len(text) <= NAME_MAX:
        errors.add("name", f"Must be 1 to {NAME_MAX} characters once trimmed.")
        return None
    return text


def clean_filter_query(value: Any, errors: FieldErrors) -> str | None:
    """A query in the filter language, trimmed; a blank one is refused (it would be
    every task, which needs no filter)."""
    if not isinstance(value, str):
        errors.add("query", NOT_A_STRING)
        return None
    text = value.strip()
    if not text:
        errors.add("query", "Must not be empty.")
        return None
    if len(text) > FILTER_MAX:
        errors.add("query", f"Must be at most {FILTER_MAX} characters.")
        return None
    try:
        parse_filter(text)
    except FilterSyntaxError as error:
        errors.add("query", error.sentence)
        return None
    return text


def clean_filter_fields(fields: dict[str, Any], *, creating: bool) -> dict[str, str]:
    """The name and query of a filter; on create both are required."""
    errors = FieldErrors()
    for name in sorted(set(fields) - set(FIELDS)):
        errors.add(name, UNKNOWN_FIELD)
    cleaned: dict[str, Any] = {}
    for name, clean in (("name", clean_filter_name), ("query", clean_filter_query)):
        if name in fields:
            cleaned[name] = clean(fields[name], errors)
        elif creating:
            errors.add(name, REQUIRED)
    errors.raise_if_any()
    return cleaned


class SavedFilterService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def list(self, user: User) -> list[SavedFilter]:
        """The caller's filters, by name."""
        return self.uow.saved_filters.list(user.id)

    def get(self, user: User, filter_id: int) -> SavedFilter:
        saved = self.uow.saved_filters.get(user.id, filter_id)
        if saved is None:
            raise NotFound(f"Filter {filter_id} was not found.")
        return saved

    def create(self, user: User, fields: dict[str, Any]) -> SavedFilter:
        cleaned = clean_filter_fields(fields, creating=True)
        self._refuse_taken_name(user, cleaned["name"], None)
        saved = SavedFilter(user_id=user.id, **cleaned)
        with self.uow:
            self.uow.saved_filters.add(saved)
        return saved

    def update(self, user: User, filter_id: int, fields: dict[str, Any]) -> SavedFilter:
        """Rename it or change its query (omitted fields are unchanged)."""
        cleaned = clean_filter_fields(fields, creating=False)
        saved = self.get(user, filter_id)
        if "name" in cleaned:
            self._refuse_taken_name(user, cleaned["name"], saved.id)
        with self.uow:
            for name, value in cleaned.items():
                setattr(saved, name, value)
        return saved

    def delete(self, user: User, filter_id: int) -> None:
        saved = self.get(user, filter_id)
        with self.uow:
            self.uow.saved_filters.delete(saved)

    def _refuse_taken_name(self, user: User, name: str, except_id: int | None) -> None:
        if self.uow.saved_filters.name_taken(user.id, name, except_id):
            raise Conflict(NAME_TAKEN, {"name": [NAME_TAKEN]})

"""The rules of a project's fields, of a membership's and of the project list's query
parameters, each once, for the API and the browser alike."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from taskweb import rules
from taskweb.domain.projects import ArchivedFilter, ProjectQuery
from taskweb.models import Role
from taskweb.services.task_query import _integer as clean_integer_parameter
from taskweb.services.validation import (
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
    _text,
    clean_color,
    clean_email,
    clean_enum,
    clean_project_description,
    clean_project_name,
)

PROJECT_FIELDS = frozenset({"name", "description", "color", "archived"})
# A new project is never archived: archiving is a change of an existing one.
NEW_PROJECT_FIELDS = PROJECT_FIELDS - {"archived"}
# Who can be invited, and as what: ownership passes only by a transfer (a role change).
INVITED_ROLES = (Role.EDITOR, Role.VIEWER)
INVITE_FIELDS = frozenset({"username", "email", "role"})


def _unknown(changes: Mapping[str, Any], allowed: frozenset[str], errors: FieldErrors) -> None:
    for name in sorted(set(changes) - allowed):
        errors.add(name, UNKNOWN_FIELD)


def clean_flag(value: Any, field: str, errors: FieldErrors) -> bool | None:
    if not isinstance(value, bool):
        errors.add(field, "Must be true or false.")
        return None
    return value


def clean_project_fields(changes: Mapping[str, Any], *, creating: bool) -> dict[str, Any]:
    """Validate a subset of project fields on their own; on create the name is
    required and ``archived`` is not a field."""
    errors = FieldErrors()
    _unknown(changes, NEW_PROJECT_FIELDS if creating else PROJECT_FIELDS, errors)
    if creating and "name" not in changes:
        errors.add("name", REQUIRED)
    cleaners = {
        "name": lambda v: clean_project_name(v, errors),
        "description": lambda v: clean_project_description(v, errors),
        "color": lambda v: clean_color(v, errors),
        "archived": lambda v: clean_flag(v, "archived", errors),
    }
    cleaned = {name: cleaners[name](value) for name, value in changes.items()
               if name in cleaners and name not in errors.errors}
    errors.raise_if_any()
    return cleaned


def clean_invitation(fields: Mapping[str, Any]) -> tuple[str, str, Role]:
    """Who to add (``("username" | "email", value)``) and as what: exactly one of
    username and email, and a role of editor or viewer."""
    errors = FieldErrors()
    _unknown(fields, INVITE_FIELDS, errors)
    given = [name for name in ("username", "email") if name in fields]
    if not given:
        errors.add("username", "Give the username or the email of the person to add.")
    elif len(given) == 2:
        for name in given:
            errors.add(name, "Give the username or the email, not both.")
    who = None
    if len(given) == 1 and given[0] == "email":
        who = clean_email(fields["email"], errors)
    elif len(given) == 1:
        who = _text(fields["username"], "username", errors)
        who = who.strip() if who is not None else None
        if who == "":
            errors.add("username", "Must not be empty.")
    role = None
    if "role" not in fields:
        errors.add("role", REQUIRED)
    elif isinstance(fields["role"], str) and fields["role"] in {r.value for r in INVITED_ROLES}:
        role = Role(fields["role"])
    else:
        errors.add("role", "Must be one of: editor, viewer. (Ownership passes by making a "
                           "member the owner.)")
    errors.raise_if_any()
    assert who is not None and role is not None
    return given[0], who, role


def clean_role_change(fields: Mapping[str, Any]) -> Role:
    """The new role of a member: owner (a transfer of ownership), editor or viewer."""
    errors = FieldErrors()
    _unknown(fields, frozenset({"role"}), errors)
    role = None
    if "role" not in fields:
        errors.add("role", REQUIRED)
    else:
        role = clean_enum(fields["role"], Role, "role", errors)
    errors.raise_if_any()
    assert role is not None
    return role


def _last(args: Mapping[str, Iterable[str]], name: str) -> str | None:
    values = [value.strip() for value in args.get(name, []) if value.strip()]
    return values[-1] if values else None


def parse_project_query(args: Mapping[str, Iterable[str]]) -> ProjectQuery:
    """Validate the project list's parameters (``args`` maps a name to all its values)."""
    errors = FieldErrors()
    archived = ArchivedFilter.FALSE
    raw = _last(args, "archived")
    if raw is not None:
        archived = clean_enum(raw.lower(), ArchivedFilter, "archived", errors) or archived
    limit = clean_integer_parameter(_last(args, "limit"), "limit", rules.PAGE_LIMIT_DEFAULT,
                                    rules.PAGE_LIMIT_MIN, rules.PAGE_LIMIT_MAX, errors)
    offset = clean_integer_parameter(_last(args, "offset"), "offset", 0, 0, rules.OFFSET_MAX,
                                     errors)
    errors.raise_if_any()
    return ProjectQuery(archived=archived, limit=limit, offset=offset)

"""Use cases of labels across tasks. Labels are names on tasks, not records of their own:
listing counts them over the tasks the caller may see; renaming and removing change the
tasks the caller may edit (and no others)."""

from __future__ import annotations

from typing import Any

from taskweb.domain.access import Action, may
from taskweb.domain.projects import LabelCount
from taskweb.errors import NotFound
from taskweb.models import Role, User
from taskweb.services.validation import (
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
    clean_label,
    label_key,
)
from taskweb.unit_of_work import UnitOfWork

# The roles whose holders may change a project's tasks, and so their labels.
EDITING_ROLES = frozenset(role for role in Role if may(role, Action.EDIT_TASKS))
NO_SUCH_LABEL = "No task you can edit carries this label."


def _key_of(name: str) -> str:
    """The comparison key of the label a path names; 404 for a name no label can have."""
    cleaned = clean_label(name, "name", FieldErrors())
    if cleaned is None:
        raise NotFound(NO_SUCH_LABEL)
    return label_key(cleaned)


def clean_new_label_name(fields: dict[str, Any]) -> str:
    errors = FieldErrors()
    for name in sorted(set(fields) - {"name"}):
        errors.add(name, UNKNOWN_FIELD)
    new_name = None
    if "name" not in fields:
        errors.add("name", REQUIRED)
    else:
        new_name = clean_label(fields["name"], "name", errors)
    errors.raise_if_any()
    assert new_name is not None
    return new_name


class LabelService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def list(self, user: User) -> list[LabelCount]:
        """Every label on the tasks the caller may see (open and done), by name, with the
        number of tasks carrying it. A label written in several ways (``Home``, ``home``)
        is one label, shown in its most common spelling; of equally common ones, the
        spelling on the oldest task."""
        return self.uow.labels.counts(user.id)

    def rename(self, user: User, name: str, fields: dict[str, Any]) -> LabelCount:
        """Rename label ``name`` (any case) on every task the caller may edit; on a task
        that has the new label already, the two merge. Answers the new name and how many
        tasks the caller may see carry it now."""
        new_name = clean_new_label_name(fields)
        key, new_key = _key_of(name), label_key(new_name)
        with self.uow:
            if not self.uow.labels.rename(user.id, EDITING_ROLES, key, new_name, new_key):
                raise NotFound(NO_SUCH_LABEL)
        return LabelCount(name=new_name, count=self.uow.labels.count(user.id, new_key))

    def remove(self, user: User, name: str) -> None:
        """Take label ``name`` (any case) off every task the caller may edit."""
        key = _key_of(name)
        with self.uow:
            if not self.uow.labels.remove(user.id, EDITING_ROLES, key):
                raise NotFound(NO_SUCH_LABEL)

"""Reading the document of an export back: every part optional, unknown keys refused,
each fault named by its JSON path (``tasks[3].status``)."""

from __future__ import annotations

from typing import Any

from taskweb.errors import ValidationFailed
from taskweb.services.auth import INBOX_NAME
from taskweb.services.portability.plan import (
    DOCUMENT_KEYS,
    FILTER_KEYS,
    FORMAT,
    MAX_FILTERS,
    MAX_PROJECTS,
    MAX_TASKS,
    POSITION_MAX,
    PROJECT_KEYS,
    TASK_FIELDS,
    TASK_KEYS,
    VERSION,
    ImportedProject,
    ImportedTask,
    ImportPlan,
    PlacedErrors,
    check_parents,
    project_of_task,
    task_fields,
)
from taskweb.services.saved_filters import clean_filter_fields
from taskweb.services.validation import (
    NOT_A_STRING,
    REQUIRED,
    UNKNOWN_FIELD,
    FieldErrors,
    clean_color,
    clean_datetime,
    clean_project_description,
    clean_project_name,
)


def _object(value: Any, where: str, keys: frozenset[str],
            errors: PlacedErrors) -> dict[str, Any] | None:
    """``value`` if it is an object (its unknown keys named), else None."""
    if not isinstance(value, dict):
        errors.at(where, "", "Must be an object.")
        return None
    for name in sorted(set(value) - keys, key=str):
        errors.at(where, str(name), UNKNOWN_FIELD)
    return value


def _list(document: dict[str, Any], name: str, limit: int, errors: PlacedErrors) -> list[Any]:
    value = document.get(name, [])
    if not isinstance(value, list):
        errors.at(name, "", "Must be a list.")
        return []
    if len(value) > limit:
        errors.at(name, "", f"At most {limit} {name} in one import: split it into several.")
        return []
    return value


def _boolean(entry: dict[str, Any], name: str, where: str, errors: PlacedErrors) -> bool:
    value = entry.get(name, False)
    if not isinstance(value, bool):
        errors.at(where, name, "Must be true or false.")
        return False
    return value


def _ref(entry: dict[str, Any], name: str, where: str, errors: PlacedErrors) -> int | None:
    value = entry.get(name)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        errors.at(where, name, "Must be an integer.")
        return None
    return value


def _is_position(value: Any) -> bool:
    return (isinstance(value, str) and 1 <= len(value) <= POSITION_MAX and value.isascii()
            and value.isprintable() and " " not in value)


def _document_projects(entries: list[Any], plan: ImportPlan, errors: PlacedErrors) -> set[str]:
    """Read the document's projects into ``plan``; returns the lower-cased names that
    mean the Inbox (the document's own Inbox, and ours)."""
    inbox_names = {INBOX_NAME.lower()}
    documents_inbox: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(entries):
        where = f"projects[{index}]"
        entry = _object(value, where, PROJECT_KEYS, errors)
        if entry is None:
            continue
        found = FieldErrors()
        if "name" not in entry:
            found.add("name", REQUIRED)
        name = clean_project_name(entry["name"], found) if "name" in entry else None
        description = clean_project_description(entry.get("description"), found)
        color = clean_color(entry.get("color"), found)
        errors.merge(where, found)
        archived = _boolean(entry, "archived", where, errors)
        if _boolean(entry, "is_inbox", where, errors):
            documents_inbox.append(where)
            if name is not None:
                inbox_names.add(name.lower())
        elif name is not None and name.lower() not in seen:
            plan.projects.append(ImportedProject(name, description, color, archived))
        if name is not None and name.lower() in seen:
            errors.at(where, "name", "Another project of the document has this name.")
        if name is not None:
            seen.add(name.lower())
    for where in documents_inbox[1:]:
        errors.at(where, "is_inbox", "Only one project of the document can be the Inbox.")
    # An Inbox is never created: a project of the document named like one merges into it.
    plan.projects = [p for p in plan.projects if p.name.lower() not in inbox_names]
    return inbox_names


def _document_task(value: Any, where: str, inbox_names: set[str],
                   errors: PlacedErrors) -> tuple[ImportedTask, int | None, int | None]:
    """One task of the document, with its ref and its parent's ref."""
    entry = _object(value, where, TASK_KEYS, errors)
    if entry is None:
        return ImportedTask(where, None, {}), None, None
    fields = task_fields(where, {name: entry[name] for name in TASK_FIELDS if name in entry},
                         errors)
    project = project_of_task(entry.get("project"), where, inbox_names, errors)
    assignee = entry.get("assignee")
    if assignee is not None and not isinstance(assignee, str):
        errors.at(where, "assignee", NOT_A_STRING)
        assignee = None
    found = FieldErrors()
    completed_at = clean_datetime(entry.get("completed_at"), "completed_at", found)
    deleted_at = clean_datetime(entry.get("deleted_at"), "deleted_at", found)
    errors.merge(where, found)
    position = entry.get("position")
    if position is not None and not _is_position(position):
        errors.at(where, "position", f"Must be 1 to {POSITION_MAX} printable ASCII "
                                     "characters without spaces.")
        position = None
    task = ImportedTask(where, project, fields, assignee=assignee,
                        completed_at=completed_at, deleted_at=deleted_at,
                        position=position)
    return task, _ref(entry, "ref", where, errors), _ref(entry, "parent_ref", where, errors)


def read_document(document: Any) -> ImportPlan:
    """The plan of a JSON document in the export's shape. Every part is optional; a
    task's project is a name (of the document's projects, of ours, or a new one)."""
    errors = PlacedErrors()
    if not isinstance(document, dict):
        errors.at("body", "", "Must be a JSON object: the document of an export.")
        errors.raise_if_any()
    _object(document, "", DOCUMENT_KEYS, errors)
    if document.get("format", FORMAT) != FORMAT:
        errors.at("format", "", f"Must be {FORMAT!r}.")
    if document.get("version", VERSION) != VERSION:
        errors.at("version", "", f"Must be {VERSION}, the only version there is.")
    user = document.get("user")
    own_username = user.get("username") if isinstance(user, dict) else None
    plan = ImportPlan(own_username=own_username if isinstance(own_username, str) else None)
    entries = _list(document, "tasks", MAX_TASKS, errors)
    inbox_names = _document_projects(_list(document, "projects", MAX_PROJECTS, errors),
                                     plan, errors)
    refs: dict[int, int] = {}
    parent_refs: dict[int, int] = {}
    for index, value in enumerate(entries):
        if errors.full:
            break
        task, ref, parent_ref = _document_task(value, f"tasks[{index}]", inbox_names, errors)
        if ref is not None and ref in refs:
            errors.at(task.where, "ref", "Another task of the document has this ref.")
        elif ref is not None:
            refs[ref] = index
        if parent_ref is not None:
            parent_refs[index] = parent_ref
        plan.name_project(task.project)
        plan.tasks.append(task)
    for index, parent_ref in parent_refs.items():
        if parent_ref in refs:
            plan.tasks[index].parent = refs[parent_ref]
        else:
            errors.at(plan.tasks[index].where, "parent_ref",
                      "No task of the document has this ref.")
    check_parents(plan, errors)
    _saved_filters(document, plan, errors)
    errors.raise_if_any()
    return plan


def _saved_filters(document: dict[str, Any], plan: ImportPlan, errors: PlacedErrors) -> None:
    """The document's saved filters, by the rules of saving one (a name appearing twice,
    in any case, is refused)."""
    names: set[str] = set()
    for index, value in enumerate(_list(document, "saved_filters", MAX_FILTERS, errors)):
        where = f"saved_filters[{index}]"
        entry = _object(value, where, FILTER_KEYS, errors)
        if entry is None:
            continue
        try:
            cleaned = clean_filter_fields({k: entry[k] for k in ("name", "query") if k in entry},
                                          creating=True)
        except ValidationFailed as invalid:
            errors.merge(where, invalid)
            continue
        if cleaned["name"].lower() in names:
            errors.at(where, "name", "Appears twice in this document.")
            continue
        names.add(cleaned["name"].lower())
        plan.saved_filters.append((cleaned["name"], cleaned["query"]))

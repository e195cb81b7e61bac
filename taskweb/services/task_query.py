"""The one place that turns list query parameters into a validated TaskQuery."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from taskweb import rules
from taskweb.models import TaskPriority, TaskStatus
from taskweb.repositories import DEFAULT_SORT, SORT_FIELDS, TaskQuery
from taskweb.services.validation import FieldErrors, clean_datetime, clean_enum

SORT_CHOICES = tuple(f"{prefix}{name}" for name in SORT_FIELDS for prefix in ("", "-"))
QUERY_PARAMETERS = frozenset(
    {"status", "priority", "due_before", "due_after", "q", "sort", "limit", "offset", "page"}
)


def _values(args: Mapping[str, Iterable[str]], name: str) -> list[str]:
    """Every value of a parameter, whether repeated or comma-separated; blanks dropped."""
    values: list[str] = []
    for raw in args.get(name, []):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def _single(args: Mapping[str, Iterable[str]], name: str) -> str | None:
    values = [value for value in args.get(name, []) if value.strip()]
    return values[-1].strip() if values else None


def _integer(
    raw: str | None, name: str, default: int, low: int, high: int, errors: FieldErrors
) -> int:
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        errors.add(name, "Must be an integer.")
        return default
    if not low <= value <= high:
        errors.add(name, f"Must be between {low} and {high}.")
        return default
    return value


def parse_task_query(
    args: Mapping[str, Iterable[str]], *, default_limit: int = rules.PAGE_LIMIT_DEFAULT
) -> TaskQuery:
    """Validate list parameters (``args`` maps a name to all its values).

    ``page`` (1-based) is accepted as an alternative to ``offset`` for the browser.
    """
    errors = FieldErrors()
    statuses = [clean_enum(value, TaskStatus, "status", errors) for value in _values(args, "status")]
    priorities = [
        clean_enum(value, TaskPriority, "priority", errors) for value in _values(args, "priority")
    ]
    due_before = clean_datetime(_single(args, "due_before"), "due_before", errors)
    due_after = clean_datetime(_single(args, "due_after"), "due_after", errors)
    text = _single(args, "q")
    if text is not None and len(text) > rules.SEARCH_MAX:
        errors.add("q", f"Must be at most {rules.SEARCH_MAX} characters.")
    if text is not None and rules.CONTROL_CHARS_RE.search(text):
        errors.add("q", "Must not contain control characters.")
    sort = _single(args, "sort") or DEFAULT_SORT
    if sort not in SORT_CHOICES:
        errors.add("sort", f"Must be one of: {', '.join(SORT_CHOICES)}.")
    limit = _integer(
        _single(args, "limit"), "limit", default_limit,
        rules.PAGE_LIMIT_MIN, rules.PAGE_LIMIT_MAX, errors,
    )
    offset = _integer(_single(args, "offset"), "offset", 0, 0, rules.OFFSET_MAX, errors)
    page = _integer(_single(args, "page"), "page", 1, 1, rules.OFFSET_MAX // rules.PAGE_LIMIT_MAX, errors)
    errors.raise_if_any()
    if _single(args, "offset") is None and page > 1:
        offset = (page - 1) * limit
    return TaskQuery(
        statuses=tuple(dict.fromkeys(statuses)),
        priorities=tuple(dict.fromkeys(priorities)),
        due_before=due_before,
        due_after=due_after,
        text=text,
        sort=sort,
        limit=limit,
        offset=offset,
    )

"""The one place that turns list query parameters into a validated TaskQuery.

Which parameters exist and what they hold comes from ``domain.task_query.FILTERS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from taskweb import rules
from taskweb.domain.filter_grammar import FilterSyntaxError, parse_filter
from taskweb.domain.task_query import (
    DEFAULT_SORT,
    FILTERS,
    ME,
    NONE,
    SORT_CHOICES,
    Filter,
    FilterKind,
    TaskQuery,
)
from taskweb.services.validation import (
    FieldErrors,
    clean_datetime,
    clean_enum,
    clean_label,
    label_key,
)

Args = Mapping[str, Iterable[str]]


def _values(args: Args, name: str) -> list[str]:
    """Every value of a parameter, whether repeated or comma-separated; blanks dropped."""
    values: list[str] = []
    for raw in args.get(name, []):
        values.extend(part.strip() for part in raw.split(",") if part.strip())
    return values


def _single(args: Args, name: str) -> str | None:
    values = [value for value in args.get(name, []) if value.strip()]
    return values[-1].strip() if values else None


def _enum_list(spec: Filter, args: Args, errors: FieldErrors) -> tuple[Any, ...]:
    assert spec.choices is not None
    cleaned = [clean_enum(value, spec.choices, spec.parameter, errors)
               for value in _values(args, spec.parameter)]
    return tuple(dict.fromkeys(value for value in cleaned if value is not None))


def _datetime(spec: Filter, args: Args, errors: FieldErrors) -> Any:
    return clean_datetime(_single(args, spec.parameter), spec.parameter, errors)


def _text(spec: Filter, args: Args, errors: FieldErrors) -> str | None:
    text = _single(args, spec.parameter)
    if text is not None and len(text) > rules.SEARCH_MAX:
        errors.add(spec.parameter, f"Must be at most {rules.SEARCH_MAX} characters.")
    if text is not None and rules.CONTROL_CHARS_RE.search(text):
        errors.add(spec.parameter, "Must not contain control characters.")
    return text


def _positive_id(raw: str, name: str, errors: FieldErrors) -> int | None:
    if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 2**31 - 1:
        return int(raw)
    errors.add(name, "Must be a positive integer id.")
    return None


def _ids(spec: Filter, args: Args, errors: FieldErrors) -> tuple[int, ...]:
    ids = [_positive_id(raw, spec.parameter, errors) for raw in _values(args, spec.parameter)]
    return tuple(dict.fromkeys(i for i in ids if i is not None))


def _labels(spec: Filter, args: Args, errors: FieldErrors) -> tuple[str, ...]:
    names = [clean_label(raw, spec.parameter, errors) for raw in _values(args, spec.parameter)]
    return tuple(dict.fromkeys(label_key(name) for name in names if name is not None))


def _id_or(*words: str) -> Callable[[Filter, Args, FieldErrors], int | str | None]:
    """A parser for a parameter that is a positive id or one of ``words``."""

    def parse(spec: Filter, args: Args, errors: FieldErrors) -> int | str | None:
        raw = _single(args, spec.parameter)
        if raw is None or raw.lower() in words:
            return raw.lower() if raw is not None else None
        if not (raw.isascii() and raw.isdigit()):
            errors.add(spec.parameter, f"Must be {', '.join(f'`{w}`' for w in words)} or an id.")
            return None
        return _positive_id(raw, spec.parameter, errors)

    return parse


def _expression(spec: Filter, args: Args, errors: FieldErrors) -> Any:
    """The AST of a query in the filter language (None when blank); a malformed one is
    an error naming what was expected and at which character."""
    query = _single(args, spec.parameter)
    if query is None:
        return None
    try:
        return parse_filter(query)
    except FilterSyntaxError as error:
        errors.add(spec.parameter, error.sentence)
        return None


PARSERS: dict[FilterKind, Callable[[Filter, Args, FieldErrors], Any]] = {
    FilterKind.ENUM_LIST: _enum_list,
    FilterKind.DATETIME: _datetime,
    FilterKind.TEXT: _text,
    FilterKind.IDS: _ids,
    FilterKind.LABELS: _labels,
    FilterKind.ASSIGNEE: _id_or(ME, NONE),
    FilterKind.PARENT: _id_or(NONE),
    FilterKind.EXPRESSION: _expression,
}


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


def parse_task_query(args: Args, *, default_limit: int = rules.PAGE_LIMIT_DEFAULT) -> TaskQuery:
    """Validate list parameters (``args`` maps a name to all its values).

    ``page`` (1-based) is accepted as an alternative to ``offset`` for the browser.
    """
    errors = FieldErrors()
    filters = {spec.attribute: PARSERS[spec.kind](spec, args, errors) for spec in FILTERS}
    sort = _single(args, "sort") or DEFAULT_SORT
    if sort not in SORT_CHOICES:
        errors.add("sort", f"Must be one of: {', '.join(SORT_CHOICES)}.")
    limit = _integer(
        _single(args, "limit"), "limit", default_limit,
        rules.PAGE_LIMIT_MIN, rules.PAGE_LIMIT_MAX, errors,
    )
    offset = _integer(_single(args, "offset"), "offset", 0, 0, rules.OFFSET_MAX, errors)
    page = _integer(_single(args, "page"), "page", 1, 1,
                    rules.OFFSET_MAX // rules.PAGE_LIMIT_MAX, errors)
    errors.raise_if_any()
    if _single(args, "offset") is None and page > 1:
        offset = (page - 1) * limit
    return TaskQuery(**filters, sort=sort, limit=limit, offset=offset)


def paging_of(args: Args, errors: FieldErrors) -> tuple[int, int]:
    """``limit`` and ``offset`` (the last value of each) of a page of a list other than
    the task list: the trash, a task's history, notifications. A bad one is noted in
    ``errors`` under its name."""
    values = {name: list(args.get(name, [])) for name in ("limit", "offset")}
    limit = _integer(values["limit"][-1] if values["limit"] else None, "limit",
                     rules.PAGE_LIMIT_DEFAULT, rules.PAGE_LIMIT_MIN, rules.PAGE_LIMIT_MAX,
                     errors)
    offset = _integer(values["offset"][-1] if values["offset"] else None, "offset", 0, 0,
                      rules.OFFSET_MAX, errors)
    return limit, offset


def parse_page(args: Args) -> tuple[int, int]:
    """``limit`` and ``offset`` of such a page (422 naming a bad one)."""
    errors = FieldErrors()
    paging = paging_of(args, errors)
    errors.raise_if_any()
    return paging

"""Map every failure under /api/ to problem+json: domain errors, HTTP errors, crashes."""

from __future__ import annotations

from flask import Response
from werkzeug.exceptions import HTTPException

from taskweb.api.problems import flatten_webargs_messages, problem
from taskweb.errors import DomainError

HIDDEN_HEADERS = frozenset({"content-type", "content-length"})


def problem_for_domain_error(error: DomainError) -> Response:
    return problem(
        error.status_code, error.detail, title=error.title, errors=error.errors or None
    )


def problem_for_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = {
        name: value
        for name, value in error.get_headers()
        if name.lower() not in HIDDEN_HEADERS
    }
    headers.update(data.get("headers") or {})
    if "messages" in data:
        errors = flatten_webargs_messages(data["messages"])
        return problem(
            status, "The input is not valid.", title="Validation failed", errors=errors,
            headers=headers,
        )
    if status == 429:
        return problem(429, "Too many requests; retry after the seconds in Retry-After.",
                       headers=headers)
    detail = error.description if status < 500 else None
    return problem(status, detail, headers=headers)


def problem_for_database_outage() -> Response:
    return problem(
        503, "The database is unavailable. Try again shortly.", headers={"Retry-After": "5"}
    )


def problem_for_crash() -> Response:
    return problem(500, "An unexpected error occurred. It has been logged.")

"""RFC 9457 problem details: the one shape of every error under /api/."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from flask import Response, current_app

PROBLEM_MIMETYPE = "application/problem+json"


def problem(
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
    members: dict[str, Any] | None = None,
) -> Response:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or phrase,
        "status": status,
        "detail": detail or phrase,
    }
    if errors:
        body["errors"] = errors
    # Extension members (RFC 9457 section 3.2), e.g. which dependency is down.
    body.update(members or {})
    response = current_app.response_class(
        current_app.json.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE
    )
    if status == 401:
        response.headers["WWW-Authenticate"] = "Bearer"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten_webargs_messages(messages: Any) -> dict[str, list[str]]:
    """webargs nests messages by location ({"json": {"title": [...]}}); clients want fields."""
    if isinstance(messages, dict) and set(messages) <= {"json", "query", "headers", "form"}:
        merged: dict[str, Any] = {}
        for part in messages.values():
            if isinstance(part, dict):
                merged.update(part)
            else:
                merged.setdefault("_body", part)
        messages = merged
    flat: dict[str, list[str]] = {}
    for field, value in (messages or {}).items():
        name = "body" if field in ("_schema", "_body") else str(field)
        flat[name] = _strings(value)
    return flat


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, inner in value.items() for message in _strings(inner)]
    if isinstance(value, (list, tuple)):
        return [message for item in value for message in _strings(item)]
    return [str(value)]

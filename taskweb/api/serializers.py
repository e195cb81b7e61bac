"""JSON answers built directly on the hot paths (the task's shape itself is
taskweb/domain/task_json.py)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    response = current_app.json.response(data)
    response.status_code = status
    response.headers.update(headers or {})
    return response

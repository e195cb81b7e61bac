"""Structured logs: one JSON line per request, security events, and X-Request-ID.

Nothing here logs bodies, query strings, headers or cookies, so passwords and tokens
never reach a log line.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, g, request

from taskweb.extensions import RATE_LIMIT_HIT_LISTENERS

REQUEST_ID_HEADER = "X-Request-ID"
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._\-]{1,128}$")
_RESERVED = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

request_log = logging.getLogger("taskweb.request")
security_log = logging.getLogger("taskweb.security")


class JsonFormatter(logging.Formatter):
    """A log record as one JSON object; ``extra`` fields become keys."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def configure_logging(app: Flask) -> None:
    """Send every taskweb log line to stderr as JSON (once per process).

    Under test, records only propagate to pytest's capture instead.
    """
    logger = logging.getLogger("taskweb")
    testing = app.config.get("TESTING", False)
    if not testing and not any(getattr(h, "taskweb", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler.taskweb = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    logger.propagate = testing


def current_request_id() -> str | None:
    return g.get("request_id")


def security_event(event: str, **fields: Any) -> None:
    """Log a security-relevant event (login, token reuse, rate limit) with the request id."""
    security_log.warning(event, extra={"event": event, "request_id": current_request_id(),
                                       **fields})


def note_user(user_id: int) -> None:
    """Remember who made the request, for its log line."""
    g.user_id = user_id


def _log_breach(limit: Any) -> None:
    security_event("rate_limited", limit=str(limit.limit))


def register_request_logging(app: Flask) -> None:
    if _log_breach not in RATE_LIMIT_HIT_LISTENERS:
        RATE_LIMIT_HIT_LISTENERS.append(_log_breach)

    @app.before_request
    def start_request() -> None:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response: Response) -> Response:
        request_id = g.get("request_id") or uuid.uuid4().hex
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 2) if started else None
        request_log.info(
            "request",
            extra={
                "event": "request",
                "request_id": request_id,
                "user_id": g.get("user_id"),
                "method": request.method,
                # A view whose path holds a secret (a feed's, a reset link's) names
                # its route instead.
                "path": g.get("logged_path") or request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
            },
        )
        return response

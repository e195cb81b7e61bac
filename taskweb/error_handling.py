"""One handler per kind of failure; each answers as problem+json under /api/ and as a
page in the browser."""

from __future__ import annotations

import logging

from flask import Flask, Response, render_template, request
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from taskweb.api import is_api_request
from taskweb.api.errors import (
    problem_for_crash,
    problem_for_database_outage,
    problem_for_domain_error,
    problem_for_http_exception,
)
from taskweb.errors import DomainError
from taskweb.extensions import db

log = logging.getLogger(__name__)
TOO_MANY_ATTEMPTS = "Too many attempts. Please wait a minute, then try again."


def _error_page(
    status: int, title: str, detail: str, headers: list[tuple[str, str]] | None = None
) -> tuple[str, int, list[tuple[str, str]]]:
    html = render_template("error.html", status=status, title=title, detail=detail)
    return html, status, headers or []


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(DomainError)
    def domain_error(error: DomainError) -> Response | tuple[str, int]:
        if is_api_request():
            return problem_for_domain_error(error)
        return _error_page(error.status_code, error.title, error.detail)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response | tuple[str, int]:
        if is_api_request():
            return problem_for_http_exception(error)
        # Keep what the exception says about itself, such as Allow on a 405.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        if error.code == 429:
            return _error_page(429, "Too many attempts", TOO_MANY_ATTEMPTS, headers)
        return _error_page(error.code or 500, error.name, error.description or "", headers)

    @app.errorhandler(OperationalError)
    def database_outage(error: OperationalError) -> Response | tuple[str, int]:
        log.error("database unavailable: %s", type(error.orig).__name__)
        db.session.rollback()
        if is_api_request():
            return problem_for_database_outage()
        return _error_page(503, "Service unavailable", "The database is unavailable. "
                           "Please try again in a moment.")

    @app.errorhandler(Exception)
    def crash(error: Exception) -> Response | tuple[str, int]:
        if isinstance(error, DBAPIError):
            db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        if is_api_request():
            return problem_for_crash()
        return _error_page(500, "Something went wrong", "An unexpected error occurred. "
                           "It has been logged.")

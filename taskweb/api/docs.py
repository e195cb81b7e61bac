"""OpenAPI helpers for the views, and Swagger UI at /docs from npm-installed assets."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, render_template
from flask_jwt_extended import jwt_required

from taskweb import rules
from taskweb.api.problems import PROBLEM_MIMETYPE
from taskweb.api.schemas import ProblemSchema

F = TypeVar("F", bound=Callable)


def paging_parameters(skipped: str) -> list[dict]:
    """The `limit` and `offset` query parameters of a paged list (``skipped`` says what
    `offset` skips: "Tasks", "Projects")."""
    return [
        {"in": "query", "name": "limit", "required": False,
         "schema": {"type": "integer", "minimum": rules.PAGE_LIMIT_MIN,
                    "maximum": rules.PAGE_LIMIT_MAX, "default": rules.PAGE_LIMIT_DEFAULT},
         "description": "Page size."},
        {"in": "query", "name": "offset", "required": False,
         "schema": {"type": "integer", "minimum": 0, "maximum": rules.OFFSET_MAX, "default": 0},
         "description": f"{skipped} to skip."},
    ]

PROBLEM_DESCRIPTIONS = {
    400: "The body is not valid JSON.",
    401: "Missing, invalid, expired or revoked token (`WWW-Authenticate: Bearer`).",
    403: "Your role in the project does not allow this (a viewer's write, say), or the "
         "personal access token lacks a scope (`errors.scope` names it) or may never do it.",
    404: "Not found, or in a project you do not belong to (the same answer).",
    409: "Conflict: `errors` names the field already in use.",
    412: "`If-Match` does not match the task's current `ETag`.",
    413: "The body is larger than 1 MiB.",
    415: "The body is not `application/json`.",
    422: "Validation failed: `errors` names every offending field.",
    429: "Too many attempts or requests; wait `Retry-After` seconds.",
}


def documents_problems(blueprint, *codes: int) -> Callable[[F], F]:
    """Declare the problem+json answers a view can give, for the OpenAPI document."""

    def decorate(view: F) -> F:
        for code in codes:
            view = blueprint.alt_response(
                code,
                schema=ProblemSchema,
                description=PROBLEM_DESCRIPTIONS[code],
                content_type=PROBLEM_MIMETYPE,
            )(view)
        return view

    return decorate


def _access_or_personal_token_required(view: F) -> F:
    """An access token (checked by Flask-JWT-Extended) or a personal access token
    (checked here, with its scopes) opens ``view``."""
    from taskweb.api.jwt_callbacks import (
        authenticate_personal_token,
        personal_token_bearer,
    )

    with_access_token = jwt_required()(view)

    @functools.wraps(view)
    def guarded(*args, **kwargs):
        secret = personal_token_bearer()
        if secret is None:
            return with_access_token(*args, **kwargs)
        refusal = authenticate_personal_token(secret)
        return refusal if refusal is not None else view(*args, **kwargs)

    return guarded  # type: ignore[return-value]


def _documented_codes(view: Callable) -> set[int]:
    return set(getattr(view, "_apidoc", {}).get("response", {}).get("responses", {}))


def bearer_protected(blueprint) -> Callable[[F], F]:
    """Require a valid access token or personal access token, and say so (with the 401
    and the 403 of a missing scope) in the OpenAPI document."""

    def decorate(view: F) -> F:
        view = _access_or_personal_token_required(view)
        view = documents_problems(blueprint, 401)(view)
        if 403 not in _documented_codes(view):  # a personal token's scope can refuse
            view = documents_problems(blueprint, 403)(view)
        return blueprint.doc(security=[{"bearerAuth": []}])(view)

    return decorate


def register_docs(app: Flask) -> None:
    @app.get("/docs")
    def swagger_ui() -> str:
        if not current_app.config["DOCS_ENABLED"]:
            abort(404)
        return render_template("docs.html")

"""The JSON adapter, /api/v1: blueprints, OpenAPI, JWT wiring and error mapping."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_smorest import Api

from taskweb.api.docs import register_docs
from taskweb.api.jwt_callbacks import normalise_bearer_scheme, register_jwt_callbacks
from taskweb.api.rate_limit import RateLimitDocs, install_api_budget
from taskweb.api.request_checks import check_json_body
from taskweb.extensions import csrf

API_PREFIX = "/api/"


class TaskwebApi(Api):
    """flask-smorest Api whose errors are left to our own problem+json handlers."""

    def _register_error_handlers(self) -> None:
        pass


SPEC_INFO = {
    "description": "Manage your tasks. Every error is an RFC 9457 problem document "
    "(`application/problem+json`). Authenticate with `Authorization: Bearer <access token>` "
    "from `POST /api/v1/auth/login`, or with a personal access token (`tw_pat_…`) "
    "limited to its scopes. Each caller has a request budget: see the `RateLimit-*` headers.",
}


BEARER_SCHEME = {
    "type": "http", "scheme": "bearer", "bearerFormat": "JWT or tw_pat_…",
    "description": "Either an access token from `POST /api/v1/auth/login` (a JWT, short-"
    "lived, refreshed with `POST /api/v1/auth/refresh`) or a personal access token "
    "(`tw_pat_…`, made in the profile page or with `POST /api/v1/tokens`), which opens only "
    "what its scopes allow: without one of them the answer is 403 and `errors.scope` names "
    "it. Every answer carries `RateLimit-Limit`, `RateLimit-Remaining` and "
    "`RateLimit-Reset`; past the limit, 429 with `Retry-After`.",
}


def is_api_request() -> bool:
    return request.path.startswith(API_PREFIX)


def _never_stored(response: Response) -> Response:
    """API answers are personal (and token answers secret): no cache may keep them.

    The OpenAPI document is the one public answer under /api/.
    """
    if is_api_request() and not request.path.endswith("/openapi.json"):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_api(app: Flask) -> None:
    from taskweb.api import (
        auth,
        bulk,
        calendar,
        filters,
        history,
        labels,
        move,
        notifications,
        password_reset,
        personal_tokens,
        projects,
        quick_add,
        sync,
        system,
        tasks,
        trash,
        users,
        webhooks,
    )

    install_api_budget()
    api = TaskwebApi(app, spec_kwargs={"info": SPEC_INFO, "extra_plugins": [RateLimitDocs()]})
    api.spec.components.security_scheme("bearerAuth", BEARER_SCHEME)
    for blueprint in (auth.blp, password_reset.blp, users.blp, calendar.blp, tasks.blp,
                      quick_add.blp, move.blp, history.blp, projects.blp, labels.blp, filters.blp,
                      notifications.blp, system.blp, bulk.blp, trash.blp,
                      personal_tokens.blp, sync.blp, webhooks.blp):
        # Bearer tokens are not sent by browsers on their own, so CSRF does not apply.
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.before_request(normalise_bearer_scheme)
    app.before_request(check_json_body)
    app.after_request(_never_stored)
    register_jwt_callbacks()
    register_docs(app)

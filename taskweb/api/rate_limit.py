"""The budget of programs on /api/v1 (``API_RATE_LIMIT``), and how the OpenAPI document
tells them about it.

Every /api/v1 request is counted once, against one key: the personal access token's id,
else the user of a valid login token, else the client address (so a stranger cannot
spend a user's budget by naming them, nor get a fresh one with a made-up token).
Flask-Limiter counts it as an application-wide limit (taskweb/extensions.py), which also
covers the endpoints with limits of their own (signing in), and which browser pages are
exempt from. ``taskweb.rate_limits.write_rate_limit_headers`` writes the headers.
"""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin
from flask import current_app, request
from flask_jwt_extended import decode_token
from flask_jwt_extended.exceptions import JWTExtendedException
from flask_limiter.util import get_remote_address
from jwt import PyJWTError
from sqlalchemy.exc import OperationalError

from taskweb.api.jwt_callbacks import personal_token_bearer, personal_token_holder
from taskweb.extensions import db, rate_limit_hooks

API_BUDGET_SCOPE = "api"


def install_api_budget() -> None:
    """Hand the API budget's functions to the limiter (taskweb/extensions.py)."""
    rate_limit_hooks.update(api_rate_limit=api_rate_limit, api_client_key=api_client_key,
                            is_not_an_api_request=is_not_an_api_request)


def api_rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def is_not_an_api_request() -> bool:
    """Pages have their own (sign-in) limits only; a browser never spends the API budget."""
    return not request.path.startswith("/api/")


def api_client_key() -> str:
    """Whose budget this request spends: ``token:<id>``, ``user:<id>`` or ``address:<ip>``."""
    secret = personal_token_bearer()
    if secret is not None:
        try:
            found = personal_token_holder(secret)
        except OperationalError:
            # The database is down: the view will answer 503. Raising here would make
            # Flask-Limiter take its counters' store for dead instead.
            db.session.rollback()
            found = None
        if found is not None:
            return f"token:{found[0].id}"
    elif (user_id := _login_token_user_id()) is not None:
        return f"user:{user_id}"
    return f"address:{get_remote_address()}"


def _login_token_user_id() -> str | None:
    """The user of a login token whose signature and expiry hold (no database read:
    a revoked one is refused by the view all the same, after being counted)."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    try:
        claims = decode_token(credentials.strip())
    except (PyJWTError, JWTExtendedException):
        return None
    return str(claims["sub"])


# ---- the OpenAPI document -----------------------------------------------------------------

RATE_LIMIT_HEADERS: dict[str, dict[str, Any]] = {
    "RateLimit-Limit": {
        "description": "Requests allowed in the current window (`API_RATE_LIMIT`), per "
                       "personal access token, per user with a login token, per client "
                       "address without a token.",
        "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer", "minimum": 0}},
    "RateLimit-Reset": {
        "description": "Seconds until the window resets (not a timestamp).",
        "schema": {"type": "integer", "minimum": 0}},
}
RETRY_AFTER = {"description": "Seconds to wait before the next request.",
               "schema": {"type": "integer", "minimum": 1}}
TOO_MANY_REQUESTS = "Too many requests: the rate limit is spent; wait `Retry-After` seconds."


class RateLimitDocs(BasePlugin):
    """Documents the RateLimit headers on every answer of every operation, and the 429 any
    operation can give (an apispec plugin, so that no view has to repeat it)."""

    def init_spec(self, spec) -> None:
        super().init_spec(spec)
        for name, header in {**RATE_LIMIT_HEADERS, "Retry-After": RETRY_AFTER}.items():
            spec.components.header(name, header)

    def operation_helper(self, path: str | None = None, operations: dict | None = None,
                         **_kwargs: Any) -> None:
        if not path or not path.startswith("/api/") or not operations:
            return
        references = {name: {"$ref": f"#/components/headers/{name}"}
                      for name in RATE_LIMIT_HEADERS}
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            responses.setdefault(429, {
                "description": TOO_MANY_REQUESTS,
                "content": {"application/problem+json": {
                    "schema": {"$ref": "#/components/schemas/Problem"}}}})
            for code, response in responses.items():
                if str(code) == "default" or not isinstance(response, dict):
                    continue
                headers = response.setdefault("headers", {})
                headers.update(references)
                if str(code) == "429":
                    headers["Retry-After"] = {"$ref": "#/components/headers/Retry-After"}

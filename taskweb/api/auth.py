"""/api/v1/auth: register, login, refresh (rotation), logout."""

from __future__ import annotations

from typing import Any

from flask import request
from flask_jwt_extended import decode_token, get_jwt
from flask_smorest import Blueprint

from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.jwt_callbacks import personal_token_bearer
from taskweb.api.request_checks import body_optional
from taskweb.api.schemas import (
    LoginSchema,
    LogoutSchema,
    RefreshSchema,
    RegisterSchema,
    TokenPairSchema,
    UserSchema,
)
from taskweb.errors import InvalidToken, PermissionDenied
from taskweb.rate_limits import limit_per_address, limit_sign_in
from taskweb.services.tokens import TokenPair
from taskweb.wiring import auth_service

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Accounts and tokens.")


def _pair(pair: TokenPair) -> dict[str, Any]:
    return {
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": pair.token_type,
        "expires_in": pair.expires_in,
    }


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


@blp.post("/register")
@limit_sign_in
@blp.arguments(RegisterSchema)
@blp.response(201, UserSchema)
@documents_problems(blp, 400, 409, 415, 422, 429)
def register(body: dict[str, Any]):
    """Create an account."""
    return auth_service().register(**body)


@blp.post("/login")
@limit_sign_in
@blp.arguments(LoginSchema)
@blp.response(200, TokenPairSchema)
@documents_problems(blp, 400, 401, 415, 422, 429)
def login(body: dict[str, Any]):
    """Exchange email and password for a token pair."""
    return _pair(auth_service().login(body["email"], body["password"]))


@blp.post("/refresh")
@body_optional
@limit_per_address
@blp.arguments(RefreshSchema, required=False)
@blp.response(200, TokenPairSchema)
@documents_problems(blp, 400, 401, 403, 415, 422, 429)
def refresh(body: dict[str, Any]):
    """Rotate a refresh token (from the body, or as the Bearer token) for a new pair.

    The refresh token used is revoked; presenting it again revokes its whole family.
    """
    if not body.get("refresh_token") and personal_token_bearer() is not None:
        raise PermissionDenied("A personal access token is not refreshed: it lasts until "
                               "it expires or is revoked.")
    raw = body.get("refresh_token") or _bearer_token()
    if not raw:
        raise InvalidToken("A refresh token is required, in the body or as the Bearer token.")
    return _pair(auth_service().refresh(decode_token(raw)))


@blp.post("/logout")
@body_optional
@bearer_protected(blp)
@blp.arguments(LogoutSchema, required=False)
@blp.response(204)
@documents_problems(blp, 400, 415, 422)
def logout(body: dict[str, Any]):
    """Revoke the access token presented and, if given, the refresh token."""
    refresh_claims = decode_token(body["refresh_token"]) if body.get("refresh_token") else None
    auth_service().logout(get_jwt(), refresh_claims)

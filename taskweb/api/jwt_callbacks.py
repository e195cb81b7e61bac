"""Flask-JWT-Extended hooks: every token failure is a 401 problem; users load once."""

from __future__ import annotations

from flask import Response, g, request
from flask_jwt_extended.config import config
from flask_jwt_extended.exceptions import JWTDecodeError

from taskweb.api.problems import problem
from taskweb.extensions import jwt
from taskweb.models import User
from taskweb.observability import note_user
from taskweb.wiring import auth_service

# A token signed with our key but missing one of these was not made by us: refuse it,
# rather than let Flask-JWT-Extended assume an access token with no expiry or id.
REQUIRED_CLAIMS = ("sub", "exp", "jti", "type")


def _unauthorized(detail: str) -> Response:
    return problem(401, detail)


def normalise_bearer_scheme() -> None:
    """Auth schemes are case-insensitive (RFC 9110 §11.1): accept ``bearer …`` too.

    Flask-JWT-Extended compares the scheme exactly, so the header is rewritten once,
    before any view reads it.
    """
    header = request.environ.get("HTTP_AUTHORIZATION", "")
    scheme, separator, credentials = header.partition(" ")
    if separator and scheme != "Bearer" and scheme.lower() == "bearer":
        request.environ["HTTP_AUTHORIZATION"] = f"Bearer {credentials.strip()}"


def register_jwt_callbacks() -> None:
    @jwt.decode_key_loader
    def verification_key(_header: dict, unverified_claims: dict) -> str:
        missing = [name for name in REQUIRED_CLAIMS if name not in unverified_claims]
        if missing:
            raise JWTDecodeError(f"Missing claim: {', '.join(missing)}")
        return config.decode_key

    # Flask-JWT-Extended asks "is it revoked?" and then "who is it?": one query answers
    # both, and the second hook reuses what the first loaded.
    @jwt.token_in_blocklist_loader
    def token_revoked(_header: dict, claims: dict) -> bool:
        # Refresh tokens are checked (and reuse detected) by AuthService.refresh.
        if claims.get("type") != "access":
            return False
        user, revoked = auth_service().access_token_holder(claims)
        g.token_holder = (claims.get("jti"), user)
        return revoked

    @jwt.user_lookup_loader
    def load_user(_header: dict, claims: dict) -> User | None:
        jti, user = g.get("token_holder", (None, None))
        if jti != claims.get("jti"):
            user, _ = auth_service().access_token_holder(claims)
        if user is not None:
            note_user(user.id)
        return user

    jwt.unauthorized_loader(lambda reason: _unauthorized("Authentication is required: " + reason))
    jwt.invalid_token_loader(lambda reason: _unauthorized("The token is not valid: " + reason))
    jwt.expired_token_loader(lambda _h, _c: _unauthorized("The token has expired."))
    jwt.revoked_token_loader(lambda _h, _c: _unauthorized("The token has been revoked."))
    jwt.user_lookup_error_loader(
        lambda _h, _c: _unauthorized("The account does not exist or is not active.")
    )
    jwt.needs_fresh_token_loader(lambda _h, _c: _unauthorized("A fresh token is required."))
    jwt.token_verification_failed_loader(
        lambda _h, _c: _unauthorized("The token was refused.")
    )

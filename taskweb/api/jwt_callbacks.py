"""Flask-JWT-Extended hooks: every token failure is a 401 problem; users load once."""

from __future__ import annotations

from flask import Response, g, request
from flask_jwt_extended.config import config
from flask_jwt_extended.exceptions import JWTDecodeError

from taskweb.api.problems import problem
from taskweb.domain.access import Scope, missing_scope
from taskweb.extensions import jwt
from taskweb.models import PersonalAccessToken, User
from taskweb.observability import note_user
from taskweb.services.personal_tokens import PREFIX
from taskweb.wiring import auth_service, personal_token_service

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


def personal_token_bearer() -> str | None:
    """The personal access token in the Authorization header, if it holds one."""
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    credentials = credentials.strip()
    if scheme.lower() == "bearer" and credentials.startswith(PREFIX):
        return credentials
    return None


def personal_token_holder(secret: str) -> tuple[PersonalAccessToken, User] | None:
    """The live token ``secret`` opens and its user, else None: looked up once per
    request (the rate limiter asks first, for its key; the scope check reuses it)."""
    lookups = g.setdefault("personal_token_lookups", {})
    if secret not in lookups:
        lookups[secret] = personal_token_service().authenticate(secret)
    return lookups[secret]


def authenticate_personal_token(secret: str) -> Response | None:
    """Authenticate this request with a personal access token: None when it may go on
    (the user is then ``current_user``, as with an access token), else the 401 or 403
    problem to answer. Its scopes are checked against the one table in domain.access."""
    found = personal_token_holder(secret)
    if found is None:
        return _unauthorized("The token is not valid: unknown, revoked or expired.")
    token, user = found
    granted = frozenset(Scope(name) for name in token.scopes if name in Scope._value2member_map_)
    try:
        missing = missing_scope(granted, request.endpoint or "", request.method)
    except LookupError:
        return problem(403, "A personal access token cannot do this: sign in with your "
                       "password to get an access token.")
    if missing is not None:
        return problem(403, f"This token lacks the scope {missing.value}.",
                       errors={"scope": [missing.value]})
    _stand_in_for_a_verified_jwt(user, token)
    return None


def _stand_in_for_a_verified_jwt(user: User, token: PersonalAccessToken) -> None:
    """Make ``user`` the request's ``current_user`` (and ``get_jwt()`` describe ``token``),
    so that every view serves a personal token exactly as it serves an access token.

    Flask-JWT-Extended (4.x) has no public hook to accept a credential of another kind:
    its ``current_user``, ``get_jwt`` and ``get_jwt_identity`` read what
    ``verify_jwt_in_request`` leaves in these ``g`` attributes. This is the one place
    that writes them; tests/integration/api/test_api_rate_limits.py fails if the
    library stops reading them.
    """
    g._jwt_extended_jwt = {"type": "personal", "sub": str(user.id), "pat": token.id}
    g._jwt_extended_jwt_header = {}
    g._jwt_extended_jwt_user = {"loaded_user": user}
    g.personal_token = token
    note_user(user.id)


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

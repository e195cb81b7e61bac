"""/api/v1/tokens: the caller's personal access tokens, for programs. The secret is in
the answer to the create call only; another person's token is a 404."""

from __future__ import annotations

from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb import rules
from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.schemas import Described, StrictSchema
from taskweb.domain.access import SCOPE_DESCRIPTIONS, Scope
from taskweb.services.saved_filters import NAME_MAX
from taskweb.wiring import personal_token_service

blp = Blueprint("personal_tokens", __name__, url_prefix="/api/v1/tokens",
                description="Personal access tokens: long-lived, scoped Bearer tokens for "
                "programs. Managing them needs a login access token.")

SCOPE_NAMES = [scope.value for scope in Scope]


class TokenCreateSchema(StrictSchema):
    name = Described(required=True, type="string", minLength=1, maxLength=NAME_MAX,
                     pattern=rules.NON_BLANK_TEXT_PATTERN,
                     description=f"1–{NAME_MAX} characters once trimmed.")
    scopes = fields.Raw(required=True, metadata={
        "type": "array", "minItems": 1, "items": {"type": "string", "enum": SCOPE_NAMES},
        "description": "What the token may do (422 naming `scopes` for none or an "
                       "unknown one): " + " ".join(
                           f"`{scope.value}`: {text}" for scope, text in
                           SCOPE_DESCRIPTIONS.items())})
    expires_at = fields.Raw(allow_none=True, metadata={
        "type": "string", "format": "date-time", "nullable": True,
        "description": "When it stops working; in the future (422 otherwise). "
                       "Omitted: never."})


class TokenSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    expires_at = fields.AwareDateTime(required=True, allow_none=True)
    created_at = fields.AwareDateTime(required=True)
    last_used_at = fields.AwareDateTime(required=True, allow_none=True)


class CreatedTokenSchema(TokenSchema):
    token = fields.String(required=True, metadata={
        "description": "The secret, `tw_pat_…`: shown this once, stored only hashed."})


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema), required=True)


TOKEN_ID = {"in": "path", "name": "token_id", "required": True,
            "schema": {"type": "integer", "minimum": 1}}
LOCATION = {"Location": {"description": "URL of the new token.", "schema": {"type": "string"}}}


@blp.route("/")
class TokenCollection(MethodView):
    @bearer_protected(blp)
    @blp.response(200, TokenListSchema)
    def get(self):
        """Your live personal access tokens, newest first (without their secrets)."""
        return {"items": personal_token_service().list(current_user)}

    @bearer_protected(blp)
    @blp.arguments(TokenCreateSchema)
    @blp.response(201, CreatedTokenSchema, headers=LOCATION)
    @documents_problems(blp, 400, 413, 415, 422)
    def post(self, body: dict[str, Any]):
        """Create a personal access token; its secret is in this answer only."""
        created = personal_token_service().create(current_user, body)
        token = created.token
        answer = {"id": token.id, "name": token.name, "scopes": token.scopes,
                  "expires_at": token.expires_at, "created_at": token.created_at,
                  "last_used_at": token.last_used_at, "token": created.secret}
        return answer, {"Location": url_for("personal_tokens.TokenItem", token_id=token.id)}


@blp.route("/<int:token_id>", parameters=[TOKEN_ID])
class TokenItem(MethodView):
    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 404)
    def delete(self, token_id: int):
        """Revoke a token: programs using it get 401 from now on."""
        personal_token_service().revoke(current_user, token_id)

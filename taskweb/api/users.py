"""/api/v1/users/me: the account of the token's user."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.schemas import UserSchema, UserUpdateSchema
from taskweb.rate_limits import limit_password_reentry
from taskweb.wiring import user_service

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Your account.")


@blp.route("/me")
class CurrentUser(MethodView):
    @bearer_protected(blp)
    @blp.response(200, UserSchema)
    def get(self):
        """Your account."""
        return current_user

    @bearer_protected(blp)
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @documents_problems(blp, 400, 403, 409, 415, 422, 429)
    @limit_password_reentry
    def put(self, body: dict[str, Any]):
        """Change any of email, username, full name, password.

        `current_password` is required when the email or the password changes; a new
        password ends every token of the account. A request that carries
        `current_password` counts against the account's sign-in rate limit, like a login.
        """
        current_password = body.pop("current_password", None)
        return user_service().update_profile(current_user, body, current_password)

"""/api/v1/auth/password-reset: ask for a one-time link by e-mail, then use it."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from taskweb import rules
from taskweb.api.docs import documents_problems
from taskweb.api.problems import PROBLEM_MIMETYPE
from taskweb.api.schemas import (
    EMAIL_DESCRIPTION,
    PASSWORD_DESCRIPTION,
    Described,
    ProblemSchema,
    StrictSchema,
)
from taskweb.jobs.password_reset import send_password_reset_later
from taskweb.rate_limits import limit_password_reset_request, limit_per_address
from taskweb.services.password_reset import (
    LINK_NOT_VALID,
    RESET_LIFETIME,
    PasswordResetService,
)
from taskweb.wiring import password_reset_service

blp = Blueprint("password_reset", __name__, url_prefix="/api/v1/auth/password-reset",
                description="Forgotten passwords: a one-time link by e-mail.")

MINUTES = int(RESET_LIFETIME.total_seconds() // 60)


class PasswordResetRequestSchema(StrictSchema):
    email = Described(required=True, type="string", format="email",
                      maxLength=rules.EMAIL_MAX, description=EMAIL_DESCRIPTION)


class PasswordResetConfirmSchema(StrictSchema):
    token = Described(required=True, type="string", minLength=1, maxLength=100,
                      description="The token of the link in the e-mail (the last part of "
                                  "its path).")
    password = Described(required=True, type="string", minLength=rules.PASSWORD_MIN,
                         maxLength=rules.PASSWORD_MAX, pattern="^[^\\u0000]*$",
                         description=f"The new password: {PASSWORD_DESCRIPTION}")


@blp.post("")
@limit_password_reset_request
@blp.arguments(PasswordResetRequestSchema)
@blp.response(202, description="Accepted: if an account has this address, an e-mail with "
                               "a one-time link is on its way.")
@documents_problems(blp, 400, 415, 422, 429)
@blp.doc(description=(
    "The answer is the same whether or not an account has the address; the e-mail goes "
    f"out from a background job. The link works once and for {MINUTES} minutes. "
    "Rate-limited per client address and per address asked for (429 with `Retry-After`)."))
def request_reset(body: dict[str, Any]) -> None:
    """E-mail a one-time link to set a new password."""
    send_password_reset_later(PasswordResetService.clean_request(body["email"]))


@blp.post("/confirm")
@limit_per_address
@blp.arguments(PasswordResetConfirmSchema)
@blp.response(204, description="The password is changed; every session, refresh token "
                               "and other reset link of the account has ended.")
@blp.alt_response(400, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE,
                  description=f"The body is not valid JSON, or: {LINK_NOT_VALID}")
@documents_problems(blp, 415, 422, 429)
def confirm_reset(body: dict[str, Any]) -> None:
    """Set a new password with the token of a reset link (once, within its time)."""
    password_reset_service().confirm(body["token"], body["password"])

"""The rate limits of signing in, shared by the JSON API and the browser forms.

Every door that checks a password or a credential (API login, register and refresh, the
login and sign-up forms) draws on ONE budget per client address and ONE per account:
locked out of the API, an account cannot be guessed through the form, nor an address
get a fresh allowance at each endpoint (Flask-Limiter's shared limits).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response, current_app, request
from flask_jwt_extended import current_user as token_user
from flask_login import current_user as session_user

from taskweb.extensions import limiter

F = TypeVar("F", bound=Callable)


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _submitted(name: str) -> Any:
    """A field of the JSON body or of the form (None if absent or unreadable)."""
    body = request.get_json(silent=True) if request.is_json else request.form
    return body.get(name) if hasattr(body, "get") else None


def _account(email: Any) -> str:
    return f"account:{email.strip().lower()}" if isinstance(email, str) else "account:-"


def _account_key() -> str:
    """The account a sign-in is about: the email of the JSON body or of the form."""
    return _account(_submitted("email"))


def _signed_in_account_key() -> str:
    """The account of the signed-in user (the token's in the API, the session's in pages)."""
    user = token_user if request.path.startswith("/api/") else session_user
    return _account(getattr(user, "email", None))


def _no_password_entered() -> bool:
    return not _submitted("current_password")


_per_address = limiter.shared_limit(_address_limit, scope="sign-in-address", methods=["POST"])
_per_account = limiter.shared_limit(
    _account_limit, scope="sign-in-account", key_func=_account_key, methods=["POST"]
)


_per_signed_in_account = limiter.shared_limit(
    _account_limit, scope="sign-in-account", key_func=_signed_in_account_key,
    methods=["POST", "PUT", "DELETE"], exempt_when=_no_password_entered,
)


def limit_password_reentry(view: F) -> F:
    """Count a request that re-enters the current password (to change the email or the
    password, or to delete the account) against the account's sign-in budget, like a
    login: a stolen session or token must not become an unlimited password oracle. Apply
    it inside the check that signs the user in, so that the user is known."""
    return _per_signed_in_account(view)


def limit_per_address(view: F) -> F:
    """Count POSTs to ``view`` against the client address's sign-in budget."""
    return _per_address(view)


def limit_sign_in(view: F) -> F:
    """Count POSTs to ``view`` against the address's and the account's sign-in budgets."""
    return limit_per_address(_per_account(view))


# Asking for a password-reset e-mail has budgets of its own (PASSWORD_RESET_*_LIMIT in
# config.py), per client address and per account (the address asked for): a flood of
# e-mails to one person, or from one client to many, stops early.
_reset_per_address = limiter.shared_limit(
    lambda: current_app.config["PASSWORD_RESET_ADDRESS_LIMIT"],
    scope="password-reset-address", methods=["POST"])
_reset_per_account = limiter.shared_limit(
    lambda: current_app.config["PASSWORD_RESET_ACCOUNT_LIMIT"],
    scope="password-reset-account", key_func=_account_key, methods=["POST"])


def limit_password_reset_request(view: F) -> F:
    """Count POSTs to ``view`` against the reset budgets of the address and the account."""
    return _reset_per_address(_reset_per_account(view))


def write_rate_limit_headers(response: Response) -> Response:
    """``RateLimit-Limit``, ``-Remaining`` and ``-Reset`` (seconds until the window resets,
    as the IETF draft has it, not Flask-Limiter's timestamp) on every API answer, and
    ``Retry-After`` on every 429, from the limit Flask-Limiter found most pressing for
    this request (on a 429, the one that was spent)."""
    limit = limiter.current_limit
    if limit is None:
        return response
    try:
        # The window itself: RequestLimit.reset_at adds a second for its timestamp's sake.
        reset_time, remaining = limit.window
        reset_in = max(0, math.ceil(reset_time - time.time()))
    except Exception:  # the counters' store went away since the check: the answer stands
        logging.getLogger(__name__).warning("rate-limit headers left out", exc_info=True)
        return response
    if request.path.startswith("/api/"):
        response.headers["RateLimit-Limit"] = str(limit.limit.amount)
        response.headers["RateLimit-Remaining"] = str(remaining)
        response.headers["RateLimit-Reset"] = str(reset_in)
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, reset_in))
    return response

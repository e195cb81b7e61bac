"""The rate limits of signing in, shared by the JSON API and the browser forms.

Every door that checks a password or a credential (API login, register and refresh, the
login and sign-up forms) draws on ONE budget per client address and ONE per account:
locked out of the API, an account cannot be guessed through the form, nor an address
get a fresh allowance at each endpoint (Flask-Limiter's shared limits).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, request

from taskweb.extensions import limiter

F = TypeVar("F", bound=Callable)


def _address_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """The account a sign-in is about: the email of the JSON body or of the form."""
    body = request.get_json(silent=True) if request.is_json else request.form
    email = body.get("email") if hasattr(body, "get") else None
    return f"account:{email.strip().lower()}" if isinstance(email, str) else "account:-"


_per_address = limiter.shared_limit(_address_limit, scope="sign-in-address", methods=["POST"])
_per_account = limiter.shared_limit(
    _account_limit, scope="sign-in-account", key_func=_account_key, methods=["POST"]
)


def limit_per_address(view: F) -> F:
    """Count POSTs to ``view`` against the client address's sign-in budget."""
    return _per_address(view)


def limit_sign_in(view: F) -> F:
    """Count POSTs to ``view`` against the address's and the account's sign-in budgets."""
    return limit_per_address(_per_account(view))

"""The rate limits of signing in, shared by the JSON API and the browser forms.

Each sign-in endpoint is limited per client address and per account, so that one
account cannot be brute-forced from many addresses nor many accounts from one.
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


def limit_per_address(view: F) -> F:
    return limiter.limit(_address_limit, methods=["POST"])(view)


def limit_sign_in(view: F) -> F:
    """Limit POSTs to ``view`` per client address and per account."""
    view = limiter.limit(_account_limit, key_func=_account_key, methods=["POST"])(view)
    return limit_per_address(view)

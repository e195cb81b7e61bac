"""Who is signed in, for the blueprints whose every page needs somebody, and for the
navigation of every page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import session
from flask_login import current_user, login_required, login_user, logout_user

from taskweb.models import User
from taskweb.wiring import browser_session_service


@login_required
def require_login() -> None:
    """Register with ``bp.before_request``: Flask-Login sends everyone else to log in."""


def signed_in_user() -> User:
    """The user of this request's session (the object itself, not Flask-Login's proxy)."""
    return current_user._get_current_object()


def sign_in(user: User, *, remember: bool, fresh: bool = True) -> None:
    """Start a browser session for ``user`` (a row of its own) and log it in.

    ``fresh`` clears whatever the session held before (no session fixation; the CSRF
    token is renewed with it); a password change keeps the page's session instead.
    """
    if fresh:
        session.clear()
    browser_session_service().start(user)
    login_user(user, remember=remember)


def sign_out() -> None:
    """End this browser's session for good: copies of its cookies open nothing."""
    key = session.get("_user_id")
    if isinstance(key, str):
        browser_session_service().end(key)
    logout_user()


def sign_out_everywhere() -> None:
    """End every session and every token of the signed-in user, this one included."""
    browser_session_service().end_everywhere(signed_in_user())
    logout_user()


@dataclass(frozen=True)
class Visitor:
    """What the navigation needs to know about the person looking at a page."""

    signed_in: bool
    username: str | None = None  # None when it could not be looked up
    user_id: int | None = None


def visitor(look_up: bool = True) -> Visitor:
    """The person the navigation is for.

    Without ``look_up`` (the error pages of a failing server, where the database may be
    the failure) nobody is read from the database: a session naming a user is taken at
    its word, which is enough to offer "Log out" rather than "Log in".
    """
    if not look_up:
        return Visitor(signed_in="_user_id" in session)
    if current_user.is_authenticated:
        return Visitor(signed_in=True, username=current_user.username, user_id=current_user.id)
    return Visitor(signed_in=False)

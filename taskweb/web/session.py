"""Who is signed in, for the blueprints whose every page needs somebody."""

from __future__ import annotations

from flask_login import current_user, login_required

from taskweb.models import User


@login_required
def require_login() -> None:
    """Register with ``bp.before_request``: Flask-Login sends everyone else to log in."""


def signed_in_user() -> User:
    """The user of this request's session (the object itself, not Flask-Login's proxy)."""
    return current_user._get_current_object()

"""The profile's "Calendar feed" section: turn the feed on at a new address, or off."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, url_for

from taskweb.models import User
from taskweb.services.calendar import FEED_CAP
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.session import require_login, signed_in_user
from taskweb.wiring import calendar_service

bp = Blueprint("web_calendar", __name__, url_prefix="/profile/calendar")
bp.before_request(require_login)

NEW_ADDRESS = ("Your calendar feed has a new address. Subscribe to it again in your "
               "calendar apps: the old address no longer works.")
TURNED_OFF = "Your calendar feed is off: its address no longer works."


def calendar_feed_url(user: User | None = None) -> str | None:
    """The address of ``user``'s feed (the signed-in user's by default), or None when it
    is off: for the profile page."""
    user = user or signed_in_user()
    if user.calendar_secret is None:
        return None
    return url_for("calendar_feed.feed", secret=user.calendar_secret, _external=True)


def calendar_feed_cap() -> int:
    return FEED_CAP


@bp.post("")
def new_address() -> Response | tuple[str, int]:
    """A new secret address (turning the feed on); the old one stops working."""
    calendar_service().new_secret(signed_in_user())
    return _changed(NEW_ADDRESS)


@bp.post("/off")
def turn_off() -> Response | tuple[str, int]:
    calendar_service().turn_off(signed_in_user())
    return _changed(TURNED_OFF)


def _changed(message: str) -> Response | tuple[str, int]:
    """The section again with the message in the status region (htmx), else the page."""
    if not wants_fragment():
        flash(message)
        return redirect_to(url_for("web_profile.show"))
    return render_template("calendar/changed.html", message=message), 200

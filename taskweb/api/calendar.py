"""/api/v1/users/me/calendar: turn the calendar feed on with a new secret address, or off."""

from __future__ import annotations

from flask import url_for
from flask_jwt_extended import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.request_checks import body_optional
from taskweb.services.calendar import FEED_CAP
from taskweb.wiring import calendar_service

blp = Blueprint("calendar", __name__, url_prefix="/api/v1/users/me/calendar",
                description="Your calendar feed (iCalendar) for calendar apps.")


class CalendarFeedSchema(Schema):
    url = fields.String(required=True, metadata={
        "description": "The feed's secret address; it needs no header. Anybody with it "
                       "can read the feed: keep it like a password."})


@blp.post("")
@body_optional
@bearer_protected(blp)
@blp.response(200, CalendarFeedSchema)
@documents_problems(blp, 400, 415)
@blp.doc(description=(
    "Every call makes a new secret address: the previous one stops working (404). The "
    "feed is an iCalendar (RFC 5545) document with a VTODO per open task that has a due "
    f"date in the projects you belong to (at most {FEED_CAP}, the soonest due), with DUE, "
    "SUMMARY, DESCRIPTION, PRIORITY, STATUS, CATEGORIES (labels), RRULE and URL."))
def new_address() -> dict[str, str]:
    """Turn the calendar feed on, at a new secret address."""
    secret = calendar_service().new_secret(current_user)
    return {"url": url_for("calendar_feed.feed", secret=secret, _external=True)}


@blp.delete("")
@bearer_protected(blp)
@blp.response(204)
def turn_off() -> None:
    """Turn the calendar feed off: its address answers 404."""
    calendar_service().turn_off(current_user)

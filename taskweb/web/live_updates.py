"""Live updates of a project's open pages (its list and its board).

A page asks ``GET /projects/<id>/version`` every ``LIVE_UPDATE_MS`` with the ETag it was
last given (static/live_updates.js); while nothing in the project changed the answer is
an empty 304, one index read. Any instance can answer: the version lives in PostgreSQL,
so pages on different instances see a change as soon as it is committed. Measured against
Server-Sent Events through Redis in bench/RESULTS.md ("Live updates").
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, make_response, request
from flask_login import current_user

from taskweb.errors import NotFound
from taskweb.web.session import signed_in_user
from taskweb.wiring import live_update_service

bp = Blueprint("web_live_updates", __name__)
# htmx's "stop polling" status (as the bell's): a 2xx, so nothing is reported.
STOP_POLLING = 286


@bp.before_request
def _stop_when_signed_out() -> Response | None:
    """A page left open after its session ended stops asking, quietly; the next thing
    the person does on it sends them to log in."""
    if current_user.is_authenticated:
        return None
    return make_response("", STOP_POLLING)


@bp.errorhandler(NotFound)
def _not_found(error: NotFound) -> Response:
    # The page that asks is a script, not a person: no page, just the status.
    return make_response("", 404)


def live_update_ms() -> int:
    """How often an open project page asks for the project's version (milliseconds)."""
    return int(current_app.config.get("LIVE_UPDATE_MS", 1000))


@bp.get("/projects/<int:project_id>/version")
def project_version(project_id: int) -> Response:
    """The project's version as an ETag; 304 while it matches ``If-None-Match``."""
    tag = live_update_service().project_version(signed_in_user(), project_id).tag
    if tag in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(tag, 200)
        response.mimetype = "text/plain"
    response.set_etag(tag)
    # Per person, and asked again every time: never answered from a cache.
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("Cookie")
    return response

"""GET /calendar/<secret>.ics: the calendar feed, for calendar apps (no header, no cookie).

The secret in the path is the whole credential: it is kept out of the request log, and
a wrong, replaced or removed one is a 404.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, request, url_for

from taskweb.domain.calendar import calendar_document
from taskweb.wiring import calendar_service

bp = Blueprint("calendar_feed", __name__)

ICS_MIMETYPE = "text/calendar; charset=utf-8"
LOGGED_PATH = "/calendar/<secret>.ics"


@bp.before_request
def _keep_the_secret_out_of_the_log() -> None:
    g.logged_path = LOGGED_PATH


@bp.get("/calendar/<secret>.ics")
def feed(secret: str) -> Response:
    """The iCalendar document; ``If-None-Match`` with its ETag gets a 304."""
    tasks = calendar_service().feed(secret)
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "taskweb"
    document = calendar_document(
        tasks, host=host,
        task_url=lambda task_id: url_for("web_tasks.show", task_id=task_id, _external=True))
    response = Response(document, content_type=ICS_MIMETYPE)
    # Personal: no shared cache may keep it; the app may keep it and ask again with the ETag.
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.add_etag()
    return response.make_conditional(request)

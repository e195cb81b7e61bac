"""The bell in the header and the notifications panel (/notifications).

The bell is loaded after the page and polled (``BELL_POLL_SECONDS``) from its own
route, which answers ``304 Not Modified`` while the unread count and the newest unread
notification stay the same (its ETag). It lives on a blueprint of its own so that its
answers may be revalidated (``no-cache``) instead of never stored like the pages.
The panel marks one notification or all of them read: htmx gets the panel back (with
the status message and the bell's new count out of band), a plain form a redirect.
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    make_response,
    render_template,
    request,
)
from flask_login import current_user

from taskweb import rules
from taskweb.errors import DomainError, NotFound
from taskweb.models import Notification
from taskweb.services.notifications import NotificationQuery, parse_notification_query
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.web.list_pages import refused
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.time_zone import request_zone
from taskweb.wiring import notification_service

bp = Blueprint("web_notifications", __name__)
bp.before_request(require_login)
bp.register_error_handler(NotFound, refused)
bell_bp = Blueprint("web_bell", __name__)
# htmx's "stop polling" status: a 2xx, so nothing is reported and nothing navigates.
STOP_POLLING = 286


@bell_bp.before_request
def _stop_polling_when_signed_out() -> Response | None:
    """A bell left on a page whose session has ended (signed out in another tab, or
    expired) stops asking and shows no count; the next thing the person does on the
    page sends them to log in, rather than a background poll pulling the page away."""
    if current_user.is_authenticated:
        return None
    return make_response(render_template("notifications/_bell_content.html", count=None),
                         STOP_POLLING)

PAGE_SIZE = rules.PAGE_LIMIT_DEFAULT
DEFAULT_POLL_SECONDS = 30


def bell_poll_seconds() -> int:
    """How often the bell asks for its count (tests shorten it)."""
    return int(current_app.config.get("BELL_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def when(moment: datetime) -> str:
    """When a notification came, in the reader's zone: "Thu 26 Nov 2026, 17:05"."""
    local = moment.astimezone(request_zone())
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def link_of(notification: Notification) -> str | None:
    if notification.task_id is not None:
        return f"/tasks/{notification.task_id}"
    if notification.project_id is not None:
        return f"/projects/{notification.project_id}"
    return None


def _context() -> dict[str, object]:
    try:
        offset = parse_notification_query({"offset": request.args.getlist("offset")}).offset
    except DomainError:
        offset = 0
    user = signed_in_user()
    service = notification_service()
    items = service.list(user, NotificationQuery(limit=PAGE_SIZE + 1, offset=offset))
    return {"items": items[:PAGE_SIZE], "more": len(items) > PAGE_SIZE, "offset": offset,
            "page_size": PAGE_SIZE, "unread": service.unread(user), "when": when,
            "link_of": link_of}


@bp.get("/notifications")
def index() -> tuple[str, int]:
    return page_or_fragment("notifications/index.html", "notifications/_panel.html",
                            **_context())


def _changed(message: str) -> Response | tuple[str, int]:
    if not wants_fragment():
        flash(message)
        return redirect_to("/notifications")
    return render_template("notifications/changed.html", message=message, **_context()), 200


@bp.post("/notifications/<int:notification_id>/read")
def mark_read(notification_id: int) -> Response | tuple[str, int]:
    notification_service().mark_read(signed_in_user(), notification_id)
    return _changed("Marked as read.")


@bp.post("/notifications/read-all")
def mark_all_read() -> Response | tuple[str, int]:
    marked = notification_service().mark_all_read(signed_in_user())
    return _changed("Marked all as read." if marked else "Nothing was unread.")


@bell_bp.get("/notifications/bell")
def bell() -> Response:
    """The bell's content; 304 while nothing it shows has changed."""
    state = notification_service().unread(signed_in_user())
    etag = f"bell-{state.tag}"
    if etag in request.if_none_match:
        response = make_response("", 304)
    else:
        response = make_response(render_template("notifications/_bell_content.html",
                                                 count=state.count))
    response.set_etag(etag)
    # Kept by the browser, but asked again each time (If-None-Match), and per person.
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.update(("Cookie", "HX-Request"))
    return response

"""The views people live in: Today (``/today``) and Upcoming (``/upcoming``), across
every project the person belongs to, each a URL that gives the whole page or, for htmx,
the list alone.

Their rows are the ordinary task rows, so completing, editing, deleting and undoing go
to the task routes (web/tasks.py), which ask ``agenda_changed`` first: a change made on
one of these pages answers with that page's list as it is now, so a task completed or
re-dated out of the view leaves it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, render_template

from taskweb.domain.agenda import TodayAgenda, UpcomingAgenda, long_day
from taskweb.web.catalog import catalog
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.web.navigation import EVERY_PROJECT, TODAY_PATH, UPCOMING_PATH, came_from
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.time_zone import request_zone
from taskweb.wiring import agenda_service

bp = Blueprint("web_views", __name__)
bp.before_request(require_login)


@bp.get(TODAY_PATH)
def today() -> tuple[str, int]:
    return page_or_fragment("views/today.html", "views/list_fragment.html",
                            **_context(TODAY_PATH))


@bp.get(UPCOMING_PATH)
def upcoming() -> tuple[str, int]:
    return page_or_fragment("views/upcoming.html", "views/list_fragment.html",
                            **_context(UPCOMING_PATH))


def _load(path: str) -> TodayAgenda | UpcomingAgenda:
    user, zone = signed_in_user(), request_zone()
    if path == TODAY_PATH:
        agenda = agenda_service().today(user, zone)
        if not agenda.truncated:  # the sidebar's count is this one: no second query
            catalog().know_today_count(agenda.total)
        return agenda
    return agenda_service().upcoming(user, zone)


def _context(path: str) -> dict[str, Any]:
    """What the page and its fragments render: the agenda, its list partial, its title,
    and where the rows are shown (every project: each row names its project)."""
    is_today = path == TODAY_PATH
    return {
        "agenda": _load(path),
        "view_title": "Today" if is_today else "Upcoming",
        "list_template": "views/_today_list.html" if is_today else "views/_upcoming_list.html",
        "location": EVERY_PROJECT,
        "long_day": long_day,
    }


def agenda_came_from() -> str | None:
    """``/today`` or ``/upcoming`` when the request was sent from that page, else None."""
    return next((path for path in (TODAY_PATH, UPCOMING_PATH) if came_from(path)), None)


def agenda_changed(message: str | None = None, status: int = 200,
                   focus_task_id: int | None = None, **flash_context: Any
                   ) -> Response | None:
    """After a change to a task made on Today or Upcoming: that page's list as it is now
    (for htmx, in place of the list, with the message and the sidebar's new counts; else
    back to the page). None when the request came from elsewhere."""
    path = agenda_came_from()
    if path is None:
        return None
    if not wants_fragment():
        if message:
            flash(message)
        return redirect_to(path)
    response = Response(render_template(
        "views/agenda_changed.html", message=message, focus_task_id=focus_task_id,
        **flash_context, **_context(path),
    ), status)
    # The row's own controls target the row; the whole list answers instead.
    response.headers["HX-Retarget"] = "#task-list"
    response.headers["HX-Reswap"] = "outerHTML"
    return response

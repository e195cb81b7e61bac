"""The time zone a browser request is in, and the current instant.

People choose their zone in their profile (sign-up fills it in from the browser's). The
browser says its own zone too: app.js sends it with every htmx request (``X-Timezone``)
and keeps it in a cookie (``tz``) for full page loads.

Which one a page uses: the saved zone, unless it is still the default (UTC), which most
accounts made before zones could be chosen carry without anybody having chosen it; those
pages follow the browser's zone, as they always did. (Somebody who really wants UTC while
their browser is elsewhere is the one case this reads wrong.) A missing, malformed or
unknown zone is UTC.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from flask import g, request

from taskweb.domain.dates import zone_named
from taskweb.wiring import clock

ZONE_HEADER = "X-Timezone"
ZONE_COOKIE = "tz"
DEFAULT_ZONE = "UTC"


def request_zone() -> ZoneInfo:
    """The zone this request's pages and forms read dates in (looked up once)."""
    if "time_zone" not in g:
        saved = _saved_zone()
        g.time_zone = saved or browser_zone()
        g.zone_from_browser = saved is None
    return g.time_zone


def zone_from_browser() -> bool:
    """True when this request's zone is the browser's (not one saved in the profile)."""
    request_zone()
    return bool(g.zone_from_browser)


def browser_zone() -> ZoneInfo:
    """The zone the browser says it is in."""
    name = request.headers.get(ZONE_HEADER) or unquote(request.cookies.get(ZONE_COOKIE, ""))
    return zone_named(name.strip())


def _saved_zone() -> ZoneInfo | None:
    """The zone saved in the profile of a user this request has already loaded (an error
    page of a failing database must not read one), unless it is the default."""
    user = g.get("_login_user")
    name = getattr(user, "time_zone", None)
    if not isinstance(name, str) or name == DEFAULT_ZONE:
        return None
    return zone_named(name)


def now() -> datetime:
    """The current instant, in UTC, from the app's clock (``wiring.clock``), which tests
    replace to stand at a chosen moment."""
    return clock()()

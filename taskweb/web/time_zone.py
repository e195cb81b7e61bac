"""The time zone a browser request is in, and the current instant.

Until a person can choose a zone in their profile, pages use the browser's own: app.js
sends it with every htmx request (``X-Timezone``) and keeps it in a cookie (``tz``) for
full page loads. A missing, malformed or unknown zone is UTC.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from flask import g, request

from taskweb.domain.dates import zone_named
from taskweb.models import utcnow

ZONE_HEADER = "X-Timezone"
ZONE_COOKIE = "tz"


def request_zone() -> ZoneInfo:
    """The zone of this request's browser (looked up once per request)."""
    if "time_zone" not in g:
        name = request.headers.get(ZONE_HEADER) or unquote(request.cookies.get(ZONE_COOKIE, ""))
        g.time_zone = zone_named(name.strip())
    return g.time_zone


def now() -> datetime:
    """The current instant, in UTC (tests replace it to stand at a chosen moment)."""
    return utcnow()

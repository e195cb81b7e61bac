"""A second line against cross-site request forgery, beside Flask-WTF's token: a write
that the browser says comes from another site is refused, whatever it carries.

Browsers send ``Sec-Fetch-Site`` (``cross-site`` from another site) and ``Origin`` on
every POST; a forged form or fetch from another site cannot hide either. Hosts are
compared, not schemes, so TLS ending at a proxy does not matter here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import abort, request

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# RFC 8058 one-click unsubscribe: a mail provider POSTs from its own site; the signed
# token in the URL is the authority (web/unsubscribe.py), and it can only turn e-mail off.
ONE_CLICK_PREFIX = "/unsubscribe/"
CROSS_SITE = "A request from another site cannot change anything here."


def refuse_cross_site_writes() -> None:
    """``before_request`` for the browser pages: 403 for a write from another site."""
    if request.method in SAFE_METHODS or request.path.startswith("/api/"):
        return
    if request.path.startswith(ONE_CLICK_PREFIX):
        return
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        abort(403, CROSS_SITE)
    origin = request.headers.get("Origin")
    if origin is not None and urlsplit(origin).netloc.lower() != request.host.lower():
        abort(403, CROSS_SITE)

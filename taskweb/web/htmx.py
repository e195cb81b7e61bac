"""Full page or fragment from the same route (the contact-app habit), and the few
htmx response headers the browser adapter uses."""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, redirect, render_template, request


def wants_fragment() -> bool:
    """True for an htmx request that swaps part of the page.

    A history restore (back/forward with no cached snapshot) and a boosted link both
    replace the whole body, so they get the full page.
    """
    headers = request.headers
    return (
        headers.get("HX-Request") == "true"
        and headers.get("HX-History-Restore-Request") != "true"
        and headers.get("HX-Boosted") != "true"
    )


def page_or_fragment(
    page: str, fragment: str, status: int = 200, **context: Any
) -> tuple[str, int]:
    """Render ``fragment`` for htmx and ``page`` (which includes it) otherwise."""
    return render_template(fragment if wants_fragment() else page, **context), status


def redirect_to(location: str) -> Response:
    """Go to ``location``: a full navigation for htmx (HX-Redirect), a 303 for a plain form."""
    if request.headers.get("HX-Request") == "true":
        response = make_response("", 200)
        response.headers["HX-Redirect"] = location
        return response
    return redirect(location, code=303)


"""Where the browser goes next: the `next` parameter and the task list's current view."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request
from werkzeug.datastructures import MultiDict

from taskweb.domain.task_query import DEFAULT_SORT, QUERY_PARAMETERS

HOME = "/"


def safe_next(target: str | None, default: str = HOME) -> str:
    """``target`` if it is a path of this site, else ``default``.

    Rejects absolute and scheme-relative URLs (``//evil``), backslashes that browsers
    read as slashes (``/\\evil``), and control characters, so that a crafted login link
    can never send the user to another site.
    """
    if not target or not isinstance(target, str):
        return default
    if "\\" in target or any(ord(char) < 0x20 or ord(char) == 0x7F for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    if parts.path.startswith("//"):
        return default
    return urlunsplit(("", "", parts.path, parts.query, ""))


def current_list_args() -> MultiDict[str, str]:
    """The task list parameters of the page the request came from.

    htmx names the page in ``HX-Current-URL``; a plain form post names it in ``Referer``.
    Only a same-site task list URL counts; anything else means the default view.
    """
    source = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(source)
    if parts.netloc and parts.netloc != request.host:
        return MultiDict()
    if parts.path.rstrip("/") != HOME.rstrip("/"):
        return MultiDict()
    pairs = parse_qsl(parts.query, keep_blank_values=False)
    return MultiDict([(name, value) for name, value in pairs if name in QUERY_PARAMETERS])


def list_url(args: MultiDict[str, str], **changes: str | int | None) -> str:
    """The canonical URL of a list view: blank and default values dropped.

    ``changes`` replaces parameters (``None`` removes one), e.g. ``page=2``.
    """
    merged = MultiDict(args)
    for name, value in changes.items():
        merged.poplist(name)
        if value is not None:
            merged.add(name, str(value))
    pairs = [
        (name, value)
        for name, value in merged.items(multi=True)
        if name in QUERY_PARAMETERS and value != "" and not _is_default(name, value)
    ]
    return HOME + ("?" + urlencode(pairs) if pairs else "")


def _is_default(name: str, value: str) -> bool:
    return (name == "page" and value == "1") or (name == "sort" and value == DEFAULT_SORT)

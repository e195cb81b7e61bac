"""Where the browser goes next: the `next` parameter and the task list's current view.

A task list lives at one of two places: ``/`` (the tasks of every project, narrowed by
the URL's parameters) or ``/projects/<id>`` (one project's tasks; the path is the scope,
so the URL never carries ``project_id`` there).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from flask import request
from werkzeug.datastructures import MultiDict

from taskweb.domain.task_query import DEFAULT_SORT, QUERY_PARAMETERS

HOME = "/"
# The views across every project (web/views.py).
TODAY_PATH, UPCOMING_PATH, TRASH_PATH = "/today", "/upcoming", "/trash"
_PROJECT_PATH_RE = re.compile(r"/projects/([1-9][0-9]{0,9})/?")
_FILTER_PATH_RE = re.compile(r"/filters/([1-9][0-9]{0,9})/?")


@dataclass(frozen=True)
class ListLocation:
    """Where a task list is shown: every project (``/``), one (``/projects/<id>``), or
    the tasks a saved filter finds (``/filters/<id>``)."""

    project_id: int | None = None
    filter_id: int | None = None

    @property
    def path(self) -> str:
        if self.filter_id is not None:
            return f"/filters/{self.filter_id}"
        return HOME if self.project_id is None else f"/projects/{self.project_id}"


EVERY_PROJECT = ListLocation()


def list_location_of(path: str) -> ListLocation | None:
    """The list shown at ``path``, or None when ``path`` shows no task list."""
    if path.rstrip("/") == HOME.rstrip("/"):
        return EVERY_PROJECT
    match = _PROJECT_PATH_RE.fullmatch(path)
    if match and int(match.group(1)) <= 2**31 - 1:
        return ListLocation(int(match.group(1)))
    match = _FILTER_PATH_RE.fullmatch(path)
    if match and int(match.group(1)) <= 2**31 - 1:
        return ListLocation(filter_id=int(match.group(1)))
    return None


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


def current_list() -> tuple[ListLocation, MultiDict[str, str]]:
    """The task list, and its parameters, of the page the request came from.

    htmx names the page in ``HX-Current-URL``; a plain form post names it in ``Referer``.
    Only a same-site task list URL counts; anything else means the default view.
    """
    source = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(source)
    if parts.netloc and parts.netloc != request.host:
        return EVERY_PROJECT, MultiDict()
    location = list_location_of(parts.path)
    if location is None:
        return EVERY_PROJECT, MultiDict()
    pairs = parse_qsl(parts.query, keep_blank_values=False)
    return location, MultiDict([(name, value) for name, value in pairs
                                if name in QUERY_PARAMETERS])


def current_list_args() -> MultiDict[str, str]:
    """The task list parameters of the page the request came from (see current_list)."""
    return current_list()[1]


def came_from(path: str) -> bool:
    """True when the request was sent from the page at ``path`` (of this site)."""
    source = request.headers.get("HX-Current-URL") or request.referrer or ""
    parts = urlsplit(source)
    return (not parts.netloc or parts.netloc == request.host) \
        and parts.path.rstrip("/") == path.rstrip("/")


def came_from_task_page(task_id: int) -> bool:
    """True when the request was sent from the page of task ``task_id``."""
    return came_from(f"/tasks/{task_id}")


def list_url(args: MultiDict[str, str], base: str = HOME,
             **changes: str | int | None) -> str:
    """The canonical URL of a list view at ``base``: blank and default values dropped
    (and ``project_id`` on a project's page, whose path is its scope).

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
        and not (name == "project_id" and base != HOME)
    ]
    return base + ("?" + urlencode(pairs) if pairs else "")


def _is_default(name: str, value: str) -> bool:
    return (name == "page" and value == "1") or (name == "sort" and value == DEFAULT_SORT)


def label_url(name: str) -> str:
    """The tasks that carry the label ``name`` (a label chip's and the sidebar's link)."""
    return list_url(MultiDict({"label": name}))


def current_view_url() -> str | None:
    """The sidebar entry this page shows, as its (lower-case) URL, or None: a project's
    page, every task, the tasks assigned to me, one label's tasks, Today, Upcoming or the
    Trash, whatever the filters and sort on top."""
    if request.path in (TODAY_PATH, UPCOMING_PATH, TRASH_PATH):
        return request.path
    location = list_location_of(request.path)
    if location is None:
        return None
    if location.project_id is not None or location.filter_id is not None:
        return location.path
    assignee = (request.args.get("assignee") or "").strip().lower()
    labels = [value.strip() for value in request.args.getlist("label") if value.strip()]
    if not labels:
        return list_url(MultiDict({"assignee": "me"})) if assignee == "me" else \
            (HOME if not assignee else None)
    if len(labels) == 1 and not assignee:
        return label_url(labels[0]).lower()
    return None

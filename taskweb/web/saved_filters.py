"""Saved filters in the browser: "Save as filter" beside the search box, each filter's
page ``/filters/<id>`` (the tasks it finds, with the same list controls), Rename and
Delete. Each view parses the request, calls one service, and renders."""

from __future__ import annotations

from flask import Blueprint, Response, flash, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from taskweb.domain.filter_grammar import Term
from taskweb.domain.filter_printer import print_filter
from taskweb.domain.task_query import ME, NONE
from taskweb.errors import DomainError, NotFound, PermissionDenied
from taskweb.web.catalog import catalog
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.list_pages import list_fragment, list_page, new_task_form, refused
from taskweb.web.navigation import ListLocation, current_list, list_url
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_list import load_list
from taskweb.wiring import saved_filter_service

bp = Blueprint("web_filters", __name__)
bp.before_request(require_login)
bp.register_error_handler(NotFound, refused)
bp.register_error_handler(PermissionDenied, refused)

NOTHING_TO_SAVE = "Search or choose a filter first: there is nothing to save yet."


def _values(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip().lower() for value in args.getlist(name)
                               for part in value.split(",") if part.strip()))


def query_on_screen(location: ListLocation, args: MultiDict[str, str]) -> str:
    """The list a page shows, written in the filter language: its saved filter or
    project, the search box and the status, priority, label and assignee chosen."""
    parts: list[str] = []
    if location.filter_id is not None:
        parts.append(saved_filter_service().get(signed_in_user(), location.filter_id).query)
    if location.project_id is not None and (view := catalog().project(location.project_id)):
        parts.append(print_filter(Term("project", (view.project.name,))))
    for key in ("status", "priority"):
        if values := _values(args, key):
            parts.append(print_filter(Term(key, values)))
    labels = [value.strip() for value in args.getlist("label") if value.strip()]
    if labels:
        parts.append(" ".join(print_filter(Term("label", (label,))) for label in labels))
    assignee = _values(args, "assignee")
    if assignee and assignee[0] in (ME, NONE):
        parts.append(print_filter(Term("assignee", assignee[:1])))
    box = next((value for value in reversed(args.getlist("q")) if value.strip()), "")
    if box.strip():
        parts.append(box.strip())
    return " ".join(f"({part})" if len(parts) > 1 else part for part in parts)


@bp.post("/filters")
def create() -> Response | tuple[str, int]:
    name = request.form.get("name", "")
    location, args = current_list()
    query = request.form.get("query") or query_on_screen(location, args)
    if not query.strip():
        return _save_failed(name, query, [NOTHING_TO_SAVE], 422, location, args)
    try:
        saved = saved_filter_service().create(signed_in_user(), {"name": name, "query": query})
    except DomainError as error:
        messages = error.errors.get("name", []) + [
            f"The filter: {message}" for message in error.errors.get("query", [])]
        return _save_failed(name, query, messages or [error.detail], error.status_code,
                            location, args)
    flash(f"Saved the filter “{saved.name}”.")
    return redirect_to(url_for("web_filters.show", filter_id=saved.id))


def _save_failed(name: str, query: str, messages: list[str], status: int,
                 location: ListLocation, args: MultiDict[str, str]) -> tuple[str, int]:
    context = {"save_name": name, "save_errors": messages, "save_query": query}
    if wants_fragment():
        return render_template("filters/_save_form.html", **context), status
    return render_template("filters/form_page.html", heading="Save as filter", saved=None,
                           back_url=list_url(args, location.path), **context), status


@bp.get("/filters/<int:filter_id>")
def show(filter_id: int) -> Response | tuple[str, int]:
    listing = load_list(ListLocation(filter_id=filter_id), MultiDict(request.args))
    status = 422 if listing.errors else 200
    if wants_fragment():
        response = list_fragment(listing, status)
        response.headers["HX-Push-Url"] = listing.url
        return response
    return list_page(listing, new_task_form(listing), status)


@bp.post("/filters/<int:filter_id>/rename")
def rename(filter_id: int) -> Response | tuple[str, int]:
    name = request.form.get("name", "")
    try:
        saved = saved_filter_service().update(signed_in_user(), filter_id, {"name": name})
    except NotFound:
        raise  # another person's or a deleted filter: the 404 page, not a form error
    except DomainError as error:
        saved = saved_filter_service().get(signed_in_user(), filter_id)
        context = {"saved": saved, "rename_name": name,
                   "rename_errors": error.errors.get("name") or [error.detail]}
        if wants_fragment():
            return render_template("filters/_rename_form.html", **context), error.status_code
        return render_template("filters/form_page.html", heading=f"Rename “{saved.name}”",
                               back_url=url_for("web_filters.show", filter_id=filter_id),
                               **context), error.status_code
    flash(f"Renamed the filter to “{saved.name}”.")
    return redirect_to(url_for("web_filters.show", filter_id=filter_id))


@bp.post("/filters/<int:filter_id>/delete")
def delete(filter_id: int) -> Response:
    saved = saved_filter_service().get(signed_in_user(), filter_id)
    saved_filter_service().delete(signed_in_user(), filter_id)
    flash(f"Deleted the filter “{saved.name}”.")
    return redirect_to(url_for("web_tasks.index"))


"""A project's page (its tasks, with the list of the tasks page), creating a project, its
settings (name, colour, archive, delete) and its sharing (invite, roles, remove, leave,
hand over).

What a page offers follows the person's role (``domain/access.py``); the services refuse
the rest anyway (403), and a project one does not belong to is not found (404). Changes
to the project as a whole answer with a fresh page (its name and the sidebar change);
changes to its members answer with the sharing panel, which htmx swaps in place.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from taskweb.errors import DomainError, NotFound, PermissionDenied
from taskweb.models import Role
from taskweb.web.forms import checked
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.list_pages import (
    list_fragment,
    list_page,
    new_task_form,
    project_page_context,
    refused,
    tasks_in,
    visible_project,
)
from taskweb.web.navigation import HOME, ListLocation, came_from
from taskweb.web.project_forms import ROLE_LABELS, InviteForm, ProjectForm, TransferForm
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.task_list import load_list
from taskweb.wiring import project_service

bp = Blueprint("web_projects", __name__, url_prefix="/projects")

bp.before_request(require_login)
bp.register_error_handler(PermissionDenied, refused)
bp.register_error_handler(NotFound, refused)


def new_project_form() -> ProjectForm:
    """The empty form of the "New project" dialog (every page with the sidebar has it)."""
    return ProjectForm(formdata=None, id_scope="new-project")


def _page_url(project_id: int) -> str:
    return url_for("web_projects.show", project_id=project_id)


def _share_url(project_id: int) -> str:
    return url_for("web_projects.members", project_id=project_id)


# The project's page

@bp.get("/<int:project_id>")
def show(project_id: int) -> Response | tuple[str, int]:
    visible_project(project_id)
    listing = load_list(ListLocation(project_id), MultiDict(request.args))
    status = 422 if listing.errors else 200
    if wants_fragment():
        response = list_fragment(listing, status)
        response.headers["HX-Push-Url"] = listing.url
        return response
    return list_page(listing, new_task_form(listing), status)


def _project_page(project_id: int, status: int, **forms: Any) -> tuple[str, int]:
    """The project's page with a form that failed (its settings, say) in it."""
    view = visible_project(project_id)
    listing = load_list(ListLocation(project_id), MultiDict())
    return render_template("projects/show.html", listing=listing, form=new_task_form(listing),
                           **project_page_context(view, **forms)), status


# Creating a project

@bp.get("/new")
def new() -> tuple[str, int]:
    """The "New project" form on a page of its own (where the dialog cannot open)."""
    return render_template("projects/new.html", project_form=new_project_form()), 200


@bp.post("")
def create() -> Response | tuple[str, int]:
    form = ProjectForm(id_scope="new-project")
    try:
        view = project_service().create(signed_in_user(), form.project_fields())
    except DomainError as error:
        form.show_errors(error)
        if wants_fragment():
            in_dialog = not came_from(url_for("web_projects.new"))
            return render_template("partials/_new_project_form.html", project_form=form,
                                   in_dialog=in_dialog), error.status_code
        return render_template("projects/new.html", project_form=form), error.status_code
    flash(f"Created the project “{view.project.name}”.")
    return redirect_to(_page_url(view.project.id))


# Its settings: the owner's

@bp.post("/<int:project_id>")
def update(project_id: int) -> Response | tuple[str, int]:
    form = ProjectForm(id_scope="project")
    try:
        view = project_service().update(signed_in_user(), project_id, form.project_fields())
    except PermissionDenied:
        raise
    except DomainError as error:
        form.show_errors(error)
        form.color.choices = ProjectForm.of(visible_project(project_id).project).color.choices
        if wants_fragment():
            return render_template("partials/_project_settings_form.html", settings_form=form,
                                   view=visible_project(project_id)), error.status_code
        return _project_page(project_id, error.status_code, settings_form=form)
    flash(f"Saved the project “{view.project.name}”.")
    return redirect_to(_page_url(project_id))


@bp.post("/<int:project_id>/archive")
def archive(project_id: int) -> Response | tuple[str, int]:
    archived = checked(request.form.get("archived"))
    try:
        view = project_service().update(signed_in_user(), project_id, {"archived": archived})
    except DomainError as error:
        return refused(error)
    name = view.project.name
    flash(f"Archived “{name}”: it is listed under Archived." if archived
          else f"“{name}” is active again.")
    return redirect_to(_page_url(project_id))


@bp.post("/<int:project_id>/delete")
def delete(project_id: int) -> Response | tuple[str, int]:
    user = signed_in_user()
    view = visible_project(project_id)
    total = tasks_in(project_id)
    try:
        project_service().delete(user, project_id)
    except DomainError as error:
        return refused(error)
    tasks = f" and its {total} task{'' if total == 1 else 's'}" if total else ""
    flash(f"Deleted “{view.project.name}”{tasks}.")
    return redirect_to(HOME)


# Its members: everybody sees them; the owner manages them; the others may leave

@bp.get("/<int:project_id>/members")
def members(project_id: int) -> tuple[str, int]:
    """Who the project is shared with: the sharing panel, or a page of its own."""
    return _share(project_id)


def _share(project_id: int, status: int = 200, **forms: Any) -> tuple[str, int]:
    view = project_service().get(signed_in_user(), project_id)
    context = project_page_context(view, for_page=False, **forms)
    template = "partials/_share_panel.html" if wants_fragment() else "projects/members.html"
    # The panel is the project page's dialog, or the sharing page's own content.
    in_dialog = wants_fragment() and not came_from(_share_url(project_id))
    return render_template(template, in_dialog=in_dialog, **context), status


def _member_changed(project_id: int, message: str, status: int = 200) -> Response | tuple[str, int]:
    if not wants_fragment():
        flash(message)
        return redirect_to(_share_url(project_id))
    return _share(project_id, status, share_message=message)


@bp.post("/<int:project_id>/members")
def invite(project_id: int) -> Response | tuple[str, int]:
    form = InviteForm(id_scope="invite")
    try:
        member = project_service().add_member(signed_in_user(), project_id, form.invitation())
    except PermissionDenied:
        raise
    except DomainError as error:
        if isinstance(error, NotFound) and not error.errors:
            raise  # the project itself
        form.show_errors(error)
        return _share(project_id, error.status_code, invite_form=form)
    role = ROLE_LABELS[member.role].lower()
    return _member_changed(project_id, f"Added {member.username} as {_article(role)} {role}.",
                           201 if wants_fragment() else 200)


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


@bp.post("/<int:project_id>/members/<int:member_id>")
def change_role(project_id: int, member_id: int) -> Response | tuple[str, int]:
    role = request.form.get("role", "")
    if role == Role.OWNER.value:  # handing over has its own form, with its own words
        return refused(PermissionDenied("Use “Transfer ownership” to make somebody the owner."))
    try:
        member = project_service().change_role(signed_in_user(), project_id, member_id,
                                               {"role": role})
    except DomainError as error:
        if isinstance(error, PermissionDenied | NotFound):
            raise
        return _share(project_id, error.status_code, share_error=error.detail)
    role_name = ROLE_LABELS[member.role].lower()
    return _member_changed(project_id, f"{member.username} is now {_article(role_name)} "
                                       f"{role_name}.")


@bp.post("/<int:project_id>/members/<int:member_id>/remove")
def remove_member(project_id: int, member_id: int) -> Response | tuple[str, int]:
    user = signed_in_user()
    if member_id == user.id:
        return leave(project_id)
    service = project_service()
    member = service.member(user, project_id, member_id)
    service.remove_member(user, project_id, member_id)
    return _member_changed(project_id, f"Removed {member.username} from the project.")


@bp.post("/<int:project_id>/leave")
def leave(project_id: int) -> Response | tuple[str, int]:
    user = signed_in_user()
    service = project_service()
    view = service.get(user, project_id)
    try:
        service.remove_member(user, project_id, user.id)
    except DomainError as error:
        if isinstance(error, NotFound):
            raise
        return refused(error)
    flash(f"You left “{view.project.name}”.")
    return redirect_to(HOME)


@bp.post("/<int:project_id>/owner")
def transfer(project_id: int) -> Response | tuple[str, int]:
    """Make another member the owner; the old owner stays, as an editor."""
    form = TransferForm(id_scope="transfer")
    raw = (form.new_owner.data or "").strip()
    if not raw.isdigit():
        form.new_owner.errors = ["Choose the member who will own the project."]
        return _share(project_id, 422, transfer_form=form)
    try:
        member = project_service().change_role(signed_in_user(), project_id, int(raw),
                                               {"role": Role.OWNER.value})
    except DomainError as error:
        if isinstance(error, PermissionDenied):
            raise
        form.show_errors(error)
        if not form.new_owner.errors:
            form.new_owner.errors = [error.detail]
        return _share(project_id, error.status_code, transfer_form=form)
    flash(f"{member.username} now owns the project; you are an editor.")
    return redirect_to(_page_url(project_id))

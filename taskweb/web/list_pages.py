"""The two pages a task list lives on, ``/`` and ``/projects/<id>``, rendered in full or
as the fragments htmx swaps: one place for both, since adding, deleting and undoing
answer with the list of whichever page the request came from.

Also the answer to a change the person's role does not allow (403) or to a project they
no longer belong to (404): the error page, or for htmx the message in the page's status
region (so that no form or row is replaced by a whole error page).
"""

from __future__ import annotations

from typing import Any

from flask import Response, render_template

from taskweb.domain.access import Action, may
from taskweb.domain.projects import ProjectView
from taskweb.domain.task_query import TaskQuery
from taskweb.errors import DomainError, PermissionDenied
from taskweb.web.catalog import catalog
from taskweb.web.htmx import wants_fragment
from taskweb.web.project_forms import ROLE_LABELS, InviteForm, ProjectForm, TransferForm
from taskweb.web.session import signed_in_user
from taskweb.web.task_forms import TaskForm
from taskweb.web.task_list import TaskListView
from taskweb.wiring import project_service, task_service


def list_fragment(listing: TaskListView, status: int = 200) -> Response:
    """The list, its count for the live region and the view's document title. A search
    box holding a malformed filter leaves the list as it is and says, next to the box,
    what was expected and where."""
    if listing.search_error is not None:
        response = Response(render_template("filters/search_error.html", listing=listing),
                            422)
        response.headers["HX-Reswap"] = "none"
        return response
    return Response(render_template("tasks/list_fragment.html", listing=listing), status)


def new_task_form(listing: TaskListView) -> TaskForm:
    """A fresh add form for a list page."""
    form = TaskForm(id_scope="new", formdata=None)
    offer_task_choices(form, listing)
    return form


def offer_task_choices(form: TaskForm, listing: TaskListView) -> None:
    """The add form's projects (into the project shown, else the Inbox, by default) and,
    on a shared project's page, its members to assign."""
    projects = catalog()
    shown = listing.location.project_id
    default = shown if shown is not None else (projects.inbox.project.id
                                               if projects.inbox else None)
    form.offer_projects(projects.writable, default)
    if shown is not None:
        form.offer_assignees(projects.members_of(shown), signed_in_user().id)


def list_page(listing: TaskListView, form: TaskForm, status: int = 200) -> tuple[str, int]:
    """The whole page of ``listing``: the tasks page, or the page of its project or of
    its saved filter."""
    if listing.search_error is not None:
        status = 422
    if listing.saved_filter is not None:
        return render_template("filters/show.html", listing=listing, form=form), status
    project_id = listing.location.project_id
    if project_id is None:
        return render_template("tasks/index.html", listing=listing, form=form), status
    view = visible_project(project_id)
    return render_template("projects/show.html", listing=listing, form=form,
                           **project_page_context(view)), status


def visible_project(project_id: int) -> ProjectView:
    """A project the person belongs to (404 otherwise)."""
    return catalog().project(project_id) or project_service().get(signed_in_user(), project_id)


def project_page_context(view: ProjectView, *, for_page: bool = True,
                         **forms: Any) -> dict[str, Any]:
    """What a project's page shows beside its list: its settings, sharing and (with
    ``for_page``) the words of its delete confirmation, each only to a role that may use
    it. ``forms`` are forms that failed, and the sharing panel's messages."""
    project = view.project
    manages = may(view.role, Action.MANAGE_PROJECT) and not project.is_inbox
    context: dict[str, Any] = {
        "view": view,
        "role_labels": ROLE_LABELS,
        "members": catalog().members_of(project.id),
        "edits_tasks": may(view.role, Action.EDIT_TASKS),
        "manages": manages,
        "manages_members": may(view.role, Action.MANAGE_MEMBERS),
        "settings_form": forms.get("settings_form") or ProjectForm.of(project),
        "invite_form": forms.get("invite_form") or InviteForm(formdata=None, id_scope="invite"),
        "transfer_form": forms.get("transfer_form") or TransferForm(formdata=None,
                                                                    id_scope="transfer"),
        "share_message": forms.get("share_message"),
        "share_error": forms.get("share_error"),
        "settings_open": bool(forms.get("settings_form")),
    }
    context["transfer_form"].offer(context["members"], signed_in_user().id)
    if manages and for_page:
        context["task_total"] = tasks_in(project.id)
    return context


def tasks_in(project_id: int) -> int:
    """Every task of a project, done ones and subtasks included (what deleting it deletes)."""
    query = TaskQuery(project_ids=(project_id,), limit=1)
    return task_service().list(signed_in_user(), query).total


def refused(error: DomainError) -> Response | tuple[str, int]:
    """A change the person may not make, or a project or task they cannot see: the
    error page, or for htmx the message in the status region."""
    if not wants_fragment():
        return render_template("error.html", status=error.status_code, title=error.title,
                               detail=error.detail), error.status_code
    response = Response(render_template("partials/_refused.html", message=error.detail),
                        error.status_code)
    response.headers["HX-Retarget"] = "#flash"
    response.headers["HX-Reswap"] = "innerHTML"
    return response


def refuse_unless_editor(role: Any) -> None:
    """Viewers get no edit form and no edit: 403 (the same words as the services')."""
    if not may(role, Action.EDIT_TASKS):
        raise PermissionDenied("You may only view the tasks of this project.")

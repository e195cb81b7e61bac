"""/api/v1/projects: the projects the token user belongs to, and their members.

A project the caller is not a member of is a 404, never a 403; a member whose role is
too low for a change gets 403.
"""

from __future__ import annotations

from typing import Any

from flask import request, url_for
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb.api.docs import bearer_protected, documents_problems, paging_parameters
from taskweb.api.problems import PROBLEM_MIMETYPE
from taskweb.api.project_schemas import (
    MemberInviteSchema,
    MemberListSchema,
    MemberRoleSchema,
    MemberSchema,
    ProjectCreateSchema,
    ProjectPageSchema,
    ProjectSchema,
    ProjectWriteSchema,
)
from taskweb.api.schemas import ProblemSchema
from taskweb.domain.projects import ArchivedFilter
from taskweb.services.project_fields import parse_project_query
from taskweb.wiring import project_service

blp = Blueprint("projects", __name__, url_prefix="/api/v1/projects",
                description="Your projects (the Inbox among them) and who shares them.")

LIST_PARAMETERS = [
    {"in": "query", "name": "archived", "required": False,
     "schema": {"type": "string", "enum": [value.value for value in ArchivedFilter],
                "default": ArchivedFilter.FALSE.value},
     "description": "`false`: the active projects; `true`: the archived ones; `all`."},
    *paging_parameters("Projects"),
]
LOCATION = {"Location": {"description": "URL of what was created.",
                         "schema": {"type": "string"}}}


def conflicts(description: str):
    """A 409 of its own kind, described in the OpenAPI document."""
    return blp.alt_response(409, schema=ProblemSchema, description=description,
                            content_type=PROBLEM_MIMETYPE)


@blp.route("/")
class ProjectCollection(MethodView):
    @bearer_protected(blp)
    @blp.doc(parameters=LIST_PARAMETERS)
    @blp.response(200, ProjectPageSchema)
    @documents_problems(blp, 422)
    def get(self):
        """List the projects you belong to: your Inbox first, then by name."""
        query = parse_project_query(request.args.to_dict(flat=False))
        return project_service().list(current_user, query)

    @bearer_protected(blp)
    @blp.arguments(ProjectCreateSchema)
    @blp.response(201, ProjectSchema, headers=LOCATION)
    @documents_problems(blp, 400, 409, 413, 415, 422)
    def post(self, body: dict[str, Any]):
        """Create a project; you are its owner."""
        view = project_service().create(current_user, body)
        return view, {"Location": url_for("projects.ProjectItem", project_id=view.project.id)}


@blp.route("/<int:project_id>")
class ProjectItem(MethodView):
    @bearer_protected(blp)
    @blp.response(200, ProjectSchema)
    @documents_problems(blp, 404)
    def get(self, project_id: int):
        """A project you belong to."""
        return project_service().get(current_user, project_id)

    @bearer_protected(blp)
    @blp.arguments(ProjectWriteSchema)
    @blp.response(200, ProjectSchema)
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
    @conflicts("The name is taken among the projects you own (`errors.name`), or the "
               "change would rename or archive the Inbox.")
    def put(self, body: dict[str, Any], project_id: int):
        """Change a project (the owner only); omitted fields are unchanged."""
        return project_service().update(current_user, project_id, body)

    @bearer_protected(blp)
    @blp.arguments(ProjectWriteSchema)
    @blp.response(200, ProjectSchema)
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
    @conflicts("The name is taken among the projects you own (`errors.name`), or the "
               "change would rename or archive the Inbox.")
    def patch(self, body: dict[str, Any], project_id: int):
        """Change some fields of a project (same body as PUT)."""
        return project_service().update(current_user, project_id, body)

    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 403, 404)
    @conflicts("The Inbox cannot be deleted.")
    def delete(self, project_id: int):
        """Delete a project (the owner only) and its tasks with it (not to the trash)."""
        project_service().delete(current_user, project_id)


@blp.route("/<int:project_id>/members/")
class MemberCollection(MethodView):
    @bearer_protected(blp)
    @blp.response(200, MemberListSchema)
    @documents_problems(blp, 404)
    def get(self, project_id: int):
        """The members of a project you belong to, in the order they joined."""
        return {"items": project_service().members(current_user, project_id)}

    @bearer_protected(blp)
    @blp.arguments(MemberInviteSchema)
    @blp.response(201, MemberSchema, headers=LOCATION)
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
    @conflicts("The person is a member already, or the project is your Inbox (never "
               "shared).")
    def post(self, body: dict[str, Any], project_id: int):
        """Add somebody, by username or email, as editor or viewer (the owner only).

        404 when the project is not yours to see, or when nobody has that username or
        email (`errors` names the field).
        """
        member = project_service().add_member(current_user, project_id, body)
        location = url_for("projects.MemberItem", project_id=project_id,
                           user_id=member.user_id)
        return member, {"Location": location}


@blp.route("/<int:project_id>/members/<int:user_id>")
class MemberItem(MethodView):
    @bearer_protected(blp)
    @blp.response(200, MemberSchema)
    @documents_problems(blp, 404)
    def get(self, project_id: int, user_id: int):
        """One member of a project you belong to."""
        return project_service().member(current_user, project_id, user_id)

    @bearer_protected(blp)
    @blp.arguments(MemberRoleSchema)
    @blp.response(200, MemberSchema)
    @documents_problems(blp, 400, 403, 404, 413, 415, 422)
    @conflicts("This is the owner's own membership (hand the project over by making "
               "another member the owner), or the new owner already owns a project of "
               "this name (`errors.name`).")
    def patch(self, body: dict[str, Any], project_id: int, user_id: int):
        """Change a member's role (the owner only); `owner` hands the project over."""
        return project_service().change_role(current_user, project_id, user_id, body)

    @bearer_protected(blp)
    @blp.response(204)
    @documents_problems(blp, 403, 404)
    @conflicts("The owner cannot leave: make another member the owner first.")
    def delete(self, project_id: int, user_id: int):
        """Remove a member (the owner), or leave (your own user id, any member but the
        owner). Their tasks in the project are left unassigned."""
        project_service().remove_member(current_user, project_id, user_id)

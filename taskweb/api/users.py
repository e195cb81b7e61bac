"""/api/v1/users/me: the account of the token's user, its deletion, export and import."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from flask_jwt_extended import current_user
from flask_smorest import Blueprint

from taskweb.api.account_schemas import (
    AccountDeleteSchema,
    ExportDocumentSchema,
    ImportDocumentSchema,
    ImportResultSchema,
)
from taskweb.api.docs import bearer_protected, documents_problems
from taskweb.api.request_checks import CSV_MIMETYPE, accepts_csv
from taskweb.api.schemas import UserSchema, UserUpdateSchema
from taskweb.api.serializers import json_response
from taskweb.rate_limits import limit_password_reentry
from taskweb.services import portability
from taskweb.wiring import account_service, user_service

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="Your account.")

CSV_DESCRIPTION = (
    "UTF-8, comma-separated, quoted as RFC 4180 says (a quoted cell may hold commas, "
    "quotes and line breaks). The first line names the columns, in any order, `title` "
    f"required: {', '.join(f'`{c}`' for c in portability.CSV_COLUMNS)}. An empty cell "
    "means the default (no description, `todo`, `medium`, no due date, your Inbox, no "
    "labels); `labels` are separated by spaces; `project` is a name, as in a document."
)
IMPORT_DESCRIPTION = f"""Create projects and tasks from an export's document
(`application/json`) or from a CSV of tasks (`text/csv`).

- Everything is created anew, with new ids; nothing you have is changed or overwritten.
- A project is named by its name. If you already own a project of that name (compared
  case-insensitively), it is not created again: the tasks go into yours, and the
  document's description, color and archived flag are not applied to it. The Inbox
  (the document's own, or a project named like yours) is always your Inbox.
- Members are not imported: an imported project is shared with nobody. A task assigned
  to the document's user (or to you) is assigned to you; to anybody else, only if they
  are a member of the project it lands in, else it is left unassigned.
- A completed task keeps its `completed_at`; `position` and `parent_ref` are kept;
  `created_at` and `updated_at` are new.
- All or nothing: the first faults (up to {portability.MAX_REPORTED_ROWS} rows) are listed
  in a 422 whose `errors` name their place — `tasks[3].status` in a document,
  `line 4.status` in a CSV (line 1 being the header) — and nothing is written.
- At most {portability.MAX_TASKS} tasks and {portability.MAX_PROJECTS} projects, and
  1 MiB, per request (413 beyond that): split a larger import.
"""
EXPORT_DISPOSITION = {
    "Content-Disposition": {"description": "`attachment`, with a file name.",
                            "schema": {"type": "string"}},
}


@blp.route("/me")
class CurrentUser(MethodView):
    @bearer_protected(blp)
    @blp.response(200, UserSchema)
    def get(self):
        """Your account."""
        return current_user

    @bearer_protected(blp)
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @documents_problems(blp, 400, 403, 409, 413, 415, 422, 429)
    @limit_password_reentry
    def put(self, body: dict[str, Any]):
        """Change any of email, username, full name, password, time zone,
        `email_notifications`.

        `current_password` is required when the email or the password changes; a new
        password ends every token of the account. A request that carries
        `current_password` counts against the account's sign-in rate limit, like a login.
        """
        current_password = body.pop("current_password", None)
        return user_service().update_profile(current_user, body, current_password)

    @bearer_protected(blp)
    @blp.arguments(UserUpdateSchema)
    @blp.response(200, UserSchema)
    @documents_problems(blp, 400, 403, 409, 413, 415, 422, 429)
    @limit_password_reentry
    def patch(self, body: dict[str, Any]):
        """The same as `PUT`: only the fields sent change (`{"email_notifications":
        false}` turns e-mails of notifications off)."""
        current_password = body.pop("current_password", None)
        return user_service().update_profile(current_user, body, current_password)

    @bearer_protected(blp)
    @blp.arguments(AccountDeleteSchema)
    @blp.response(204)
    @documents_problems(blp, 400, 403, 413, 415, 422, 429)
    @limit_password_reentry
    def delete(self, body: dict[str, Any]):
        """Delete your account, for good.

        Your tokens, sessions and memberships go with it, and so does every project you
        own alone, with its tasks. A project you own that has other members passes to
        its longest-standing editor (else its longest-standing member), who becomes its
        owner; if they own a project of the same name already, it is renamed
        "<name> (from <your username>)". Tasks you created in projects that stay are
        kept, credited to the project's owner. The password counts against the account's
        sign-in rate limit, like a login.
        """
        account_service().delete(current_user, body["current_password"])


@blp.get("/me/export")
@bearer_protected(blp)
@blp.response(200, ExportDocumentSchema, headers=EXPORT_DISPOSITION)
def export_account():
    """Everything of yours in one JSON document.

    Your user, every project you own (with its members), every task in them (with labels,
    subtasks by `parent_ref`, assignee by username) and your saved filters.
    `POST /users/me/import` reads it back.
    """
    document = account_service().export(current_user)
    day = document["exported_at"].date().isoformat()
    filename = f"taskweb-{current_user.username}-{day}.json"
    return json_response(document, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


@blp.post("/me/import")
@accepts_csv
@bearer_protected(blp)
@blp.doc(description=IMPORT_DESCRIPTION, requestBody={
    "required": True,
    "content": {
        "application/json": {"schema": ImportDocumentSchema},
        CSV_MIMETYPE: {"schema": {"type": "string", "description": CSV_DESCRIPTION}},
    },
})
@blp.response(201, ImportResultSchema)
@documents_problems(blp, 400, 409, 413, 415, 422)
def import_account():
    """Import projects and tasks (an export's document, or a CSV of tasks)."""
    service = account_service()
    if request.mimetype == CSV_MIMETYPE:
        result = service.import_csv(current_user, request.get_data().decode("utf-8"))
    else:
        result = service.import_document(current_user, request.get_json())
    return json_response({"projects": result.projects, "tasks": result.tasks}, 201)

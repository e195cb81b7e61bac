"""Schemas of the account as a whole: deleting it, its export document, an import.

The export document is built by services/portability/ (a test holds the two together);
the import is read and checked there too, so the request schemas here only describe it
for the OpenAPI document (``Described``, as in schemas.py).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from taskweb import rules
from taskweb.api.schemas import Described, StrictSchema, UserSchema
from taskweb.models import Role, TaskPriority, TaskStatus
from taskweb.services import portability
from taskweb.services.reminder_fields import REMINDERS_MAX

REF_DESCRIPTION = "A number that names the task within this document only (not its id)."
PROJECT_REF_DESCRIPTION = (
    "The name of the task's project: one of the document's `projects`, or one of yours, "
    "or else a new project of that name is made. The Inbox's name (or none) means your Inbox."
)


def _text(*, required: bool = False, nullable: bool = False, **limits: object) -> Described:
    """Text without control characters (tab and line breaks aside)."""
    limits.setdefault("pattern", rules.TEXT_PATTERN)
    return Described(required=required, nullable=nullable, type="string", **limits)


class AccountDeleteSchema(StrictSchema):
    current_password = _text(required=True, minLength=1, pattern="^[^\\u0000]*$",
                             description="Your password, entered again.")


class ExportMemberSchema(Schema):
    username = fields.String(required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    joined_at = fields.AwareDateTime(required=True)


class ExportProjectSchema(Schema):
    name = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    color = fields.String(required=True, allow_none=True)
    is_inbox = fields.Boolean(required=True)
    archived = fields.Boolean(required=True)
    members = fields.List(fields.Nested(ExportMemberSchema), required=True, metadata={
        "description": "Longest-standing first. Informational: an import shares nothing."})
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class ExportTaskSchema(Schema):
    ref = fields.Integer(required=True, metadata={"description": REF_DESCRIPTION})
    project = fields.String(required=True, metadata={"description": PROJECT_REF_DESCRIPTION})
    title = fields.String(required=True)
    description = fields.String(required=True, allow_none=True)
    status = fields.Enum(TaskStatus, by_value=True, required=True)
    priority = fields.Enum(TaskPriority, by_value=True, required=True)
    due_date = fields.AwareDateTime(required=True, allow_none=True)
    labels = fields.List(fields.String(), required=True)
    reminders = fields.List(fields.AwareDateTime(), required=True,
                            metadata={"description": "Delivered ones included."})
    parent_ref = fields.Integer(required=True, allow_none=True,
                                metadata={"description": "The `ref` of the task's parent."})
    assignee = fields.String(required=True, allow_none=True,
                             metadata={"description": "The assignee's username."})
    completed_at = fields.AwareDateTime(required=True, allow_none=True)
    deleted_at = fields.AwareDateTime(required=True, allow_none=True, metadata={
        "description": "Set for a task in the trash: when it was deleted."})
    position = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class ExportSavedFilterSchema(Schema):
    name = fields.String(required=True)
    query = fields.String(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class ExportDocumentSchema(Schema):
    format = fields.String(required=True, metadata={"enum": [portability.FORMAT]})
    version = fields.Integer(required=True, metadata={"enum": [portability.VERSION]})
    exported_at = fields.AwareDateTime(required=True)
    user = fields.Nested(UserSchema, required=True)
    projects = fields.List(fields.Nested(ExportProjectSchema), required=True, metadata={
        "description": "The projects you own: the Inbox, then by name."})
    tasks = fields.List(fields.Nested(ExportTaskSchema), required=True, metadata={
        "description": "Every task of those projects, project by project; in each, the "
        "top-level tasks by manual order, each followed by its subtasks."})
    saved_filters = fields.List(fields.Nested(ExportSavedFilterSchema), required=True,
                                metadata={"description": "Your saved filters, by name."})


def _information(**openapi: object) -> Described:
    openapi.setdefault("description", "Read as information only.")
    return Described(nullable=True, **openapi)


class ImportProjectSchema(StrictSchema):
    name = _text(required=True, minLength=1, maxLength=rules.PROJECT_NAME_MAX,
                 pattern=rules.NON_BLANK_TEXT_PATTERN)
    description = _text(nullable=True, maxLength=rules.PROJECT_DESCRIPTION_MAX)
    color = Described(nullable=True, type="string", pattern=rules.COLOR_PATTERN)
    is_inbox = Described(type="boolean", description="The document's Inbox: its tasks go "
                         "into yours.")
    archived = Described(type="boolean")
    members = _information(type="array", items={"type": "object"})
    created_at = _information(type="string", format="date-time")
    updated_at = _information(type="string", format="date-time")


class ImportTaskSchema(StrictSchema):
    ref = Described(nullable=True, type="integer", description=REF_DESCRIPTION)
    project = _text(nullable=True, minLength=1, maxLength=rules.PROJECT_NAME_MAX,
                    description=PROJECT_REF_DESCRIPTION)
    title = _text(required=True, minLength=1, maxLength=rules.TITLE_MAX,
                  pattern=rules.NON_BLANK_TEXT_PATTERN)
    description = _text(nullable=True, maxLength=rules.DESCRIPTION_MAX)
    status = Described(type="string", enum=[member.value for member in TaskStatus])
    priority = Described(type="string", enum=[member.value for member in TaskPriority])
    due_date = Described(nullable=True, type="string", format="date-time")
    labels = Described(type="array", maxItems=rules.LABELS_PER_TASK,
                       items={"type": "string", "minLength": 1, "maxLength": rules.LABEL_MAX,
                              "pattern": r"^[^\s,]+$"})
    reminders = Described(nullable=True, type="array", maxItems=REMINDERS_MAX,
                          items={"type": "string", "format": "date-time"},
                          description="As on a task; a time already past is imported as "
                                      "delivered (never announced).")
    parent_ref = Described(nullable=True, type="integer",
                           description="The `ref` of a top-level task of the same project.")
    assignee = Described(nullable=True, type="string", description=(
        "A username. Yours, or the document's user's, assigns the task to you; anybody "
        "else's only if they are a member of the project the task lands in (else the task "
        "is left unassigned)."))
    completed_at = Described(nullable=True, type="string", format="date-time",
                             description="Kept for a completed task; ignored otherwise.")
    deleted_at = Described(nullable=True, type="string", format="date-time",
                           description="Set: the task is imported into the trash (purged "
                                       "30 days after this instant).")
    position = Described(nullable=True, type="string", minLength=1,
                         maxLength=portability.POSITION_MAX, pattern="^[!-~]+$",
                         description="Manual order; a new one if left out.")
    created_at = _information(type="string", format="date-time")
    updated_at = _information(type="string", format="date-time")


class ImportDocumentSchema(StrictSchema):
    format = Described(type="string", enum=[portability.FORMAT])
    version = Described(type="integer", enum=[portability.VERSION])
    exported_at = _information(type="string", format="date-time")
    user = _information(type="object", description=(
        "Read for its `username` only: tasks assigned to it are assigned to you. Your own "
        "account is never changed by an import."))
    projects = fields.List(fields.Nested(ImportProjectSchema),
                           metadata={"maxItems": portability.MAX_PROJECTS})
    tasks = fields.List(fields.Nested(ImportTaskSchema),
                        metadata={"maxItems": portability.MAX_TASKS})
    saved_filters = Described(
        type="array", maxItems=portability.MAX_FILTERS,
        items={"type": "object", "required": ["name", "query"],
               "properties": {"name": {"type": "string"}, "query": {"type": "string"},
                              "created_at": {"type": "string", "format": "date-time"},
                              "updated_at": {"type": "string", "format": "date-time"}}},
        description="Saved filters, checked as when one is saved (a name twice in the "
        "document is refused); one whose name you have already (any case) is left out, "
        "and yours kept.")


class ImportResultSchema(Schema):
    projects = fields.Integer(required=True, metadata={
        "description": "Projects created (tasks merged into a project of yours of the same "
                       "name do not count here)."})
    tasks = fields.Integer(required=True, metadata={"description": "Tasks created."})

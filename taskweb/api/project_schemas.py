"""Marshmallow schemas of projects, members and labels: request bodies (unknown fields
rejected; the rules live in the services, these only describe them) and responses."""

from __future__ import annotations

from marshmallow import Schema, fields

from taskweb import rules
from taskweb.api.schemas import Described, StrictSchema
from taskweb.models import Role

NAME_DESCRIPTION = (f"1–{rules.PROJECT_NAME_MAX} characters once trimmed; unique among the "
                    "projects you own, case-insensitively.")
COLOR_DESCRIPTION = "`#rrggbb` (stored lower-cased), or null."
LABEL_PATTERN = r"^[^\s,]+$"


def _name(*, required: bool = False) -> Described:
    return Described(required=required, type="string", minLength=1,
                     maxLength=rules.PROJECT_NAME_MAX,
                     pattern=rules.NON_BLANK_TEXT_PATTERN, description=NAME_DESCRIPTION)


class ProjectCreateSchema(StrictSchema):
    name = _name(required=True)
    description = Described(nullable=True, type="string",
                            maxLength=rules.PROJECT_DESCRIPTION_MAX, pattern=rules.TEXT_PATTERN)
    color = Described(nullable=True, type="string", pattern=rules.COLOR_PATTERN,
                      description=COLOR_DESCRIPTION)


class ProjectWriteSchema(ProjectCreateSchema):
    """Any subset; omitted fields are unchanged."""

    name = _name()
    archived = Described(type="boolean", description="The Inbox cannot be archived.")


class ProjectSchema(Schema):
    id = fields.Integer(required=True, attribute="project.id")
    name = fields.String(required=True, attribute="project.name")
    description = fields.String(required=True, allow_none=True, attribute="project.description")
    color = fields.String(required=True, allow_none=True, attribute="project.color")
    is_inbox = fields.Boolean(required=True, attribute="project.is_inbox")
    archived = fields.Boolean(required=True, attribute="project.archived")
    owner_id = fields.Integer(required=True, attribute="project.owner_id")
    role = fields.Enum(Role, by_value=True, required=True,
                       metadata={"description": "Your role in the project."})
    member_count = fields.Integer(required=True)
    open_task_count = fields.Integer(required=True, metadata={
        "description": "Tasks of the project that are not completed."})
    created_at = fields.AwareDateTime(required=True, attribute="project.created_at")
    updated_at = fields.AwareDateTime(required=True, attribute="project.updated_at")


class ProjectPageSchema(Schema):
    items = fields.List(fields.Nested(ProjectSchema), required=True)
    total = fields.Integer(required=True, metadata={
        "description": "Projects matching `archived`."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class MemberInviteSchema(StrictSchema):
    """Exactly one of `username` and `email`."""

    username = Described(type="string", pattern=rules.TEXT_PATTERN,
                         description="The person's username (case-insensitive). Give this "
                         "or `email`.")
    email = Described(type="string", pattern=rules.TEXT_PATTERN, maxLength=rules.EMAIL_MAX,
                      description="The person's email address. Give this or `username`.")
    role = Described(required=True, type="string", enum=[Role.EDITOR.value, Role.VIEWER.value])


class MemberRoleSchema(StrictSchema):
    role = Described(required=True, type="string", enum=[role.value for role in Role],
                     description="`owner` hands the project over: that member becomes the "
                     "owner and you an editor.")


class MemberSchema(Schema):
    user_id = fields.Integer(required=True)
    username = fields.String(required=True)
    full_name = fields.String(required=True, allow_none=True)
    role = fields.Enum(Role, by_value=True, required=True)
    joined_at = fields.AwareDateTime(required=True)


class MemberListSchema(Schema):
    items = fields.List(fields.Nested(MemberSchema), required=True)


class LabelRenameSchema(StrictSchema):
    name = Described(required=True, type="string", minLength=1, maxLength=rules.LABEL_MAX,
                     pattern=LABEL_PATTERN,
                     description="The new name; if a task has it already, the two merge.")


class LabelSchema(Schema):
    name = fields.String(required=True)
    count = fields.Integer(required=True, metadata={
        "description": "Tasks you can see (open and completed) that carry the label."})


class LabelListSchema(Schema):
    items = fields.List(fields.Nested(LabelSchema), required=True)

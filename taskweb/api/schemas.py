"""Marshmallow schemas: request bodies (types only, unknown fields rejected) and responses.

The rules themselves (lengths, patterns) are enforced once, by the services; here they are
only described, so that the OpenAPI document tells clients what the services will accept.
"""

from __future__ import annotations

from datetime import timezone

from marshmallow import RAISE, Schema, fields

from taskweb import rules
from taskweb.models import TaskPriority, TaskStatus


def _string(*, required: bool = False, allow_none: bool = False, **limits) -> fields.String:
    return fields.String(required=required, allow_none=allow_none, metadata=limits)


def _aware_datetime(**kwargs) -> fields.AwareDateTime:
    return fields.AwareDateTime(default_timezone=timezone.utc, **kwargs)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class RegisterSchema(StrictSchema):
    email = _string(required=True, format="email", maxLength=rules.EMAIL_MAX)
    username = _string(
        required=True,
        minLength=rules.USERNAME_MIN,
        maxLength=rules.USERNAME_MAX,
        pattern=rules.USERNAME_PATTERN,
    )
    password = _string(required=True, minLength=rules.PASSWORD_MIN, maxLength=rules.PASSWORD_MAX)
    full_name = _string(allow_none=True, maxLength=rules.FULL_NAME_MAX)


class LoginSchema(StrictSchema):
    email = _string(required=True)
    password = _string(required=True)


class RefreshSchema(StrictSchema):
    refresh_token = _string(description="Or send the refresh token as the Bearer token.")


class LogoutSchema(StrictSchema):
    refresh_token = _string()


class TokenPairSchema(Schema):
    access_token = fields.String(required=True)
    refresh_token = fields.String(required=True)
    token_type = fields.String(required=True, metadata={"enum": ["bearer"]})
    expires_in = fields.Integer(required=True, metadata={"description": "Seconds."})


class UserSchema(Schema):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    username = fields.String(required=True)
    full_name = fields.String(allow_none=True, required=True)
    is_active = fields.Boolean(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class UserUpdateSchema(StrictSchema):
    email = _string(format="email", maxLength=rules.EMAIL_MAX)
    username = _string(
        minLength=rules.USERNAME_MIN, maxLength=rules.USERNAME_MAX, pattern=rules.USERNAME_PATTERN
    )
    full_name = _string(allow_none=True, maxLength=rules.FULL_NAME_MAX)
    password = _string(minLength=rules.PASSWORD_MIN, maxLength=rules.PASSWORD_MAX)
    current_password = _string(
        description="Required when `email` or `password` changes."
    )


class TaskWriteSchema(StrictSchema):
    """Fields of a task a client may set; on update, omitted fields are unchanged."""

    title = _string(minLength=1, maxLength=rules.TITLE_MAX)
    description = _string(allow_none=True, maxLength=rules.DESCRIPTION_MAX)
    status = fields.Enum(TaskStatus, by_value=True)
    priority = fields.Enum(TaskPriority, by_value=True)
    due_date = _aware_datetime(allow_none=True)


class TaskCreateSchema(TaskWriteSchema):
    title = _string(required=True, minLength=1, maxLength=rules.TITLE_MAX)


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True, required=True)
    status = fields.Enum(TaskStatus, by_value=True, required=True)
    priority = fields.Enum(TaskPriority, by_value=True, required=True)
    due_date = fields.AwareDateTime(allow_none=True, required=True)
    owner_id = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class TaskPageSchema(Schema):
    items = fields.List(fields.Nested(TaskSchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Tasks matching the filters."})
    limit = fields.Integer(required=True)
    offset = fields.Integer(required=True)


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(
        keys=fields.String(), values=fields.List(fields.String()),
        metadata={"description": "Present on validation failures: messages per field."},
    )


class HealthSchema(Schema):
    status = fields.String(required=True)
    database = fields.String(required=True, metadata={"enum": ["ok", "unavailable"]})

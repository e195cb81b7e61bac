"""Marshmallow schemas: request bodies (unknown fields rejected) and responses.

The field rules (types, lengths, patterns, allowed values) are enforced once, by the
services, whichever door a value comes in by; request fields here only describe them for
the OpenAPI document and pass values through untouched (``Described``). So the API and
the browser give one message per rule.
"""

from __future__ import annotations

import re
from typing import Any

from email_validator import SPECIAL_USE_DOMAIN_NAMES
from marshmallow import RAISE, Schema, ValidationError, fields
from marshmallow.utils import missing

from taskweb import rules
from taskweb.domain.recurrence import FREQUENCIES, INTERVAL_MAX, RECURRENCE_MAX
from taskweb.models import TaskPriority, TaskStatus
from taskweb.services.reminder_fields import REMINDERS_DESCRIPTION, REMINDERS_MAX
from taskweb.services.validation import NOT_A_STRING, REQUIRED, UNKNOWN_FIELD


class Described(fields.Field):
    """A request field documented in OpenAPI and checked by the service, not here.

    Only presence is checked (``required``), with the services' own message; any value,
    of any type, null included, reaches the service, which owns every other message.
    """

    def __init__(self, *, required: bool = False, nullable: bool = False,
                 **openapi: Any) -> None:
        # allow_none drives "nullable" in the document; None still reaches the service.
        super().__init__(required=required, allow_none=nullable, metadata=openapi)

    def deserialize(self, value: Any, attr: str | None = None,
                    data: Any = None, **kwargs: Any) -> Any:
        if value is missing:
            if self.required:
                raise ValidationError(REQUIRED)
            return missing
        return value


def _text(*, required: bool = False, nullable: bool = False, **limits: Any) -> Described:
    """Text without control characters (tab and line breaks aside), unless a pattern of
    its own says more."""
    limits.setdefault("pattern", rules.TEXT_PATTERN)
    return Described(required=required, nullable=nullable, type="string", **limits)


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else re.escape(c) for c in word)


# The special-use domains the address check refuses, as a pattern (ECMA-262 has no
# case-insensitive flag inside a pattern, hence the character classes).
RESERVED_DOMAINS_PATTERN = (
    r"^(?!.*@(?:.*\.)?(?:"
    + "|".join(_any_case(name) for name in SPECIAL_USE_DOMAIN_NAMES)
    + r")\.?$)[^\u0000-\u001f\u007f]*$"
)
EMAIL_DESCRIPTION = (
    "A deliverable-looking address, stored lower-cased. Special-use and reserved domains "
    "(RFC 6761: `.test`, `.example`, `.invalid`, `.localhost`, `.local`, …) are refused."
)
PASSWORD_DESCRIPTION = (
    f"{rules.PASSWORD_MIN}–{rules.PASSWORD_MAX} characters, any but NUL; every character "
    "counts (no truncation)."
)

TIME_ZONE_DESCRIPTION = (
    "An IANA time zone name such as `Europe/Berlin` (default `UTC`): today, tomorrow and "
    "due days are read in it. An unknown zone is refused with 422."
)
# The longest IANA name today is 32 characters; the column holds 64.
TIME_ZONE_MAX = 64


def _string(*, required: bool = False, **limits: Any) -> fields.String:
    """A field no service checks (credentials, tokens): typed here, with the same words."""
    return fields.String(required=required, metadata=limits,
                         error_messages={"required": REQUIRED, "invalid": NOT_A_STRING,
                                         "null": NOT_A_STRING})


def _choice(enum_class: type, **kwargs: Any) -> Described:
    return Described(type="string", enum=[member.value for member in enum_class], **kwargs)


RECURRENCE_DESCRIPTION = (
    "An RFC 5545 RRULE without the `RRULE:` prefix, such as `FREQ=WEEKLY;BYDAY=MO` "
    f"(FREQ one of {', '.join(FREQUENCIES)}; INTERVAL 1–{INTERVAL_MAX}), stored in upper "
    "case; null for none. Needs a `due_date` (422 on `recurrence` otherwise, also when "
    "the due date of a repeating task is cleared)."
    " Completing a repeating task (any way: PATCH, PUT, bulk, move) does not complete it: "
    "it stays `todo`, due at the rule's next occurrence after the old due date on the "
    "caller's wall clock (their `time_zone`, so 9:00 stays 9:00 across daylight saving), "
    "and its history records the completion. COUNT counts the occurrences left and goes "
    "down by one; at COUNT=1, past UNTIL (local time) or with no further occurrence, it "
    "completes. UNTIL is a local date or date-time (no `Z`); BYMONTH and BYMONTHDAY must "
    "name a date that exists."
)
TITLE_DESCRIPTION = f"1–{rules.TITLE_MAX} characters once leading and trailing spaces are trimmed."


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN_FIELD}


class RegisterSchema(StrictSchema):
    email = _text(required=True, format="email", maxLength=rules.EMAIL_MAX,
                  pattern=RESERVED_DOMAINS_PATTERN, description=EMAIL_DESCRIPTION)
    username = _text(
        required=True,
        minLength=rules.USERNAME_MIN,
        maxLength=rules.USERNAME_MAX,
        pattern=rules.USERNAME_PATTERN,
    )
    password = _text(required=True, minLength=rules.PASSWORD_MIN, maxLength=rules.PASSWORD_MAX,
                     pattern="^[^\\u0000]*$", description=PASSWORD_DESCRIPTION)
    full_name = _text(nullable=True, maxLength=rules.FULL_NAME_MAX)


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
    time_zone = fields.String(required=True, metadata={"description": TIME_ZONE_DESCRIPTION})
    email_notifications = fields.Boolean(required=True, metadata={
        "description": "Whether your notifications are e-mailed to you too (default true)."})
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)


class UserUpdateSchema(StrictSchema):
    email = _text(format="email", maxLength=rules.EMAIL_MAX, pattern=RESERVED_DOMAINS_PATTERN,
                  description=EMAIL_DESCRIPTION)
    username = _text(
        minLength=rules.USERNAME_MIN, maxLength=rules.USERNAME_MAX, pattern=rules.USERNAME_PATTERN
    )
    full_name = _text(nullable=True, maxLength=rules.FULL_NAME_MAX)
    password = _text(minLength=rules.PASSWORD_MIN, maxLength=rules.PASSWORD_MAX,
                     pattern="^[^\\u0000]*$", description=PASSWORD_DESCRIPTION)
    time_zone = _text(minLength=1, maxLength=TIME_ZONE_MAX, description=TIME_ZONE_DESCRIPTION)
    current_password = _text(pattern="^[^\\u0000]*$", minLength=1,
                             description="Required when `email` or `password` changes.")
    email_notifications = Described(type="boolean", description="`false`: no more "
                                    "e-mails of notifications (they still appear in the app).")


class TaskWriteSchema(StrictSchema):
    """Fields of a task a client may set; on update, omitted fields are unchanged."""

    title = _text(minLength=1, maxLength=rules.TITLE_MAX, pattern=rules.NON_BLANK_TEXT_PATTERN,
                  description=TITLE_DESCRIPTION)
    description = _text(nullable=True, maxLength=rules.DESCRIPTION_MAX)
    status = _choice(TaskStatus)
    priority = _choice(TaskPriority)
    project_id = Described(type="integer", minimum=1,
                           description="Default: your Inbox. Moving a task needs editor rights "
                           "on both projects; its subtasks move with it.")
    labels = Described(type="array", items={"type": "string", "minLength": 1,
                                            "maxLength": rules.LABEL_MAX,
                                            "pattern": r"^[^\s,]+$"},
                       maxItems=rules.LABELS_PER_TASK,
                       description="Replaces the task's labels; compared case-insensitively, "
                       "duplicates dropped, the first spelling kept.")
    parent_id = Described(nullable=True, type="integer", minimum=1,
                          description="A top-level task of the same project (one level deep).")
    assignee_id = Described(nullable=True, type="integer", minimum=1,
                            description="A member of the task's project.")
    due_date = Described(
        nullable=True, type="string", format="date-time",
        description=f"ISO 8601; a datetime without an offset is UTC. Years "
        f"{rules.DUE_YEAR_MIN}–{rules.DUE_YEAR_MAX}.",
    )
    recurrence = _text(nullable=True, minLength=1, maxLength=RECURRENCE_MAX,
                       description=RECURRENCE_DESCRIPTION)
    reminders = Described(
        type="array", nullable=True, maxItems=REMINDERS_MAX,
        items={"type": "string", "format": "date-time"},
        description=REMINDERS_DESCRIPTION,
    )


class TaskCreateSchema(TaskWriteSchema):
    title = _text(required=True, minLength=1, maxLength=rules.TITLE_MAX,
                  pattern=rules.NON_BLANK_TEXT_PATTERN, description=TITLE_DESCRIPTION)


class SubtaskProgressSchema(Schema):
    total = fields.Integer(required=True)
    completed = fields.Integer(required=True)


class TaskSchema(Schema):
    id = fields.Integer(required=True)
    title = fields.String(required=True)
    description = fields.String(allow_none=True, required=True)
    status = fields.Enum(TaskStatus, by_value=True, required=True)
    priority = fields.Enum(TaskPriority, by_value=True, required=True)
    due_date = fields.AwareDateTime(allow_none=True, required=True)
    owner_id = fields.Integer(required=True, metadata={"description": "Alias of created_by."})
    created_by = fields.Integer(required=True)
    project_id = fields.Integer(required=True)
    labels = fields.List(fields.String(), required=True, attribute="label_names")
    parent_id = fields.Integer(allow_none=True, required=True)
    assignee_id = fields.Integer(allow_none=True, required=True)
    position = fields.String(required=True, metadata={
        "description": "Manual order within the project: compare as strings."})
    recurrence = fields.String(allow_none=True, required=True,
                               metadata={"description": RECURRENCE_DESCRIPTION})
    completed_at = fields.AwareDateTime(allow_none=True, required=True)
    reminders = fields.List(fields.AwareDateTime(), required=True,
                            metadata={"description": REMINDERS_DESCRIPTION})
    subtasks = fields.Nested(SubtaskProgressSchema, required=True)
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


class LivenessSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})


CHECK_STATES = ["ok", "unavailable", "not configured"]
CHECKS_DESCRIPTION = ("Each dependency and whether it answered; Redis is `not configured` "
                      "when REDIS_URL is unset (a single process without a broker).")


class ReadinessChecksSchema(Schema):
    database = fields.String(required=True, metadata={"enum": CHECK_STATES[:2]})
    redis = fields.String(required=True, metadata={"enum": CHECK_STATES})


class ReadinessSchema(Schema):
    status = fields.String(required=True, metadata={"enum": ["ok"]})
    checks = fields.Nested(ReadinessChecksSchema, required=True,
                           metadata={"description": CHECKS_DESCRIPTION})


class NotReadyProblemSchema(ProblemSchema):
    checks = fields.Nested(ReadinessChecksSchema, required=True,
                           metadata={"description": CHECKS_DESCRIPTION})

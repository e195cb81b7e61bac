"""Browser forms (Flask-WTF): they render fields, keep typed input and carry the CSRF
token. They hold no rules of their own: the services validate, and their field errors
are put back on these fields by ``show_errors``."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput

from taskweb import rules
from taskweb.errors import DomainError
from taskweb.models import TaskPriority, TaskStatus
from taskweb.web.display import PRIORITY_LABELS, STATUS_LABELS

PRIORITY_CHOICES = [SelectChoice(value.value, label) for value, label in PRIORITY_LABELS.items()]
STATUS_CHOICES = [SelectChoice(value.value, label) for value, label in STATUS_LABELS.items()]


class WebForm(FlaskForm):
    """A form whose element ids can be scoped, so that several on one page never clash."""

    def __init__(self, *args: Any, id_scope: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_errors: list[str] = []
        if id_scope:
            for field in self:
                field.id = f"{id_scope}-{field.name}"
                field.label.field_id = field.id

    def show_errors(self, error: DomainError) -> None:
        """Put a domain error's messages next to its fields; the rest go on the form."""
        for name, messages in error.errors.items():
            field = self._fields.get(self.field_for_error(name))
            if field is not None and not isinstance(field, HiddenField):
                field.errors = [*field.errors, *messages]
            else:
                self.form_errors.extend(messages)
        if not error.errors:
            self.form_errors.append(error.detail)

    def field_for_error(self, name: str) -> str:
        return name

    def value(self, name: str) -> Any:
        """The submitted value of a field, or None when it was left blank."""
        data = self._fields[name].data
        return data if data not in ("", None) else None


class LoginForm(WebForm):
    email = EmailField("Email", render_kw={"autocomplete": "email", "required": True})
    password = PasswordField(
        "Password", render_kw={"autocomplete": "current-password", "required": True}
    )
    remember = BooleanField("Remember me")
    next = HiddenField()


class SignupForm(WebForm):
    email = EmailField(
        "Email", render_kw={"autocomplete": "email", "required": True,
                            "maxlength": rules.EMAIL_MAX}
    )
    username = StringField(
        "Username",
        description=f"{rules.USERNAME_MIN} to {rules.USERNAME_MAX} letters, digits, _ . or -",
        render_kw={"autocomplete": "username", "required": True,
                   "minlength": rules.USERNAME_MIN, "maxlength": rules.USERNAME_MAX},
    )
    full_name = StringField(
        "Full name", description="Optional",
        render_kw={"autocomplete": "name", "maxlength": rules.FULL_NAME_MAX},
    )
    password = PasswordField(
        "Password", description=f"At least {rules.PASSWORD_MIN} characters",
        render_kw={"autocomplete": "new-password", "required": True,
                   "minlength": rules.PASSWORD_MIN, "maxlength": rules.PASSWORD_MAX},
    )
    next = HiddenField()


class TaskForm(WebForm):
    """Add a task."""

    title = StringField(
        "Title", render_kw={"required": True, "maxlength": rules.TITLE_MAX,
                            "autocomplete": "off"}
    )
    description = TextAreaField(
        "Description", render_kw={"rows": 2, "maxlength": rules.DESCRIPTION_MAX}
    )
    priority = SelectField("Priority", choices=PRIORITY_CHOICES,
                           default=TaskPriority.MEDIUM.value)
    due_date = StringField("Due date", widget=DateInput())

    def task_fields(self) -> dict[str, Any]:
        """The fields for TaskService; a blank description or due date means none."""
        return {
            "title": self.title.data or "",
            "description": self.value("description"),
            "priority": self.priority.data,
            "due_date": self.value("due_date"),
        }


class TaskEditForm(TaskForm):
    """Edit a task; ``version`` is the version the form was loaded from."""

    status = SelectField("Status", choices=STATUS_CHOICES, default=TaskStatus.TODO.value)
    version = HiddenField()

    def task_fields(self) -> dict[str, Any]:
        return {**super().task_fields(), "status": self.status.data}

    def expected_versions(self) -> frozenset[int] | None:
        """The version the form was loaded from (None if the form carries none)."""
        raw = self.version.data
        return frozenset({int(raw)}) if isinstance(raw, str) and raw.isdigit() else None


class RestoreTaskForm(WebForm):
    """The fields of a deleted task, carried by its Undo button."""

    title = HiddenField()
    description = HiddenField()
    status = HiddenField()
    priority = HiddenField()
    due_date = HiddenField()

    def task_fields(self) -> dict[str, Any]:
        optional = ("description", "status", "priority", "due_date")
        kept = {name: self.value(name) for name in optional if self.value(name) is not None}
        return {"title": self.title.data or "", **kept}


class ProfileForm(WebForm):
    full_name = StringField(
        "Full name", render_kw={"autocomplete": "name", "maxlength": rules.FULL_NAME_MAX}
    )
    email = EmailField("Email", render_kw={"autocomplete": "email", "required": True})
    username = StringField(
        "Username", render_kw={"autocomplete": "username", "required": True,
                               "minlength": rules.USERNAME_MIN,
                               "maxlength": rules.USERNAME_MAX},
    )
    current_password = PasswordField(
        "Your password, to change the email", id="profile-current-password",
        render_kw={"autocomplete": "current-password"},
    )

    def profile_changes(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.data or "",
            "email": self.email.data or "",
            "username": self.username.data or "",
        }


class PasswordChangeForm(WebForm):
    current_password = PasswordField(
        "Current password", render_kw={"autocomplete": "current-password", "required": True}
    )
    new_password = PasswordField(
        "New password", description=f"At least {rules.PASSWORD_MIN} characters",
        render_kw={"autocomplete": "new-password", "required": True,
                   "minlength": rules.PASSWORD_MIN, "maxlength": rules.PASSWORD_MAX},
    )

    def field_for_error(self, name: str) -> str:
        return "new_password" if name == "password" else name


def describe(field: Field) -> str | None:
    """The ids that describe a field (hint and errors), for aria-describedby."""
    ids = []
    if field.description:
        ids.append(f"{field.id}-hint")
    if field.errors:
        ids.append(f"{field.id}-error")
    return " ".join(ids) or None

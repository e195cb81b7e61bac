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
    FileField,
    HiddenField,
    PasswordField,
    StringField,
)

from taskweb import rules
from taskweb.csrf import MaskedFormCSRF
from taskweb.errors import DomainError

# The datalist of every IANA zone, rendered with the profile form.
TIME_ZONE_SUGGESTIONS = "time-zones"
TRUE_VALUES = frozenset({"1", "on", "true", "yes"})


def checked(value: str | None) -> bool:
    """Whether a submitted checkbox or flag says yes ("on", "1", "true", "yes")."""
    return (value or "").strip().lower() in TRUE_VALUES


class WebForm(FlaskForm):
    """A form whose element ids can be scoped, so that several on one page never clash.

    The CSRF field is rendered without an id: every form on a page carries one.
    """

    class Meta:
        csrf_class = MaskedFormCSRF  # the token masked per response (taskweb/csrf.py)

    def __init__(self, *args: Any, id_scope: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.form_errors: list[str] = []
        for field in self:
            field.focus_after_error = False
            if id_scope:
                field.id = f"{id_scope}-{field.name}"
                field.label.field_id = field.id
        csrf_field = self._fields.get(self.meta.csrf_field_name)
        if csrf_field is not None:
            csrf_field.id = False  # WTForms leaves out an attribute whose value is False

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
        self._focus_first_problem()

    def add_form_error(self, message: str) -> None:
        """A message about the whole form (not about one field)."""
        self.form_errors.append(message)
        self._focus_first_problem()

    @property
    def failed(self) -> bool:
        return bool(self.form_errors) or any(field.errors for field in self)

    def _focus_first_problem(self) -> None:
        """After a failed submit the focus goes to the first field in error, or to the
        first field when the error is about the whole form; never to the page's body."""
        visible = [field for field in self if not isinstance(field, HiddenField)]
        for field in visible:
            field.focus_after_error = False
        target = next((field for field in visible if field.errors), None)
        target = target or (visible[0] if visible else None)
        if target is not None:
            target.focus_after_error = True

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
    time_zone = StringField(
        "Time zone",
        description="Due dates and “today” are read in this zone. Type to search, such "
                    "as Berlin or New_York.",
        render_kw={"list": TIME_ZONE_SUGGESTIONS, "autocomplete": "off",
                   "spellcheck": "false", "required": True},
    )
    current_password = PasswordField(
        "Your password, to change the email", id="profile-current-password",
        render_kw={"autocomplete": "current-password"},
    )
    # Reminders, tasks assigned and projects shared: by e-mail as well as in the bell.
    email_notifications = BooleanField("E-mail me notifications")
    # Present in every form that shows the checkbox: an unticked box sends nothing, and a
    # form of before the checkbox must not turn e-mail off.
    notifications_offered = HiddenField(default="1")

    def profile_changes(self) -> dict[str, Any]:
        changes = {
            "full_name": self.full_name.data or "",
            "email": self.email.data or "",
            "username": self.username.data or "",
        }
        if self.time_zone.raw_data:  # a form of before zones leaves the zone alone
            changes["time_zone"] = (self.time_zone.data or "").strip()
        if self.notifications_offered.raw_data:
            changes["email_notifications"] = bool(self.email_notifications.data)
        return changes


class DeleteAccountForm(WebForm):
    current_password = PasswordField(
        "Your password", render_kw={"autocomplete": "current-password", "required": True}
    )


class ImportForm(WebForm):
    file = FileField("File to import (.json or .csv)",
                     render_kw={"accept": ".json,.csv,application/json,text/csv",
                                "required": True})


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

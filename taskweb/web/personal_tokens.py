"""The profile's "Personal access tokens" section: create a token (its secret shown this
once), list the live ones, revoke one. The same service as /api/v1/tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from flask import Blueprint, Response, flash, render_template, url_for
from wtforms import DateField, SelectMultipleField, StringField

from taskweb.domain.access import SCOPE_DESCRIPTIONS, Scope
from taskweb.domain.dates import local_date_and_time, utc_instant
from taskweb.errors import DomainError, ValidationFailed
from taskweb.models import PersonalAccessToken
from taskweb.services.personal_tokens import CreatedToken
from taskweb.services.saved_filters import NAME_MAX
from taskweb.web.forms import WebForm
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.profile import profile_page
from taskweb.web.session import require_login, signed_in_user
from taskweb.web.time_zone import request_zone
from taskweb.wiring import personal_token_service

bp = Blueprint("web_personal_tokens", __name__, url_prefix="/profile/tokens")
bp.before_request(require_login)

SECTION = "personal_tokens/_section.html"
CREATED = "Token created. Copy it now: you will not see it again."
REVOKED = "Token revoked: programs using it can no longer sign in with it."
NOT_A_DATE = "Enter a date such as 2030-12-31, or leave it empty."
OUT_OF_RANGE = "Choose an earlier date."


class PersonalTokenForm(WebForm):
    name = StringField("Name", description="What will use it, such as “backup script”.",
                       render_kw={"required": True, "maxlength": NAME_MAX,
                                  "autocomplete": "off"})
    scopes = SelectMultipleField("What it may do",
                                 choices=[scope.value for scope in Scope], validate_choice=False)
    expires_on = DateField("Expires on", description="Optional: it works until the end of "
                           "this day (your time zone). Empty: until you revoke it.")

    def field_for_error(self, name: str) -> str:
        return "expires_on" if name == "expires_at" else name


@dataclass(frozen=True)
class ScopeChoice:
    value: str
    description: str
    checked: bool


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    scopes: list[str]
    created: str
    expires: str
    last_used: str


@dataclass
class TokenSection:
    """What the section shows: the form (with its errors), the live tokens, and the
    secret of the token just created, if one was."""

    form: PersonalTokenForm
    tokens: list[TokenRow] = field(default_factory=list)
    secret: str | None = None
    revoked: bool = False  # the list's heading takes the focus the Revoke button had

    @property
    def scope_choices(self) -> list[ScopeChoice]:
        chosen = set(self.form.scopes.data or [])
        return [ScopeChoice(scope.value, SCOPE_DESCRIPTIONS[scope], scope.value in chosen)
                for scope in Scope]


def _day_name(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _day(instant: datetime, zone: tzinfo) -> str:
    day, at = local_date_and_time(instant, zone)
    return _day_name(day) + (f", {at:%H:%M}" if at else "")


def _expiry(instant: datetime, zone: tzinfo) -> str:
    """An expiry at midnight reads as the day chosen in the form: the end of the day before."""
    day, at = local_date_and_time(instant, zone)
    return f"End of {_day_name(day - timedelta(days=1))}" if at is None else _day(instant, zone)


def _rows(tokens: list[PersonalAccessToken], zone: tzinfo) -> list[TokenRow]:
    return [TokenRow(
        id=token.id, name=token.name, scopes=list(token.scopes),
        created=_day(token.created_at, zone),
        expires=_expiry(token.expires_at, zone) if token.expires_at else "Never",
        last_used=_day(token.last_used_at, zone) if token.last_used_at else "Never used",
    ) for token in tokens]


def personal_token_section(form: PersonalTokenForm | None = None,
                           created: CreatedToken | None = None) -> TokenSection:
    """The section's state for the signed-in user (a fresh form by default)."""
    tokens = personal_token_service().list(signed_in_user())
    return TokenSection(
        form=form or PersonalTokenForm(formdata=None, id_scope="token"),
        tokens=_rows(tokens, request_zone()),
        secret=created.secret if created else None,
    )


def _end_of(day: date, zone: tzinfo) -> datetime:
    """The instant ``day`` ends in ``zone`` (the next day's midnight)."""
    return utc_instant(day + timedelta(days=1), None, zone)


def _fields(form: PersonalTokenForm) -> dict[str, Any]:
    """The service's fields from the form; a date that cannot be read is refused here,
    as the service takes an instant."""
    if form.expires_on.raw_data and form.expires_on.raw_data[0].strip() \
            and form.expires_on.data is None:
        raise ValidationFailed({"expires_at": [NOT_A_DATE]})
    expires_on = form.expires_on.data
    try:
        expires_at = _end_of(expires_on, request_zone()) if expires_on else None
    except OverflowError:  # 31 December 9999 has no day after it
        raise ValidationFailed({"expires_at": [OUT_OF_RANGE]}) from None
    return {"name": form.name.data or "", "scopes": list(form.scopes.data or []),
            "expires_at": expires_at}


@bp.post("")
def create() -> tuple[str, int]:
    """Create a token; the answer shows its secret, once (so a form posted without htmx
    gets the page itself rather than a redirect, which would lose it)."""
    form = PersonalTokenForm(id_scope="token")
    try:
        created = personal_token_service().create(signed_in_user(), _fields(form))
    except DomainError as error:
        form.show_errors(error)
        return _answer(personal_token_section(form), error.status_code)
    return _answer(personal_token_section(created=created), 201, CREATED)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int) -> Response | tuple[str, int]:
    """Revoke one of one's tokens (another person's is a 404)."""
    personal_token_service().revoke(signed_in_user(), token_id)
    if not wants_fragment():
        flash(REVOKED)
        return redirect_to(url_for("web_profile.show") + "#personal-tokens")
    section = personal_token_section()
    section.revoked = True
    return _answer(section, 200, REVOKED)


def _answer(section: TokenSection, status: int, message: str | None = None) -> tuple[str, int]:
    if wants_fragment():
        return render_template("personal_tokens/changed.html", token_section=section,
                               message=message), status
    if message:
        flash(message)
    return profile_page(status, token_section=section)


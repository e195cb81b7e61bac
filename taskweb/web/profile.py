"""The profile page: change name, email, username and time zone; change the password;
download one's data, import data, delete the account."""

from __future__ import annotations

import functools
import json
import zoneinfo
from typing import Any

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import logout_user
from werkzeug.datastructures import FileStorage

from taskweb.errors import DomainError, ValidationFailed
from taskweb.models import User
from taskweb.rate_limits import limit_password_reentry
from taskweb.services.accounts import ImportResult
from taskweb.web.catalog import catalog
from taskweb.web.forms import (
    DeleteAccountForm,
    ImportForm,
    PasswordChangeForm,
    ProfileForm,
)
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.session import require_login, sign_in, signed_in_user
from taskweb.web.time_zone import browser_zone
from taskweb.wiring import account_service, user_service

bp = Blueprint("web_profile", __name__, url_prefix="/profile")

CSV_TYPES = frozenset({"text/csv", "application/csv"})
UNREADABLE_FILE = ("This file cannot be read: choose a JSON document exported from "
                   "taskweb, or a CSV file of tasks (UTF-8).")
# At most this many problems of an import are listed (the first ones, by place).
PROBLEMS_SHOWN = 20


bp.before_request(require_login)


@functools.cache
def time_zone_names() -> list[str]:
    """Every IANA zone a profile may hold, for the time zone input's suggestions."""
    return sorted(name for name in zoneinfo.available_timezones()
                  if name not in ("localtime", "posixrules", "Factory"))


def browser_zone_name() -> str:
    """The zone the browser says it is in (the profile shows it beside the saved one)."""
    return browser_zone().key


def _profile_form(user: User) -> ProfileForm:
    return ProfileForm(formdata=None, obj=user)


def _page(profile_form: ProfileForm, password_form: PasswordChangeForm,
          status: int = 200, **forms: Any) -> tuple[str, int]:
    return render_template(
        "profile.html", profile_form=profile_form, password_form=password_form,
        import_form=forms.get("import_form") or ImportForm(formdata=None, id_scope="import"),
        delete_form=forms.get("delete_form") or DeleteAccountForm(formdata=None,
                                                                  id_scope="delete-account"),
        import_problems=forms.get("import_problems"),
        token_section=forms.get("token_section"),
        shared_projects=[view.project.name for view in catalog().own
                         if view.member_count > 1],
    ), status


def profile_page(status: int = 200, **forms: Any) -> tuple[str, int]:
    """The whole page with fresh profile and password forms, for a section's answer to
    a form posted without htmx (``token_section``: web/personal_tokens.py)."""
    return _page(_profile_form(signed_in_user()), PasswordChangeForm(formdata=None), status,
                 **forms)


@bp.get("")
def show() -> tuple[str, int]:
    profile_form = _profile_form(signed_in_user())
    password_form = PasswordChangeForm(formdata=None)
    if wants_fragment():
        return render_template(
            "partials/_profile_forms.html",
            profile_form=profile_form, password_form=password_form,
        ), 200
    return _page(profile_form, password_form)


@bp.post("")
@limit_password_reentry
def update() -> Response | tuple[str, int]:
    form = ProfileForm()
    try:
        user = user_service().update_profile(
            signed_in_user(), form.profile_changes(), form.current_password.data or None
        )
    except DomainError as error:
        form.show_errors(error)
        return _answer(form, "partials/_profile_form.html", error.status_code)
    return _saved(_profile_form(user), "partials/_profile_form.html", "Profile saved.")


@bp.post("/password")
@limit_password_reentry
def change_password() -> Response | tuple[str, int]:
    form = PasswordChangeForm()
    try:
        user = user_service().change_password(
            signed_in_user(), form.current_password.data, form.new_password.data
        )
    except DomainError as error:
        form.show_errors(error)
        return _answer(form, "partials/_password_form.html", error.status_code)
    # The new session version signed every session out; this one signs in again, and
    # keeps its remember-me cookie if it had one.
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    sign_in(user, remember=remembered, fresh=False)
    return _saved(
        PasswordChangeForm(formdata=None), "partials/_password_form.html",
        "Password changed. Your other sessions have been signed out.",
    )


def _answer(form: ProfileForm | PasswordChangeForm, fragment: str,
            status: int) -> tuple[str, int]:
    """A form with its errors: alone for htmx, on the whole page otherwise."""
    if wants_fragment():
        return render_template(fragment, form=form), status
    if isinstance(form, ProfileForm):
        return _page(form, PasswordChangeForm(formdata=None), status)
    return _page(_profile_form(signed_in_user()), form, status)


def _saved(form: ProfileForm | PasswordChangeForm, fragment: str,
           message: str) -> Response | tuple[str, int]:
    if not wants_fragment():
        flash(message)
        return redirect_to(url_for("web_profile.show"))
    return render_template(fragment, form=form, message=message, user=signed_in_user()), 200


# Your data: a download of everything, an import, and deleting the account

@bp.get("/export")
def export() -> Response:
    """Everything of the person's as one JSON document, downloaded as a file (the same
    document as ``GET /api/v1/users/me/export``, which the import reads back)."""
    user = signed_in_user()
    document = account_service().export(user)
    day = document["exported_at"].date().isoformat()
    response = Response(current_app.json.dumps(document), mimetype="application/json")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="taskweb-{user.username}-{day}.json"')
    return response


@bp.post("/import")
def import_data() -> Response | tuple[str, int]:
    """Create projects and tasks from an export's document or a CSV file of tasks: all
    or nothing, a bad file or row said next to the form."""
    form = ImportForm(id_scope="import")
    upload = request.files.get("file")
    try:
        result = _import(upload)
    except DomainError as error:
        problems = _problems(error)
        form.file.errors = [error.detail if not problems else
                            "Nothing was imported: the file has the problems listed below."]
        return _page(_profile_form(signed_in_user()), PasswordChangeForm(formdata=None),
                     error.status_code, import_form=form, import_problems=problems)
    flash(f"Imported {_count(result.projects, 'project')} and {_count(result.tasks, 'task')}.")
    return redirect_to(url_for("web_profile.show"))


def _import(upload: FileStorage | None) -> ImportResult:
    if upload is None or not upload.filename:
        raise ValidationFailed({"file": ["Choose a file to import."]},
                               "Choose a file to import.")
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationFailed({"file": [UNREADABLE_FILE]}, UNREADABLE_FILE) from None
    service = account_service()
    user = signed_in_user()
    if upload.filename.lower().endswith(".csv") or upload.mimetype in CSV_TYPES:
        return service.import_csv(user, text)
    try:
        document = json.loads(text)
    except ValueError:
        raise ValidationFailed({"file": [UNREADABLE_FILE]}, UNREADABLE_FILE) from None
    return service.import_document(user, document)


def _problems(error: DomainError) -> list[str]:
    """An import's faults, by where they are in the file ("line 3: title: Required")."""
    if list(error.errors) == ["file"]:
        return []
    return [f"{place}: {message}" for place, messages in error.errors.items()
            for message in messages][:PROBLEMS_SHOWN]


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@bp.post("/delete")
@limit_password_reentry
def delete_account() -> Response | tuple[str, int]:
    """Delete the account, after the password: what it owns alone goes with it, what it
    shares passes to another member."""
    form = DeleteAccountForm(id_scope="delete-account")
    try:
        account_service().delete(signed_in_user(), form.current_password.data)
    except DomainError as error:
        form.show_errors(error)
        return _page(_profile_form(signed_in_user()), PasswordChangeForm(formdata=None),
                     error.status_code, delete_form=form)
    logout_user()
    session.clear()
    flash("Your account has been deleted.")
    return redirect_to(url_for("web_auth.login"))

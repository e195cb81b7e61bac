"""The profile page: change name, email and username; change the password."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    render_template,
    request,
    url_for,
)

from taskweb.errors import DomainError
from taskweb.rate_limits import limit_password_reentry
from taskweb.models import User
from taskweb.web.forms import PasswordChangeForm, ProfileForm
from taskweb.web.htmx import redirect_to, wants_fragment
from taskweb.web.session import require_login, sign_in, signed_in_user
from taskweb.wiring import user_service

bp = Blueprint("web_profile", __name__, url_prefix="/profile")


bp.before_request(require_login)


def _profile_form(user: User) -> ProfileForm:
    return ProfileForm(formdata=None, obj=user)


def _page(profile_form: ProfileForm, password_form: PasswordChangeForm,
          status: int = 200) -> tuple[str, int]:
    return render_template(
        "profile.html", profile_form=profile_form, password_form=password_form
    ), status


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

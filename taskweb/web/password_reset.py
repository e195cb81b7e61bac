"""Forgot your password: ask for a link by e-mail, then choose a new password with it."""

from __future__ import annotations

import time

from flask import Blueprint, Response, flash, g, render_template, request, url_for
from werkzeug.exceptions import TooManyRequests
from wtforms import EmailField, PasswordField

from taskweb import rules
from taskweb.errors import DomainError, ValidationFailed
from taskweb.extensions import limiter
from taskweb.jobs.password_reset import send_password_reset_later
from taskweb.rate_limits import limit_password_reset_request, limit_per_address
from taskweb.services.password_reset import (
    LINK_PATH,
    RESET_LIFETIME,
    PasswordResetService,
    ResetLinkInvalid,
)
from taskweb.web.display import wait_in_words
from taskweb.web.forms import WebForm
from taskweb.web.htmx import page_or_fragment, redirect_to, wants_fragment
from taskweb.wiring import password_reset_service

bp = Blueprint("web_password_reset", __name__)

LINK_SENT = ("If an account exists for that address, we have sent a link to choose a new "
             f"password. It works once, for {RESET_LIFETIME.seconds // 60} minutes. Check "
             "your inbox (and the spam folder).")
PASSWORDS_DIFFER = "The two passwords are not the same."


class ForgotPasswordForm(WebForm):
    email = EmailField("Email", render_kw={"autocomplete": "email", "required": True,
                                           "maxlength": rules.EMAIL_MAX})


class NewPasswordForm(WebForm):
    password = PasswordField(
        "New password", description=f"At least {rules.PASSWORD_MIN} characters",
        render_kw={"autocomplete": "new-password", "required": True,
                   "minlength": rules.PASSWORD_MIN, "maxlength": rules.PASSWORD_MAX})
    confirm = PasswordField(
        "New password again", render_kw={"autocomplete": "new-password", "required": True,
                                         "maxlength": rules.PASSWORD_MAX})


@bp.route("/forgot-password", methods=["GET", "POST"])
@limit_password_reset_request
def forgot() -> tuple[str, int]:
    """The e-mail form; the same answer whether or not the address has an account."""
    form = ForgotPasswordForm()
    if request.method == "GET":
        form.email.data = request.args.get("email")
        return _forgot_page(form)
    try:
        email = PasswordResetService.clean_request(form.email.data)
    except DomainError as error:
        form.show_errors(error)
        return _forgot_page(form, error.status_code)
    send_password_reset_later(email)
    return _forgot_page(ForgotPasswordForm(formdata=None), sent=True)


def _forgot_page(form: ForgotPasswordForm, status: int = 200,
                 sent: bool = False) -> tuple[str, int]:
    """The form; once sent, with the answer (for htmx, in the page's status region)."""
    if sent and wants_fragment():
        return render_template("password_reset/sent.html", form=form, message=LINK_SENT), 200
    return page_or_fragment("password_reset/forgot.html", "password_reset/_forgot_form.html",
                            status, form=form, message=LINK_SENT if sent else None)


@bp.before_request
def _keep_the_token_out_of_the_log() -> None:
    if request.endpoint == "web_password_reset.reset":
        g.logged_path = f"{LINK_PATH}<token>"


@bp.route(f"{LINK_PATH}<token>", methods=["GET", "POST"])
@limit_per_address
def reset(token: str) -> Response | tuple[str, int]:
    """The new-password form of a link, or a page saying the link no longer works."""
    service = password_reset_service()
    form = NewPasswordForm()
    if request.method == "GET":
        return _reset_page(form, token) if service.link_usable(token) else _link_invalid()
    if form.password.data != form.confirm.data:
        form.show_errors(ValidationFailed({"confirm": [PASSWORDS_DIFFER]}))
        return _reset_page(form, token, 422)
    try:
        service.confirm(token, form.password.data)
    except ResetLinkInvalid:
        # The link's own page says so (a 400 page; htmx swaps no 400 fragment).
        return redirect_to(url_for("web_password_reset.reset", token=token))
    except DomainError as error:
        form.show_errors(error)
        return _reset_page(form, token, error.status_code)
    flash("Your password has been changed. Log in with your new password.")
    return redirect_to(url_for("web_auth.login"))


def _reset_page(form: NewPasswordForm, token: str, status: int = 200) -> tuple[str, int]:
    return page_or_fragment("password_reset/reset.html", "password_reset/_reset_form.html",
                            status, form=form, token=token)


def _link_invalid() -> tuple[str, int]:
    return page_or_fragment("password_reset/link_invalid.html",
                            "password_reset/_link_invalid.html", 400)


@bp.after_request
def _no_referrer(response: Response) -> Response:
    # The reset page's address holds the token: it must not leave in a Referer header.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.errorhandler(TooManyRequests)
def too_many_attempts(error: TooManyRequests) -> tuple[str, int]:
    limit = limiter.current_limit
    wait = wait_in_words(limit.reset_at - time.time()) if limit else "in a minute"
    message = f"Too many attempts. Try again {wait}."
    if request.endpoint == "web_password_reset.reset":
        form = NewPasswordForm()
        form.add_form_error(message)
        return _reset_page(form, request.view_args.get("token", "") if request.view_args
                           else "", 429)
    form = ForgotPasswordForm()
    form.add_form_error(message)
    return _forgot_page(form, 429)

"""Sign up, log in and log out with a Flask-Login session cookie."""

from __future__ import annotations

import time

from flask import Blueprint, Response, flash, request, url_for
from flask_login import current_user, login_required
from werkzeug.exceptions import TooManyRequests

from taskweb.errors import DomainError
from taskweb.extensions import limiter
from taskweb.models import User
from taskweb.rate_limits import limit_sign_in
from taskweb.web.display import wait_in_words
from taskweb.web.forms import LoginForm, SignupForm
from taskweb.web.htmx import page_or_fragment, redirect_to
from taskweb.web.navigation import safe_next
from taskweb.web.session import sign_in, sign_out, sign_out_everywhere
from taskweb.web.time_zone import DEFAULT_ZONE, browser_zone
from taskweb.wiring import auth_service, user_service

bp = Blueprint("web_auth", __name__)


def _next_target(form: LoginForm | SignupForm) -> str:
    return safe_next(form.next.data or request.args.get("next"))


@bp.route("/login", methods=["GET", "POST"])
@limit_sign_in
def login() -> Response | tuple[str, int]:
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect_to(_next_target(form))
        form.next.data = safe_next(request.args.get("next"))
        return _login_page(form)
    try:
        user = auth_service().authenticate(form.email.data, form.password.data)
    except DomainError as error:
        form.show_errors(error)
        return _login_page(form, error.status_code)
    sign_in(user, remember=bool(form.remember.data))
    return redirect_to(_next_target(form))


def _login_page(form: LoginForm, status: int = 200) -> tuple[str, int]:
    return page_or_fragment(
        "auth/login.html", "partials/_login_form.html", status, form=form
    )


@bp.route("/signup", methods=["GET", "POST"])
@limit_sign_in
def signup() -> Response | tuple[str, int]:
    form = SignupForm()
    if request.method == "GET":
        form.next.data = safe_next(request.args.get("next"))
        return _signup_page(form)
    try:
        user = auth_service().register(
            form.email.data, form.username.data, form.password.data, form.full_name.data
        )
    except DomainError as error:
        form.show_errors(error)
        return _signup_page(form, error.status_code)
    sign_in(user, remember=False)
    _take_the_browsers_zone(user)
    flash(f"Welcome, {user.username}! Your account is ready.")
    return redirect_to(_next_target(form))


def _take_the_browsers_zone(user: User) -> None:
    """A new account starts in the browser's time zone (the profile can change it); a
    zone the browser names wrongly leaves the default, and never fails the sign-up."""
    zone = browser_zone().key
    if zone == DEFAULT_ZONE:
        return
    try:
        user_service().update_profile(user, {"time_zone": zone})
    except DomainError:
        pass


def _signup_page(form: SignupForm, status: int = 200) -> tuple[str, int]:
    return page_or_fragment(
        "auth/signup.html", "partials/_signup_form.html", status, form=form
    )


@bp.post("/logout")
def logout() -> Response:
    """Log this browser out; other browsers and API tokens stay signed in."""
    sign_out()
    flash("You have logged out.")
    return redirect_to(url_for("web_auth.login"))


@bp.post("/logout/everywhere")
@login_required
def logout_everywhere() -> Response:
    """Log out every browser and end every API token of the account."""
    sign_out_everywhere()
    flash("You have logged out everywhere: every browser and every API token.")
    return redirect_to(url_for("web_auth.login"))


@bp.errorhandler(TooManyRequests)
def too_many_attempts(error: TooManyRequests) -> tuple[str, int]:
    """The form again, with one message saying when to try again (and nothing left of
    an earlier answer, such as "Incorrect email or password.")."""
    limit = limiter.current_limit
    wait = wait_in_words(limit.reset_at - time.time()) if limit else "in a minute"
    message = f"Too many attempts. Try again {wait}."
    if request.endpoint == "web_auth.signup":
        signup_form = SignupForm()
        signup_form.add_form_error(message)
        return _signup_page(signup_form, 429)
    login_form = LoginForm()
    login_form.add_form_error(message)
    return _login_page(login_form, 429)

"""The browser adapter: htmx pages on top of the same services as the JSON API."""

from __future__ import annotations

from flask import Flask, Response, redirect, request
from flask_login import LoginManager, login_url
from flask_login.utils import _user_context_processor

from taskweb.domain.access import Action, may
from taskweb.extensions import login_manager
from taskweb.models import Role, User
from taskweb.observability import note_user
from taskweb.web import (
    auth,
    board,
    bulk,
    calendar,
    calendar_feed,
    list_order,
    live_updates,
    notifications,
    password_reset,
    personal_tokens,
    profile,
    projects,
    quick_add,
    saved_filters,
    subtasks,
    tasks,
    trash,
    unsubscribe,
    views,
)
from taskweb.web import history as task_history
from taskweb.web.catalog import catalog
from taskweb.web.compact_html import CompactHtml
from taskweb.web.display import (
    PRIORITY_LABELS,
    SORT_LABELS,
    STATUS_LABELS,
    description_preview,
    due_date_of,
)
from taskweb.web.forms import describe
from taskweb.web.htmx import redirect_to
from taskweb.web.navigation import EVERY_PROJECT, current_view_url, label_url
from taskweb.web.origin import refuse_cross_site_writes
from taskweb.web.reminders import remind_me_context, upcoming_reminders
from taskweb.web.session import visitor
from taskweb.web.time_zone import now, request_zone, zone_from_browser
from taskweb.wiring import browser_session_service

BLUEPRINTS = (auth.bp, tasks.bp, subtasks.bp, projects.bp, profile.bp, views.bp, quick_add.bp,
              board.bp, list_order.bp, saved_filters.bp, trash.bp, bulk.bp, notifications.bp,
              unsubscribe.bp, password_reset.bp, calendar.bp, task_history.bp,
              personal_tokens.bp)
WEB_BLUEPRINT_NAMES = frozenset(blueprint.name for blueprint in BLUEPRINTS)


def init_web(app: Flask) -> None:
    """Register the browser blueprints, the session user loader and template helpers."""
    app.jinja_env.add_extension(CompactHtml)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    # Not pages: the bell is revalidated rather than never stored, and the calendar feed
    # keeps its own caching headers (see their modules).
    app.register_blueprint(notifications.bell_bp)
    app.register_blueprint(calendar_feed.bp)
    app.register_blueprint(live_updates.bp)
    app.before_request(refuse_cross_site_writes)
    app.after_request(_private_and_varying)
    _init_login(login_manager)
    _load_users_only_when_asked(app)
    app.add_template_global(describe)
    app.add_template_global(visitor)
    app.add_template_global(description_preview)
    app.add_template_global(catalog)
    app.add_template_global(current_view_url)
    app.add_template_global(label_url)
    app.add_template_global(projects.new_project_form)
    app.add_template_global(may_edit_tasks)
    app.add_template_global(subtasks.new_subtask_form)
    app.add_template_global(profile.time_zone_names)
    app.add_template_global(profile.browser_zone_name)
    app.add_template_global(list_order.manual_order_of)
    app.add_template_global(notifications.bell_poll_seconds)
    app.add_template_global(calendar.calendar_feed_url)
    app.add_template_global(calendar.calendar_feed_cap)
    app.add_template_global(personal_tokens.personal_token_section)
    app.add_template_global(upcoming_reminders)
    app.add_template_global(remind_me_context)
    app.add_template_global(live_updates.live_update_ms)

    @app.context_processor
    def template_helpers() -> dict[str, object]:
        # One instant and one zone per page, so that every row agrees on "today".
        instant, zone = now(), request_zone()
        return {
            "time_zone": zone.key,
            # Only a page in the browser's own zone tells app.js which one it used (a
            # page in the profile's zone must not be reloaded in the browser's).
            "zone_from_browser": zone_from_browser(),
            "due_date_of": lambda task: due_date_of(task, instant, zone),
            "status_labels": STATUS_LABELS,
            "priority_labels": PRIORITY_LABELS,
            "sort_labels": SORT_LABELS,
            "every_project": EVERY_PROJECT,
        }


def may_edit_tasks(role: Role | None) -> bool:
    """For templates: whether a role in a project lets its holder change the tasks."""
    return may(role, Action.EDIT_TASKS)


def _load_users_only_when_asked(app: Flask) -> None:
    """Flask-Login's context processor loads the session's user for every template, the
    error page of a database outage included, where that load fails again. The pages ask
    ``session.visitor()`` instead, which loads the user only when a page needs them."""
    processors = app.template_context_processors[None]
    processors[:] = [function for function in processors
                     if function is not _user_context_processor]


def _init_login(manager: LoginManager) -> None:
    manager.login_view = "web_auth.login"
    manager.user_loader(load_user)
    manager.unauthorized_handler(_unauthorized)


def load_user(session_key: str) -> User | None:
    """The user of a session key "<user id>:<session version>:<browser session id>".

    Logging out revokes the browser session, and a password change or "log out
    everywhere" bumps the version, so cookies issued before either load nobody.
    """
    user = browser_session_service().holder(session_key)
    if user is not None:
        note_user(user.id)
    return user


def _unauthorized() -> Response:
    """To the login page, coming back here afterwards; htmx navigates the whole page."""
    target = login_url(login_manager.login_view, next_url=_current_page())
    if request.headers.get("HX-Request") == "true":
        response = redirect_to(target)
        response.status_code = 401
        return response
    return redirect(target)


def _current_page() -> str:
    """The page to return to: for htmx, the page the user sees, not the fragment's URL."""
    return request.headers.get("HX-Current-URL") or request.url


def _private_and_varying(response: Response) -> Response:
    # Pages hold a user's tasks: never store them, and never serve a fragment as a page.
    if request.blueprint not in WEB_BLUEPRINT_NAMES:
        return response
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("HX-Request")
    return response

"""Who may do what in a project: the one table of roles and actions.

Repositories decide what a user may *see* (every query joins the user's memberships, so
a non-member finds nothing and gets 404); services ask ``may(role, action)`` before a
change and answer 403 when the role is too low. Tests walk every cell of ``ALLOWED``
through the API.
"""

from __future__ import annotations

import enum

from taskweb.models import Role


class Action(str, enum.Enum):
    VIEW = "view"  # read the project, its members and its tasks
    EDIT_TASKS = "edit_tasks"  # create, edit, complete, move, delete, restore its tasks
    MANAGE_PROJECT = "manage_project"  # rename, recolor, archive, delete the project
    MANAGE_MEMBERS = "manage_members"  # invite, change roles, remove, transfer ownership


ALLOWED: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.EDITOR: frozenset({Action.VIEW, Action.EDIT_TASKS}),
    Role.OWNER: frozenset(Action),
}


def may(role: Role | None, action: Action) -> bool:
    """True if ``role`` (None: not a member) allows ``action``."""
    return role is not None and action in ALLOWED[role]


# ---- personal access tokens: which scope each API endpoint needs -----------------------
#
# A request made with a personal access token is checked here, once, before its view
# runs (roles above still apply after: a scope never grants more than the user has).
# Keys are Flask endpoint names, or a blueprint's name standing for all its endpoints;
# values map an HTTP method to the scopes needed, ``frozenset()`` when none is (public
# endpoints), or ``NEVER`` when a personal token may not do it at all (managing tokens,
# the password, the e-mail, deleting the account, refresh and logout). An endpoint not in
# the table is refused too, so a new endpoint is closed to tokens until it is listed.


class Scope(str, enum.Enum):
    TASKS_READ = "tasks:read"
    TASKS_WRITE = "tasks:write"
    PROJECTS_READ = "projects:read"
    PROJECTS_WRITE = "projects:write"
    PROFILE_READ = "profile:read"


# What each scope lets a program do, in the words of the profile page and the README.
SCOPE_DESCRIPTIONS: dict[Scope, str] = {
    Scope.TASKS_READ: "Read your tasks, their history, labels, saved filters and trash.",
    Scope.TASKS_WRITE: "Create, change, complete, move, delete and restore tasks; "
                       "rename labels; save filters.",
    Scope.PROJECTS_READ: "Read your projects and their members.",
    Scope.PROJECTS_WRITE: "Create, change and delete projects; invite and remove members.",
    Scope.PROFILE_READ: "Read your profile and your notifications.",
}

NEVER = None
PUBLIC: frozenset[Scope] = frozenset()
_WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _read_write(read: Scope, write: Scope | None) -> dict[str, frozenset[Scope] | None]:
    table: dict[str, frozenset[Scope] | None] = {"GET": frozenset({read})}
    for method in _WRITE_METHODS:
        table[method] = NEVER if write is None else frozenset({write})
    return table


def _all(needed: frozenset[Scope] | None) -> dict[str, frozenset[Scope] | None]:
    return {method: needed for method in ("GET", *_WRITE_METHODS)}


_TASKS = _read_write(Scope.TASKS_READ, Scope.TASKS_WRITE)

SCOPES_NEEDED: dict[str, dict[str, frozenset[Scope] | None]] = {
    # Tasks and everything that lives with them.
    "tasks": _TASKS, "task_history": _TASKS, "task_moves": _TASKS, "bulk": _TASKS,
    "quick_add": _TASKS, "trash": _TASKS, "labels": _TASKS, "filters": _TASKS,
    "projects": _read_write(Scope.PROJECTS_READ, Scope.PROJECTS_WRITE),
    # The sync feed reads both kinds of object.
    "sync": {"GET": frozenset({Scope.TASKS_READ, Scope.PROJECTS_READ})},
    # The account: readable with profile:read, never changed by a program (password,
    # e-mail, deletion, the calendar feed's secret).
    "users.CurrentUser": _read_write(Scope.PROFILE_READ, None),
    "users.export_account": {"GET": frozenset(
        {Scope.PROFILE_READ, Scope.TASKS_READ, Scope.PROJECTS_READ})},
    "users.import_account": {"POST": frozenset({Scope.TASKS_WRITE, Scope.PROJECTS_WRITE})},
    "calendar": _all(NEVER),
    "notifications": _read_write(Scope.PROFILE_READ, None),
    # Signing in and out is for people; the tokens themselves need a login access token.
    "auth.refresh": _all(NEVER), "auth.logout": _all(NEVER),
    "auth.login": _all(PUBLIC), "auth.register": _all(PUBLIC), "password_reset": _all(PUBLIC),
    "personal_tokens": _all(NEVER),
    # A token that could add a webhook could send everything it sees anywhere.
    "webhooks": _all(NEVER),
    "api-docs": _all(PUBLIC), "system": _all(PUBLIC),
}


def scopes_needed(endpoint: str, method: str) -> frozenset[Scope] | None:
    """The scopes a personal token needs for ``method`` on ``endpoint``; ``NEVER`` (None)
    when no personal token may (including endpoints the table does not list)."""
    if method in ("HEAD", "OPTIONS"):
        method = "GET"
    for key in (endpoint, endpoint.split(".", 1)[0]):
        if key in SCOPES_NEEDED:
            return SCOPES_NEEDED[key].get(method, NEVER)
    return NEVER


def missing_scope(granted: frozenset[Scope] | set[Scope], endpoint: str,
                  method: str) -> Scope | None:
    """The first scope (in ``Scope`` order) the token lacks for this request, or None if
    it has them all. Raises ``LookupError`` when a personal token may never do it."""
    needed = scopes_needed(endpoint, method)
    if needed is NEVER:
        raise LookupError(endpoint)
    for scope in Scope:
        if scope in needed and scope not in granted:
            return scope
    return None


def parse_scopes(names: list[str]) -> frozenset[Scope]:
    """The scopes ``names`` stand for; ``ValueError`` naming an unknown one, or if none."""
    if not names:
        raise ValueError("Choose at least one scope.")
    known = {scope.value: scope for scope in Scope}
    for name in names:
        if name not in known:
            raise ValueError(f"Unknown scope {name!r}; known: {', '.join(known)}.")
    return frozenset(known[name] for name in names)

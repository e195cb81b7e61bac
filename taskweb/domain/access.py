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

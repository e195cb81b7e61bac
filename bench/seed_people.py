"""Who the benchmark's tasks belong to: users, their Inboxes, projects and memberships.

Issue 15's shape: ``USERS`` users, each with an Inbox whose id is the user's id, and
``PROJECTS`` other projects, a fifth of them shared (2–8 members: the owner, editors and
viewers). The heavy user belongs to exactly 12 projects, 4 of them shared:

* the Inbox (id 1) and seven projects of their own that nobody else is in, "Home"
  (``BOARD_PROJECT_ID``, the board scenario's 500 cards) first;
* ``SHARED_PROJECT_ID``, owned by user 2, the heavy user an editor among 6 members (the
  shared-project list scenario); another owned by user 3, the heavy user a viewer;
* two of their own shared out, with 3 and 5 members.

Every project, membership and member list is drawn from a fixed seed, so both stages
and every run hold the same ones. ``python -m bench.seed`` is the entry point.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

USERS = 100_000
PROJECTS = 20_000  # besides the Inboxes
HEAVY_USER_ID = 1
BOARD_PROJECT_ID = USERS + 1
BOARD_PROJECT_NAME = "Home"
SHARED_PROJECT_ID = BOARD_PROJECT_ID + 1
VIEWED_PROJECT_ID = BOARD_PROJECT_ID + 2
# The heavy user's own projects shared out (with 3 and 5 members), then those only
# they are in (Home among them).
SHARED_OUT = ((BOARD_PROJECT_ID + 3, 3), (BOARD_PROJECT_ID + 4, 5))
PRIVATE = (BOARD_PROJECT_ID, *range(BOARD_PROJECT_ID + 5, BOARD_PROJECT_ID + 11))
LAST_HEAVY_PROJECT = BOARD_PROJECT_ID + 10
SHARED_EVERY = 5  # a fifth of the projects are shared
EDITOR_SHARE = 0.7


@dataclass
class Project:
    id: int
    owner_id: int
    name: str
    members: list[tuple[int, str]] = field(default_factory=list)  # (user id, role)

    @property
    def writers(self) -> list[int]:
        """Who may add tasks to it: its owner and editors."""
        return [user_id for user_id, role in self.members if role != "viewer"]

    @property
    def shared(self) -> bool:
        return len(self.members) > 1


def inbox_of(user_id: int) -> int:
    """The id of a seeded user's Inbox project."""
    return user_id


def _others(rng: random.Random, exclude: set[int], count: int) -> list[int]:
    chosen: list[int] = []
    while len(chosen) < count:
        user_id = rng.randint(HEAVY_USER_ID + 1, USERS)
        if user_id not in exclude and user_id not in chosen:
            chosen.append(user_id)
    return chosen


def _role(rng: random.Random) -> str:
    return "editor" if rng.random() < EDITOR_SHARE else "viewer"


def heavy_projects() -> list[Project]:
    """The heavy user's 11 projects besides the Inbox (the same in every stage)."""
    rng = random.Random(15)
    projects = [Project(project_id, HEAVY_USER_ID,
                        BOARD_PROJECT_NAME if project_id == BOARD_PROJECT_ID
                        else f"Heavy project {project_id - BOARD_PROJECT_ID}",
                        [(HEAVY_USER_ID, "owner")])
                for project_id in PRIVATE]
    shared = Project(SHARED_PROJECT_ID, 2, "Team launch",
                     [(2, "owner"), (HEAVY_USER_ID, "editor"),
                      *((user_id, "editor") for user_id in (3, 4, 5, 6))])
    viewed = Project(VIEWED_PROJECT_ID, 3, "Family calendar",
                     [(3, "owner"), (HEAVY_USER_ID, "viewer"), (7, "editor"), (8, "editor")])
    projects += [shared, viewed]
    for project_id, size in SHARED_OUT:
        members = [(HEAVY_USER_ID, "owner")]
        members += [(user_id, _role(rng)) for user_id in _others(rng, {HEAVY_USER_ID}, size - 1)]
        projects.append(Project(project_id, HEAVY_USER_ID,
                                f"Shared project {project_id - BOARD_PROJECT_ID}", members))
    return sorted(projects, key=lambda project: project.id)


def other_projects() -> list[Project]:
    """Everybody else's projects (ids after the heavy user's), a fifth of them shared
    with 1–7 others; the heavy user is in none of them."""
    rng = random.Random(16)
    projects = []
    for project_id in range(LAST_HEAVY_PROJECT + 1, BOARD_PROJECT_ID + PROJECTS):
        owner_id = rng.randint(HEAVY_USER_ID + 1, USERS)
        members = [(owner_id, "owner")]
        if project_id % SHARED_EVERY == 0:
            others = _others(rng, {HEAVY_USER_ID, owner_id}, rng.randint(1, 7))
            members += [(user_id, _role(rng)) for user_id in others]
        projects.append(Project(project_id, owner_id, f"Project {project_id}", members))
    return projects


def project_lines(projects: list[Project], created: str) -> tuple[list[str], list[str]]:
    """COPY lines for ``projects`` (id, owner_id, name, is_inbox, created_at, updated_at)
    and for ``memberships`` (project_id, user_id, role, joined_at), Inboxes included."""
    rows = [f"{inbox_of(u)}\t{u}\tInbox\tt\t{created}\t{created}\n" for u in range(1, USERS + 1)]
    members = [f"{inbox_of(u)}\t{u}\towner\t{created}\n" for u in range(1, USERS + 1)]
    for project in projects:
        rows.append(f"{project.id}\t{project.owner_id}\t{project.name}\tf\t{created}\t"
                    f"{created}\n")
        members += [f"{project.id}\t{user_id}\t{role}\t{created}\n"
                    for user_id, role in project.members]
    return rows, members

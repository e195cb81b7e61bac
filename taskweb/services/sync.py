"""The sync feed: everything a user may see that changed after their cursor.

A page is read in two units of work. The first only reads the last finished change
number ``L`` (on PostgreSQL it waits for the writers holding a number, then commits at
once so the writers queued behind it go on). The second collects the changes numbered
after the cursor and up to ``L`` from the three places they live (task rows, project
rows, the user's sync events), keeps the first ``page_size`` in order, and reports every
object they touch once, in its current state: the object itself if the user may see it
now (and it is not in the trash), else its id among the deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

from taskweb.domain.projects import ProjectView
from taskweb.domain.sync import (
    PAGE_SIZE,
    ObjectKind,
    merge_changes,
    parse_cursor,
    touched,
)
from taskweb.errors import ValidationFailed
from taskweb.models import Task, User
from taskweb.unit_of_work import UnitOfWork

CURSOR_FIELD = "since"
FUTURE_CURSOR = ("This cursor is ahead of the server's changes: it was not handed out "
                 "here. Sync again without a cursor.")


@dataclass(frozen=True)
class SyncPage:
    cursor: str
    tasks: list[Task]
    projects: list[ProjectView]
    deleted_tasks: list[int]
    deleted_projects: list[int]
    has_more: bool


class SyncService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def changes(self, user: User, since: str | None, page_size: int = PAGE_SIZE) -> SyncPage:
        """The next page of ``user``'s changes after the cursor ``since`` (None: from
        the start). A cursor this server did not hand out is a ``ValidationFailed``
        naming ``since``, and so is one past the last change (a database restored from
        an older backup): the client must start over rather than silently skip."""
        try:
            after = parse_cursor(since)
        except ValueError as error:
            raise ValidationFailed({CURSOR_FIELD: [str(error)]}) from None
        with self.uow:
            last_number = self.uow.sync.last_change_no()
        if after.number > last_number:
            raise ValidationFailed({CURSOR_FIELD: [FUTURE_CURSOR]})
        with self.uow:
            sync = self.uow.sync
            cut = page_size + 1
            page = merge_changes(
                (sync.project_changes(user.id, after, last_number, cut),
                 sync.task_changes(user.id, after, last_number, cut),
                 sync.event_changes(user.id, after, last_number, cut)),
                page_size, last_number)
            task_ids = touched(page.changes, ObjectKind.TASK)
            project_ids = touched(page.changes, ObjectKind.PROJECT)
            tasks = sync.visible_tasks(user.id, task_ids)
            projects = sync.visible_projects(user.id, project_ids)
            return SyncPage(
                cursor=page.cursor,
                tasks=[tasks[task_id] for task_id in task_ids if task_id in tasks],
                projects=[projects[pid] for pid in project_ids if pid in projects],
                deleted_tasks=[task_id for task_id in task_ids if task_id not in tasks],
                deleted_projects=[pid for pid in project_ids if pid not in projects],
                has_more=page.has_more,
            )

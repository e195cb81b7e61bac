"""What the task list template needs to know about one page of tasks: where it is shown
(every project, or one), the filters in effect, the page numbers and the links to the
neighbouring pages.

Lists show top-level tasks; each task's subtasks are shown under it (a URL may still ask
for ``parent_id`` explicitly).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from werkzeug.datastructures import MultiDict

from taskweb.domain.access import Action, may
from taskweb.domain.task_query import DEFAULT_SORT, ME, NONE, TaskPage
from taskweb.errors import ValidationFailed
from taskweb.models import SavedFilter
from taskweb.services.task_query import parse_task_query
from taskweb.web.catalog import catalog
from taskweb.web.filter_search import SearchError, route_search
from taskweb.web.navigation import EVERY_PROJECT, ListLocation, list_url
from taskweb.web.session import signed_in_user
from taskweb.web.time_zone import request_zone
from taskweb.wiring import saved_filter_service, task_service

# The parameters that say which tasks a view is about, rather than narrowing it: kept
# when the filters are cleared.
VIEW_PARAMETERS = ("label", "assignee")


def load_list(location: ListLocation, args: MultiDict[str, str]) -> TaskListView:
    """The page of tasks that ``args`` (a URL's list parameters) asks for at ``location``."""
    scoped = args.to_dict(flat=False)
    if not any(value.strip() for value in scoped.get("parent_id", [])):
        scoped["parent_id"] = [NONE]
    if location.project_id is not None:
        scoped["project_id"] = [str(location.project_id)]
    saved = (saved_filter_service().get(signed_in_user(), location.filter_id)
             if location.filter_id is not None else None)
    search_error = route_search(scoped, saved.query if saved else None)
    try:
        query = parse_task_query(scoped)
    except ValidationFailed as error:
        return TaskListView(args, location=location, errors=error.errors,
                            search_error=search_error, saved_filter=saved)
    page = task_service().list(signed_in_user(), query, request_zone())
    return TaskListView(args, page, location=location, search_error=search_error,
                        saved_filter=saved)


@dataclass
class TaskListView:
    """One page of tasks as requested by ``args`` (the URL's list parameters).

    ``errors`` holds the messages of list parameters that could not be understood; the
    page is then None and the template offers a way back to the full list.
    """

    args: MultiDict[str, str]
    page: TaskPage | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)
    location: ListLocation = EVERY_PROJECT
    # A search box text that is a malformed filter (shown next to the box), and the
    # saved filter whose page this is.
    search_error: SearchError | None = None
    saved_filter: SavedFilter | None = None

    def selected(self, name: str) -> str:
        """The value a filter control shows: the last one given, or ''."""
        values = [value for value in self.args.getlist(name) if value]
        return values[-1] if values else ""

    @property
    def sort(self) -> str:
        return self.selected("sort") or DEFAULT_SORT

    @property
    def filtered(self) -> bool:
        """True when the user narrowed the list (so an empty list means no match)."""
        query = self.page.query if self.page else None
        return bool(
            query
            and (query.statuses or query.priorities or query.text
                 or query.due_before or query.due_after
                 or (query.expression and self.saved_filter is None)
                 or (self.saved_filter and self.selected("q")))
        )

    @property
    def number(self) -> int:
        return self.page.offset // self.page.limit + 1 if self.page else 1

    @property
    def page_count(self) -> int:
        return max(1, ceil(self.page.total / self.page.limit)) if self.page else 1

    @property
    def first_shown(self) -> int:
        return self.page.offset + 1 if self.page and self.page.items else 0

    @property
    def last_shown(self) -> int:
        return self.page.offset + len(self.page.items) if self.page else 0

    @property
    def past_the_end(self) -> bool:
        """True on a page after the last one that has tasks (``?page=99``)."""
        return bool(self.page and self.page.total and not self.page.items)

    @property
    def previous_url(self) -> str | None:
        return self.url_of(self.number - 1) if 1 < self.number <= self.page_count else None

    @property
    def next_url(self) -> str | None:
        return self.url_of(self.number + 1) if self.number < self.page_count else None

    @property
    def last_page_url(self) -> str:
        return self.url_of(self.page_count)

    @property
    def labels(self) -> list[str]:
        """The labels this view is about (``?label=``), as written in the URL."""
        return [part.strip() for value in self.args.getlist("label")
                for part in value.split(",") if part.strip()]

    @property
    def assigned_to_me(self) -> bool:
        return self.selected("assignee").lower() == ME

    @property
    def project_name(self) -> str | None:
        if self.location.project_id is None:
            return None
        view = catalog().project(self.location.project_id)
        return view.project.name if view else None

    @property
    def may_add(self) -> bool:
        """Whether the person may add tasks here: anywhere on ``/`` (into a project of
        theirs), on a project's page if their role allows and it is not archived."""
        if self.location.project_id is None:
            return True
        view = catalog().project(self.location.project_id)
        return bool(view and may(view.role, Action.EDIT_TASKS) and not view.project.archived)

    @property
    def heading(self) -> str:
        """What the view is about: a project, the tasks assigned to me, a label, or all."""
        if self.saved_filter is not None:
            return self.saved_filter.name
        if self.location.project_id is not None:
            return self.project_name or "Project"
        if self.assigned_to_me:
            return "Assigned to me"
        if self.labels:
            return f"Label{'s' if len(self.labels) > 1 else ''}: {', '.join(self.labels)}"
        return "Tasks"

    @property
    def empty_message(self) -> str:
        """What an empty, unfiltered view says."""
        if self.saved_filter is not None:
            return "No tasks match this filter."
        if self.location.project_id is not None:
            return "No tasks in this project yet."
        if self.assigned_to_me:
            return "No tasks are assigned to you."
        if self.labels:
            return "No tasks carry this label."
        return "No tasks yet."

    @property
    def title(self) -> str:
        """The document title of this view: the same for the page and its htmx swaps."""
        title = f"{self.heading} (filtered)" if self.filtered else self.heading
        return f"{title}, page {self.number}" if self.number > 1 else title

    @property
    def summary(self) -> str:
        """How many tasks the view shows, in words (announced when the list changes)."""
        if self.page is None:  # the list itself says why (a role="alert" message)
            return "0 tasks"
        matching = " matching the filters" if self.filtered else ""
        if self.past_the_end:
            return f"No tasks on page {self.number}; {self.page.total} in all{matching}."
        total = self.page.total
        if self.page_count > 1:
            return f"Showing {self.first_shown}–{self.last_shown} of {total} tasks{matching}"
        return f"{total} task{'' if total == 1 else 's'}{matching}"

    def url_of(self, number: int) -> str:
        return list_url(self.args, self.location.path, page=number, offset=None)

    @property
    def url(self) -> str:
        return list_url(self.args, self.location.path)

    @property
    def path(self) -> str:
        """Where the view's filters, pages and swaps are asked for."""
        return self.location.path

    @property
    def cleared_url(self) -> str:
        """This view without filters or search (the sort, label and assignee are kept)."""
        kept = MultiDict([(name, value) for name, value in self.args.items(multi=True)
                          if name in VIEW_PARAMETERS])
        kept["sort"] = self.sort
        return list_url(kept, self.location.path)

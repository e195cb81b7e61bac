"""What the task list template needs to know about one page of tasks: the filters in
effect, the page numbers and the links to the neighbouring pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from math import ceil

from werkzeug.datastructures import MultiDict

from taskweb.domain.task_query import DEFAULT_SORT, TaskPage
from taskweb.web.navigation import list_url


@dataclass
class TaskListView:
    """One page of tasks as requested by ``args`` (the URL's list parameters).

    ``errors`` holds the messages of list parameters that could not be understood; the
    page is then None and the template offers a way back to the full list.
    """

    args: MultiDict[str, str]
    page: TaskPage | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

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
                 or query.due_before or query.due_after)
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
    def title(self) -> str:
        """The document title of this view: the same for the page and its htmx swaps."""
        title = "Tasks (filtered)" if self.filtered else "Tasks"
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
        return list_url(self.args, page=number, offset=None)

    @property
    def url(self) -> str:
        return list_url(self.args)

    @property
    def cleared_url(self) -> str:
        """This view without filters or search (the sort is kept)."""
        return list_url(MultiDict({"sort": self.sort}))

"""HTML of the floor's tasks page and list fragment, by plain string formatting.

The markup follows taskweb's page (a row per task with its complete, edit and delete
controls, a summary and pagination) so that both sides send pages of a similar size.
"""

from __future__ import annotations

from html import escape
from math import ceil
from typing import Any

STATUS_LABELS = {"todo": "To do", "in_progress": "In progress", "completed": "Completed"}
PRIORITY_LABELS = {"low": "Low", "medium": "Medium", "high": "High"}

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tasks</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/static/app.css"><script src="/static/vendor/htmx.min.js" defer></script>
</head><body><header class="site-header"><a href="/">taskweb</a>
<nav><span>{username}</span><form method="post" action="/logout">
<input type="hidden" name="csrf_token" value="{csrf}"><button>Log out</button></form></nav></header>
<main class="page page--tasks">{sidebar}<h1>Tasks</h1>
<section class="tasks-layout__add"><form method="post" action="/tasks" hx-post="/tasks">
<input type="hidden" name="csrf_token" value="{csrf}">
<label for="new-title">Title</label><input id="new-title" name="title" required maxlength="200">
<label for="new-description">Description</label><textarea id="new-description" name="description"></textarea>
<button type="submit">Add task</button></form></section>
<section class="tasks-layout__list"><h2>Your tasks</h2>
<form class="filters" method="get" action="/" hx-get="/" hx-target="#task-list" hx-push-url="true">
<input type="search" name="q" value="{q}" hx-trigger="keyup changed delay:300ms">
<select name="status"><option value="">Any status</option><option value="todo">To do</option>
<option value="in_progress">In progress</option><option value="completed">Completed</option></select>
</form>
{fragment}
</section></main></body></html>
"""

ROW = """<li id="task-{id}" class="task task--{status}">
<form class="task__complete" method="post" action="/tasks/{id}/complete">
<input type="hidden" name="csrf_token" value="{csrf}">
<input type="checkbox" id="task-{id}-complete" name="completed" value="1" aria-label="Complete {title}"{checked}
 hx-post="/tasks/{id}/complete" hx-trigger="change" hx-target="closest li" hx-swap="outerHTML"></form>
<div class="task__body"><h3 class="task__title" id="task-{id}-title">{title}</h3>{description}
<p class="task__meta"><span class="badge badge--{priority}">{priority_label} priority</span>
<span class="status status--{status}">{status_label}</span>{due}{project}</p></div>
<div class="task__actions"><form method="get" action="/tasks/{id}/edit">
<button type="submit" class="button" hx-get="/tasks/{id}/edit" hx-target="closest li" hx-swap="outerHTML">Edit</button></form>
<form method="post" action="/tasks/{id}/delete"><input type="hidden" name="csrf_token" value="{csrf}">
<button type="submit" class="button button--danger" hx-delete="/tasks/{id}" hx-target="#task-list" hx-swap="outerHTML">Delete</button></form></div>
</li>
"""


def _row(task: dict[str, Any], csrf: str) -> str:
    title = escape(task["title"])
    description = task["description"]
    due = task["due_date"]
    return ROW.format(
        id=task["id"],
        status=task["status"],
        priority=task["priority"],
        title=title,
        csrf=csrf,
        checked=" checked" if task["status"] == "completed" else "",
        description=f'<p class="task__description">{escape(description)}</p>' if description else "",
        priority_label=PRIORITY_LABELS[task["priority"]],
        status_label=STATUS_LABELS[task["status"]],
        due=(f' <span class="due">Due <time datetime="{due.isoformat()}">'
             f"{due:%a} {due.day} {due:%b %Y}</time></span>") if due else "",
        project=(f' <span class="task__project">in <a href="/projects/{task["project_id"]}">'
                 f'{escape(task["project"])}</a></span>') if task.get("project") else "",
    )


def list_fragment(tasks: list[dict[str, Any]], total: int, limit: int, offset: int,
                  csrf: str) -> str:
    """The ``#task-list`` region: summary, rows and pagination."""
    number, pages = offset // limit + 1, max(1, ceil(total / limit))
    rows = "".join(_row(task, csrf) for task in tasks)
    summary = (f"Showing {offset + 1}–{offset + len(tasks)} of {total} tasks"
               if pages > 1 else f"{total} tasks")
    pagination = ""
    if pages > 1:
        links = []
        if number > 1:
            links.append(f'<a class="button" rel="prev" href="/?page={number - 1}" '
                         f'hx-get="/?page={number - 1}" hx-target="#task-list">Previous</a>')
        links.append(f'<span class="pagination__position">Page {number} of {pages}</span>')
        if number < pages:
            links.append(f'<a class="button" rel="next" href="/?page={number + 1}" '
                         f'hx-get="/?page={number + 1}" hx-target="#task-list">Next</a>')
        pagination = f'<nav class="pagination" aria-label="Pagination">{"".join(links)}</nav>'
    return (f'<div id="task-list" class="task-list"><p class="task-list__summary">{summary}</p>'
            f'<ul class="tasks">{rows}</ul>{pagination}</div>')


def _entry(name: str, url: str, count: int | None = None, shared: bool = False) -> str:
    words = ", ".join([name, *(["shared"] if shared else []),
                       *([f"{count} open task{'' if count == 1 else 's'}"]
                         if count is not None else [])])
    return (f'<li><a class="sidebar__link" href="{url}" aria-label="{escape(words)}">'
            f'<span class="sidebar__name">{escape(name)}</span>'
            + (' <span class="tag">shared</span>' if shared else "")
            + (f' <span class="sidebar__count">{count}</span>' if count is not None else "")
            + "</a></li>")


def sidebar(user_id: int, projects: list[tuple], labels: list[tuple]) -> str:
    """The projects sidebar: All tasks, Inbox, Assigned to me, one's own projects, those
    shared with one, and the labels with their open-task counts (rows as _catalog reads
    them: id, owner_id, name, …, is_inbox at 5, archived at 6, member and open counts
    last)."""
    inbox = next((p for p in projects if p[5] and p[1] == user_id), None)
    live = [p for p in projects if not p[6] and not p[5]]
    own = [p for p in live if p[1] == user_id]
    shared = [p for p in live if p[1] != user_id]
    top = [_entry("All tasks", "/", sum(p[-1] for p in projects)),
           *([_entry("Inbox", f"/projects/{inbox[0]}", inbox[-1])] if inbox else []),
           _entry("Assigned to me", "/?assignee=me")]
    parts = ['<nav id="sidebar" class="sidebar" aria-label="Projects" popover>'
             '<div class="sidebar__inner"><div id="sidebar-lists" class="sidebar__lists">',
             f'<ul class="sidebar__list">{"".join(top)}</ul>',
             '<h2 class="sidebar__heading">My projects</h2>']
    own_entries = "".join(_entry(p[2], f"/projects/{p[0]}", p[-1], shared=p[-2] > 1)
                          for p in own)
    parts.append(f'<ul class="sidebar__list">{own_entries}</ul>' if own
                 else '<p class="sidebar__empty">None yet.</p>')
    if shared:
        parts.append('<h2 class="sidebar__heading">Shared with me</h2><ul class="sidebar__list">'
                     + "".join(_entry(p[2], f"/projects/{p[0]}", p[-1], True) for p in shared)
                     + "</ul>")
    if labels:
        parts.append('<h2 class="sidebar__heading">Labels</h2><ul class="sidebar__list">'
                     + "".join(_entry(name, f"/?label={escape(name)}", open_count)
                               for _key, name, _count, open_count, _first in labels)
                     + "</ul>")
    parts.append('</div><button type="button" class="button" popovertarget="new-project-dialog">'
                 "New project</button></div></nav>")
    return "".join(parts)


def full_page(fragment: str, sidebar_html: str, username: str, q: str, csrf: str) -> str:
    return PAGE.format(fragment=fragment, sidebar=sidebar_html, username=escape(username),
                       q=escape(q), csrf=csrf)

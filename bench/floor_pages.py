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
<main class="page page--tasks"><h1>Tasks</h1>
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
<span class="status status--{status}">{status_label}</span>{due}</p></div>
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


def full_page(fragment: str, username: str, q: str, csrf: str) -> str:
    return PAGE.format(fragment=fragment, username=escape(username), q=escape(q), csrf=csrf)

"""The floor of the scenarios it has no hand-written route for: it sends taskweb's own
statements again.

The filter grammar, Today, Upcoming, the board and the quick-add preview would each need
a copy of taskweb's query building, agenda or parser to be written by hand. Instead the driver
records the statements taskweb sends for each (``python -m bench.statements --replay``,
as literal SQL) before the servers start, and the floor, given that file in
``BENCH_FLOOR_REPLAY``, authenticates the caller its own way (as for every route), then
sends those statements in order and answers with the tasks they read: the same SQL,
with no framework, query building or parsing around it. So for these scenarios the
ratio also counts taskweb's own work of building the SQL and reading the text.
"""

from __future__ import annotations

import html
import json
import os
from functools import cache
from urllib.parse import parse_qs

from bench.floor_base import (
    HTML_TYPE,
    Response,
    bearer_user,
    json_response,
    session_user,
)
from bench.floor_input import HttpError
from bench.scenarios import BOARD_PATH, QUICK_PREVIEW_PATH


@cache
def _recorded() -> dict[str, list[str]]:
    path = os.environ.get("BENCH_FLOOR_REPLAY")
    if not path:
        return {}
    with open(path) as handle:
        return json.load(handle)


def _replay(cur, name: str) -> list[tuple]:
    """Send the statements taskweb sent for ``name``; the rows of those that read tasks."""
    statements = _recorded().get(name)
    if statements is None:
        raise HttpError(404, f"No recorded statements for {name}.")
    tasks: list[tuple] = []
    for sql in statements:
        cur.execute(sql)
        rows = cur.fetchall()
        if cur.description[0].name == "id" and len(cur.description) > 2:
            tasks += rows
    return tasks


def _page(environ: dict, cur, name: str) -> Response:
    session_user(environ, cur)
    items = "".join(f'<li id="task-{row[0]}">{html.escape(str(row[1]))}</li>'
                    for row in _replay(cur, name))
    return 200, HTML_TYPE, f'<ul class="task-list">{items}</ul>'.encode()


def _api(environ: dict, cur, name: str) -> Response:
    bearer_user(environ, cur)
    items = [{"id": row[0], "title": row[1]} for row in _replay(cur, name)]
    return json_response(200, {"items": items})


def filtered_list(environ: dict, cur) -> Response | None:
    """A list with ``filter=``: taskweb's statements for the scenario's filter."""
    if "filter" not in parse_qs(environ.get("QUERY_STRING", "")):
        return None
    return _api(environ, cur, "filter")


def quick_preview(environ: dict, cur) -> Response:
    """The preview: taskweb's statements (the projects the text names), no parsing."""
    environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    if "preview=true" not in environ.get("QUERY_STRING", ""):
        raise HttpError(404, "Only the preview is replayed.")
    return _api(environ, cur, "quick_preview")


ROUTES = {
    ("GET", "/today"): lambda environ, cur: _page(environ, cur, "today"),
    ("GET", "/upcoming"): lambda environ, cur: _page(environ, cur, "upcoming"),
    ("GET", BOARD_PATH): lambda environ, cur: _page(environ, cur, "board"),
    ("POST", QUICK_PREVIEW_PATH.split("?")[0]): quick_preview,
}

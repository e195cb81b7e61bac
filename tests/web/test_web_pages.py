"""Page-wide promises: unique ids, the same title for a view however it was reached,
navigation on error pages, one message on a rate-limited form, the list's live count,
paging past the end, long descriptions and a list that follows completions."""

from __future__ import annotations

import re

import pytest
from flask import Flask, g, render_template, session
from flask.testing import FlaskClient

from taskweb.models import User
from tests.conftest import PASSWORD, make_app
from tests.web.conftest import HX, csrf_token, login, text
from tests.web.html import duplicate_ids

TITLE_RE = re.compile(r"<title>(.*?)</title>")


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="task__title" id="task-\d+-name">(.*?)</h3>', html)


# --- ids --------------------------------------------------------------------------

def test_every_page_has_unique_ids(
    client: FlaskClient, logged_in_pages: dict[str, str], anonymous_pages: dict[str, str]
) -> None:
    for path, html in {**logged_in_pages, **anonymous_pages}.items():
        assert duplicate_ids(html) == {}, path


@pytest.fixture
def anonymous_pages(new_client) -> dict[str, str]:
    browser = new_client()
    return {path: text(browser.get(path)) for path in ("/login", "/signup", "/no/such/page")}


@pytest.fixture
def logged_in_pages(logged_in: FlaskClient, user: User, make_task,
                    hx: dict[str, str]) -> dict[str, str]:
    for number in range(22):
        make_task(user, f"Task {number}", description="x " * 400 if number % 2 else None,
                  due_date="2030-01-02T17:00:00Z" if number % 3 else None)
    deleted = text(logged_in.delete("/tasks/1", headers=hx))  # a page with Undo on it
    assert ">Undo</button>" in deleted
    paths = ("/", "/?page=2", "/?page=9", "/?status=bogus", "/tasks/2", "/tasks/2/edit",
             "/profile", "/tasks/999", "/no/such/page")
    return {path: text(logged_in.get(path)) for path in paths}


# --- titles -----------------------------------------------------------------------

@pytest.mark.parametrize("query", ["", "?status=completed", "?q=milk&page=2", "?page=2",
                                   "?priority=high&sort=title"])
def test_a_view_has_one_title_whether_loaded_or_swapped_in(
    logged_in: FlaskClient, user: User, make_task, query: str
) -> None:
    for number in range(25):
        make_task(user, f"Buy milk {number}")
    loaded = TITLE_RE.findall(text(logged_in.get(f"/{query}")))
    swapped = TITLE_RE.findall(text(logged_in.get(f"/{query}", headers=HX)))
    assert len(loaded) == 1 and swapped == loaded


# --- error pages ------------------------------------------------------------------

def test_an_unknown_url_gets_the_navigation_of_a_signed_in_person(logged_in: FlaskClient,
                                                                  user: User) -> None:
    response = logged_in.get("/no/such/page")
    page = text(response)
    assert response.status_code == 404
    assert '<nav aria-label="Main">' in page
    assert 'href="/profile"' in page and ">Log out</button>" in page
    assert f'<span id="nav-user">{user.username}</span>' in page
    assert 'href="/"' in page


def test_an_unknown_url_offers_a_visitor_to_log_in(client: FlaskClient) -> None:
    page = text(client.get("/no/such/page"))
    assert '<nav aria-label="Main">' in page
    assert 'href="/login"' in page and 'href="/signup"' in page and "Log out" not in page


def test_a_server_error_page_reads_nobody_from_the_database(app: Flask) -> None:
    """A 5xx page may be about the database itself: its navigation reads the session only."""
    with app.test_request_context("/"):
        session["_user_id"] = "1:1"
        page = render_template("error.html", status=503, title="Service unavailable",
                               detail="The database is unavailable.")
        assert ">Log out</button>" in page and 'id="nav-user"' not in page
        assert "_login_user" not in g  # Flask-Login loaded nobody


# --- rate limits ------------------------------------------------------------------

@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain form"])
def test_a_rate_limited_login_shows_one_clear_message_in_the_form(
    migrated_database: str, user: User, headers: dict[str, str]
) -> None:
    app = make_app(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute",
                   ACCOUNT_RATE_LIMIT="100 per minute")
    client = app.test_client()
    for _ in range(2):
        assert login(client, user.email, "wrong password!").status_code == 401
    response = client.post("/login", headers=headers, data={
        "email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client),
    })
    assert response.status_code == 429 and int(response.headers["Retry-After"]) > 0
    html = text(response)
    if headers:
        assert html.lstrip().startswith('<form id="login-form"')  # swapped in place
    assert html.count('role="alert"') == 1
    assert "Too many attempts. Try again in a minute." in html
    assert "Incorrect email or password" not in html and "wait a minute" not in html
    assert f'value="{user.email}"' in html


# --- the list: its count, paging past the end, long descriptions ------------------

def test_the_count_is_a_live_region_outside_the_swapped_list(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    for title in ("Buy milk", "Buy bread", "Call mum"):
        make_task(user, title)
    page = text(logged_in.get("/"))
    count = page.index('<p id="task-count" class="task-list__summary" role="status">3 tasks</p>')
    assert count < page.index('<div id="task-list"')
    fragment = text(logged_in.get("/?q=buy", headers=HX))
    assert ('<p id="task-count" class="task-list__summary" role="status" '
            'hx-swap-oob="innerHTML">2 tasks matching the filters</p>') in fragment
    nothing = text(logged_in.get("/?q=nothing", headers=HX))
    assert "0 tasks matching the filters</p>" in nothing


def test_a_page_past_the_end_offers_the_last_page_with_tasks(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    for number in range(25):
        make_task(user, f"Task {number}")
    page = text(logged_in.get("/?sort=title&page=99"))
    assert "There are no tasks on page 99." in page
    assert "page=98" not in page and ">Previous</a>" not in page
    assert '<a href="/?sort=title&amp;page=2"' in page and ">Go to page 2</a>" in page


def test_a_long_description_is_cut_short_with_a_disclosure(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    long_text = "word " * 2000
    make_task(user, "Long read", description=long_text)
    make_task(user, "Short read", description="two\nlines")
    page = text(logged_in.get("/"))
    long_row = page.split('<li id="task-1"', 1)[1].split("</li>", 1)[0]
    preview = re.search(r'task__description--preview">(.*?)</p>', long_row, re.DOTALL).group(1)
    assert len(preview) <= 281 and preview.endswith("…")
    assert '<details class="task__more">' in long_row and "<summary" in long_row
    assert long_row.count(long_text.strip()) == 1
    short_row = page.split('<li id="task-2"', 1)[1].split("</li>", 1)[0]
    assert "task__more" not in short_row and "two\nlines" in short_row


# --- completing a task in a view that depends on it -------------------------------

def test_unticking_under_completed_takes_the_task_off_the_list_and_the_count(
    logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    done = make_task(user, "Done", status="completed")
    make_task(user, "Also done", status="completed")
    hx["HX-Current-URL"] = "http://localhost/?status=completed"
    response = logged_in.post(f"/tasks/{done.id}/complete", headers=hx, data={})
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#task-list"
    assert response.headers["HX-Reswap"] == "outerHTML"
    fragment = text(response)
    assert titles(fragment) == ["Also done"]
    assert "1 task matching the filters</p>" in fragment


def test_ticking_in_the_unfiltered_list_answers_just_the_row(
    logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    task = make_task(user, "Plain")
    response = logged_in.post(f"/tasks/{task.id}/complete", headers=hx, data={"completed": "1"})
    assert "HX-Retarget" not in response.headers
    assert text(response).lstrip().startswith(f'<li id="task-{task.id}"')


# --- focus after a failed submit --------------------------------------------------

def autofocused(html: str) -> list[str]:
    """The ids of the elements that ask for the focus."""
    tags = re.findall(r"<[a-z]+\b[^>]*\bautofocus\b[^>]*>", html)
    return [re.search(r'\bid="([^"]+)"', tag).group(1) for tag in tags]


def test_a_failed_submit_focuses_the_first_field_in_error(
    logged_in: FlaskClient, hx: dict[str, str]
) -> None:
    fragment = text(logged_in.post("/tasks", headers=hx, data={
        "title": "Fine", "priority": "urgent", "due_date": "1800-01-01",
    }))
    assert autofocused(fragment) == ["new-priority"]


def test_a_failed_login_focuses_the_email_field(client: FlaskClient, user: User) -> None:
    response = client.post("/login", headers=HX, data={
        "email": user.email, "password": "wrong password!", "csrf_token": csrf_token(client),
    })
    assert autofocused(text(response)) == ["email"]

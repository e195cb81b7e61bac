"""Steps that the end-to-end tests share, written the way a person uses the app."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD


def sign_up(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Full name").fill(username.title())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()


def add_task(page: Page, title: str, priority: str | None = None,
             due: str | None = None, description: str | None = None) -> Locator:
    form = page.locator("#add-task")
    form.get_by_label("Title").fill(title)
    if description:
        form.get_by_label("Description").fill(description)
    if priority:
        form.get_by_label("Priority").select_option(label=priority)
    if due:
        form.get_by_label("Due date").fill(due)
    form.get_by_role("button", name="Add task").click()
    expect(page.locator("#flash")).to_contain_text(f"Added “{title}”.")
    settled(page)
    return row(page, title)


def settled(page: Page) -> None:
    """Wait until htmx has finished a swap and wired up the new content.

    Until then a new button is a plain form button, and a very fast keyboard or
    script would submit it the old-fashioned way.
    """
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    expect(page.locator(busy)).to_have_count(0)


def row(page: Page, title: str) -> Locator:
    """The list item of the task with exactly this title."""
    heading = page.get_by_role("heading", level=3, name=title, exact=True)
    return page.locator("li.task").filter(has=heading)


def shown_titles(page: Page) -> list[str]:
    return page.locator("#task-list li.task h3").all_inner_texts()


def mark_document(page: Page) -> None:
    """Leave a mark on the window: it survives only while the document is not reloaded."""
    page.evaluate("window.__sameDocument = 'yes'")


def expect_same_document(page: Page) -> None:
    assert page.evaluate("window.__sameDocument") == "yes", "the page was reloaded"


def expect_url(page: Page, pattern: str) -> None:
    expect(page).to_have_url(re.compile(pattern))


def expect_query(page: Page, **params: str) -> None:
    """Wait until the URL is the tasks page with exactly these parameters (any order)."""
    if not params:
        expect_url(page, r"^[^?]*/$")
        return
    lookaheads = "".join(
        rf"(?=(?:.*&)?{re.escape(name)}={re.escape(value)}(?:&|$))"
        for name, value in params.items()
    )
    expect_url(page, rf"^[^?]*/\?{lookaheads}[^&]*(?:&[^&]*){{{len(params) - 1}}}$")


def tab_to(page: Page, target: Locator, presses: int = 30) -> None:
    """Press Tab, as a keyboard user would, until ``target`` has the focus."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(target).to_be_focused()

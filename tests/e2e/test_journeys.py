"""A person's journeys through the browser app, in Chromium against a live server."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    add_task,
    expect_query,
    expect_same_document,
    expect_url,
    log_out,
    mark_document,
    row,
    settled,
    shown_titles,
    sign_up,
    tab_to,
)

pytestmark = pytest.mark.e2e

XSS = "<img src=x onerror=alert(1)>"


def test_sign_up_add_edit_complete_filter_search_delete_log_out(page: Page) -> None:
    sign_up(page, "erin")
    expect(page.get_by_text("No tasks yet.")).to_be_visible()
    mark_document(page)

    in_two_days = (date.today() + timedelta(days=2)).isoformat()
    milk = add_task(page, "Buy milk", priority="High", due=in_two_days)
    expect(milk).to_contain_text("High priority")
    expect(milk).to_contain_text("Due in 2 days")
    expect(page.locator("#add-task").get_by_label("Title")).to_have_value("")
    add_task(page, "Write report", priority="Low", description="quarterly numbers")
    assert shown_titles(page) == ["Write report", "Buy milk"]

    # Edit in place, then Save.
    row(page, "Buy milk").get_by_role("button", name="Edit").click()
    editor = page.locator("li.task--editing")
    expect(editor.get_by_label("Title")).to_be_focused()
    editor.get_by_label("Title").fill("Buy oat milk")
    editor.get_by_label("Status").select_option(label="In progress")
    editor.get_by_role("button", name="Save").click()
    oat = row(page, "Buy oat milk")
    expect(oat).to_contain_text("In progress")
    settled(page)
    expect(page.locator("li.task--editing")).to_have_count(0)

    # Complete it with its checkbox.
    checkbox = page.get_by_role("checkbox", name=re.compile(r"complete.*Buy oat milk", re.I))
    checkbox.check()
    expect(oat).to_contain_text("Completed")
    expect(checkbox).to_be_checked()
    settled(page)

    # Filter by status: the URL follows.
    page.get_by_label("Filter by status").select_option("completed")
    expect_query(page, status="completed")
    expect(page.locator("#task-list li.task")).to_have_count(1)
    assert shown_titles(page) == ["Buy oat milk"]
    page.get_by_label("Filter by status").select_option("")
    expect(page.locator("#task-list li.task")).to_have_count(2)

    # Search as you type.
    page.get_by_label("Search").fill("quarterly")
    expect_query(page, q="quarterly")
    expect(page.locator("#task-list li.task")).to_have_count(1)
    assert shown_titles(page) == ["Write report"]
    page.get_by_label("Search").fill("nothing like this")
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    page.get_by_label("Search").fill("")
    expect(page.locator("#task-list li.task")).to_have_count(2)

    # Delete, undo, delete for good.
    row(page, "Write report").get_by_role("button", name="Delete").click()
    expect(row(page, "Write report")).to_have_count(0)
    expect(page.locator("#flash")).to_contain_text("Deleted “Write report”.")
    settled(page)
    page.get_by_role("button", name="Undo").click()
    expect(row(page, "Write report")).to_have_count(1)
    expect(row(page, "Write report")).to_contain_text("Low priority")
    settled(page)
    row(page, "Write report").get_by_role("button", name="Delete").click()
    expect(row(page, "Write report")).to_have_count(0)
    assert shown_titles(page) == ["Buy oat milk"]

    expect_same_document(page)  # every step above swapped fragments in place
    log_out(page)
    page.goto("/")
    expect_url(page, r"/login\?next=%2F$")


def test_a_second_user_never_sees_the_first_users_tasks(page: Page) -> None:
    sign_up(page, "frank")
    add_task(page, "Frank's secret plan")
    task_id = row(page, "Frank's secret plan").get_attribute("id").removeprefix("task-")
    log_out(page)

    sign_up(page, "grace")
    expect(page.get_by_text("No tasks yet.")).to_be_visible()
    expect(page.get_by_text("Frank's secret plan")).to_have_count(0)
    page.get_by_label("Search").fill("secret")
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    # Console noise from the 404 itself is expected here; only its content matters.
    response = page.request.get(f"/tasks/{task_id}/edit")
    assert response.status == 404
    assert "Frank's secret plan" not in response.text()


def test_a_title_with_markup_shows_as_text_and_runs_nothing(page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_up(page, "heidi")
    task = add_task(page, XSS)
    expect(task.get_by_role("heading", level=3)).to_have_text(XSS)
    expect(page.locator("#task-list img")).to_have_count(0)
    page.reload()
    expect(row(page, XSS)).to_have_count(1)
    expect(page.locator("#task-list img")).to_have_count(0)
    row(page, XSS).get_by_role("button", name="Edit").click()
    expect(page.locator("li.task--editing").get_by_label("Title")).to_have_value(XSS)
    settled(page)
    page.keyboard.press("Escape")
    expect(row(page, XSS)).to_have_count(1)
    assert dialogs == []


def test_back_and_forward_restore_a_filtered_view(page: Page) -> None:
    sign_up(page, "ivan")
    add_task(page, "Low chore", priority="Low")
    add_task(page, "Urgent fix", priority="High")
    add_task(page, "Urgent call", priority="High")

    page.get_by_label("Filter by priority").select_option("high")
    expect_query(page, priority="high")
    expect(page.locator("#task-list li.task")).to_have_count(2)
    page.get_by_label("Sort by").select_option(label="Title: A to Z")
    expect_query(page, priority="high", sort="title")
    assert shown_titles(page) == ["Urgent call", "Urgent fix"]
    page.get_by_label("Search").fill("fix")
    expect_query(page, priority="high", q="fix", sort="title")
    expect(page.locator("#task-list li.task")).to_have_count(1)

    page.go_back()
    expect_query(page, priority="high", sort="title")
    expect(page.locator("#task-list li.task")).to_have_count(2)
    expect(page.get_by_label("Search")).to_have_value("")
    expect(page.get_by_label("Sort by")).to_have_value("title")
    settled(page)
    page.go_back()
    expect_query(page, priority="high")
    expect(page.get_by_label("Sort by")).to_have_value("-created_at")
    settled(page)
    page.go_back()
    expect_query(page)
    expect(page.locator("#task-list li.task")).to_have_count(3)
    expect(page.get_by_label("Filter by priority")).to_have_value("")
    settled(page)
    page.go_forward()
    expect_query(page, priority="high")
    expect(page.locator("#task-list li.task")).to_have_count(2)
    expect(page.get_by_label("Filter by priority")).to_have_value("high")

    # A reload, or the same link in a new tab, shows the same view.
    page.goto("/?priority=high&q=fix&sort=title")
    assert shown_titles(page) == ["Urgent fix"]
    expect(page.get_by_label("Search")).to_have_value("fix")


def test_add_and_complete_a_task_with_the_keyboard_only(page: Page) -> None:
    sign_up(page, "judy")
    mark_document(page)
    tab_to(page, page.locator("#add-task").get_by_label("Title"))
    page.keyboard.type("Typed without a mouse")
    page.keyboard.press("Enter")
    expect(row(page, "Typed without a mouse")).to_have_count(1)
    # The fresh form takes the focus back, ready for the next task.
    expect(page.locator("#add-task").get_by_label("Title")).to_be_focused()

    checkbox = page.get_by_role("checkbox", name="Complete Typed without a mouse")
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    expect(row(page, "Typed without a mouse")).to_contain_text("Completed")
    expect(checkbox).to_be_checked()
    expect(checkbox).to_be_focused()  # htmx put the focus back after the swap
    settled(page)

    # Edit opens with the keyboard and Escape cancels it.
    page.keyboard.press("Tab")
    expect(row(page, "Typed without a mouse").get_by_role("button", name="Edit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("li.task--editing").get_by_label("Title")).to_be_focused()
    settled(page)
    page.keyboard.type(" (changed)")
    page.keyboard.press("Escape")
    expect(row(page, "Typed without a mouse")).to_have_count(1)
    expect(row(page, "Typed without a mouse").get_by_role("button", name="Edit")).to_be_focused()
    expect_same_document(page)


def test_the_browser_error_guard_catches_a_csp_violation(
    page: Page, browser_errors: list[str]
) -> None:
    """Proves the guard in conftest can fail: an inline style is refused and reported."""
    page.goto("/login")
    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_timeout(200)
    assert any("Content Security Policy" in error for error in browser_errors), browser_errors
    browser_errors.clear()

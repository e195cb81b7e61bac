"""Live updates: two people on one shared project, each in a browser of their own. What
one does shows on the other's list and board without a reload, while the other's open
edit form keeps its focus and its typed text."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages import Api, add_task, row, sign_up
from tests.e2e.test_accessibility import Check, axe_check  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e


# Resolves with the detail of the page's next refresh by static/live_updates.js.
REFRESHED = """() => { window.refreshed = new Promise((resolve) => document.addEventListener(
  "live-updates:refreshed", (event) => resolve(event.detail), { once: true })); }"""


@pytest.fixture
def quick_polls(live_app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages ask every 250 ms (the least LIVE_UPDATE_MS allows is 200), so the journey
    waits less for each change."""
    monkeypatch.setitem(live_app.config, "LIVE_UPDATE_MS", 250)


def test_one_persons_changes_reach_the_others_list_and_board_without_a_reload(
    page: Page, browser: Browser, base_url: str, axe_check: Check,  # noqa: F811
    quick_polls: None,
) -> None:
    sign_up(page, "ann")
    ann_api = Api(page, "ann")
    project = ann_api.project("Home")["id"]
    ann_api.add("Water the plants", project_id=project)
    other = browser.new_context(base_url=base_url)
    ben = other.new_page()
    sign_up(ben, "ben")
    ann_api.share(project, "ben", "editor")

    # Ann watches the list (in the middle of an edit) and, in another tab, the board.
    board = page.context.new_page()
    board.goto(f"/projects/{project}/board")
    page.goto(f"/projects/{project}")
    row(page, "Water the plants").get_by_role("button", name="Edit").click()
    title = page.locator("[data-task-edit]").get_by_label("Title")
    title.fill("Water the plants and the")
    expect(title).to_be_focused()
    page.evaluate("window.marker = 'not reloaded'")

    ben.goto(f"/projects/{project}")
    add_task(ben, "Buy milk")
    expect(row(page, "Buy milk")).to_be_visible()
    expect(page.locator("#flash")).to_have_text("List updated")
    expect(board.locator(".board-card", has_text="Buy milk")).to_be_visible()

    row(ben, "Buy milk").get_by_role("checkbox", name="Complete Buy milk").check()
    expect(row(page, "Buy milk")).to_have_class("task task--completed")
    expect(board.locator("#column-completed-heading")).to_be_visible()
    completed = board.locator("[data-status='completed']")
    expect(completed.locator(".board-card", has_text="Buy milk")).to_be_visible()

    row(ben, "Buy milk").get_by_role("button", name="Edit").click()
    ben.locator("[data-task-edit]").get_by_label("Title").fill("Buy oat milk")
    ben.locator("[data-task-edit]").get_by_role("button", name="Save").click()
    expect(row(page, "Buy oat milk")).to_be_visible()
    expect(board.locator(".board-card", has_text="Buy oat milk")).to_be_visible()

    # All along, Ann's edit stayed open, focused, with what she typed; no reload.
    expect(title).to_be_focused()
    expect(title).to_have_value("Water the plants and the")
    assert page.evaluate("window.marker") == "not reloaded"
    axe_check("a project's list updated by another person, with an edit form open")

    # Her own change is refreshed like any other, but not announced as news.
    title.fill("Water the plants and the lawn")
    page.locator("#flash").evaluate("(region) => region.replaceChildren()")
    page.evaluate(REFRESHED)
    page.locator("[data-task-edit]").get_by_role("button", name="Save").click()
    expect(row(page, "Water the plants and the lawn")).to_be_visible()
    assert page.evaluate("window.refreshed") == {"announced": False}
    expect(page.locator("#flash")).to_be_empty()
    other.close()

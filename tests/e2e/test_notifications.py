"""The bell and the notifications panel in Chromium: a notification written on the server
changes the bell's count without a reload; the panel marks one read, then all; on a
phone the panel fits the screen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    Api,
    expect_same_document,
    focused_id,
    mark_document,
    register,
    settled,
    sign_up,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def quick_bell(live_app: Flask) -> Iterator[None]:
    """The bell asks every second instead of every 30 (it is read when a page renders)."""
    live_app.config["BELL_POLL_SECONDS"] = 1
    yield
    live_app.config.pop("BELL_POLL_SECONDS", None)


def test_the_bell_counts_what_arrives_and_the_panel_marks_it_read(
        page: Page, quick_bell: None) -> None:
    sign_up(page, "alice")
    bob = register(page, "bob")
    bell = page.locator("#bell")
    expect(bell).to_have_accessible_name("Notifications")
    mark_document(page)

    home = bob.project("Garden")
    bob.share(home["id"], "alice", "editor")  # written on the server, not by this page
    expect(bell).to_have_accessible_name("Notifications, 1 unread")
    expect(bell.locator(".bell__count")).to_have_text("1")
    task = bob.add("Prune the roses", project_id=home["id"])
    alice_id = page.request.get("/api/v1/users/me", headers=Api(page, "alice").headers
                                ).json()["id"]
    bob.change(task["id"], assignee_id=alice_id)
    expect(bell).to_have_accessible_name("Notifications, 2 unread")
    expect_same_document(page)

    bell.click()
    expect(page.get_by_role("heading", level=1, name="Notifications")).to_be_visible()
    panel = page.locator("#notifications")
    expect(panel.get_by_role("heading", name="2 unread")).to_be_visible()
    items = panel.locator("li.notification")
    expect(items.nth(0)).to_contain_text("Bob assigned you “Prune the roses” in Garden")
    expect(items.nth(1)).to_contain_text("Bob shared the project Garden with you")
    expect(items.nth(0).get_by_role("link")).to_have_attribute("href", f"/tasks/{task['id']}")

    items.nth(0).get_by_role("button", name="Mark as read").press("Enter")
    expect(page.locator("#flash")).to_have_text("Marked as read.")
    expect(panel.get_by_role("heading", name="1 unread")).to_be_visible()
    expect(bell).to_have_accessible_name("Notifications, 1 unread")
    assert focused_id(page) == "notifications-heading"
    expect(items.nth(0).get_by_role("button", name="Mark as read")).to_have_count(0)

    panel.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#flash")).to_have_text("Marked all as read.")
    expect(panel.get_by_role("heading", name="All read")).to_be_visible()
    expect(bell).to_have_accessible_name("Notifications")
    settled(page)

    page.set_viewport_size({"width": 375, "height": 740})
    page.reload()
    expect(panel.locator("li.notification")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    items.nth(0).get_by_role("link").click()
    expect(page.get_by_role("heading", level=1, name="Task: Prune the roses")).to_be_visible()

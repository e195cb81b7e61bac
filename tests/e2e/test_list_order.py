"""Journey: a project's list in manual order — drag a row by its handle, move one with
Move up / Move down from the keyboard; the order survives a reload. And axe on it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, row, settled, shown_titles, sign_up
from tests.e2e.test_accessibility import AXE, assert_no_violations
from tests.e2e.test_board import drag

pytestmark = pytest.mark.e2e


def test_reorder_a_projects_list_by_dragging_and_by_keyboard(page: Page) -> None:
    page.add_init_script(path=AXE)
    page.set_viewport_size({"width": 1280, "height": 1200})  # every row in view
    sign_up(page, "lou")
    api = Api(page, "lou")
    project = api.project("Errands")
    for title in ("Post office", "Bakery", "Pharmacy", "Hardware store"):
        api.add(title, project_id=project["id"])
    page.goto(f"/projects/{project['id']}")
    page.get_by_label("Sort by").select_option(label="Manual order")
    expect(page).to_have_url(f"/projects/{project['id']}?sort=position")
    settled(page)
    assert shown_titles(page) == ["Post office", "Bakery", "Pharmacy", "Hardware store"]
    assert_no_violations(page, "a list in manual order")
    # The rows drag once list_order.js has wired SortableJS to the swapped-in list.
    page.wait_for_function(
        "() => Sortable.get(document.querySelector('#task-list ul.tasks')) !== undefined")

    drag(page, row(page, "Hardware store").locator(".task__handle"),
         row(page, "Post office"), above=True, grip="centre")
    expect(page.locator("#flash")).to_contain_text("Moved “Hardware store”.")
    settled(page)
    assert shown_titles(page) == ["Hardware store", "Post office", "Bakery", "Pharmacy"]

    up = row(page, "Pharmacy").get_by_role("button", name="Move up")
    up.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Moved “Pharmacy”.")
    settled(page)
    assert shown_titles(page) == ["Hardware store", "Post office", "Pharmacy", "Bakery"]
    assert row(page, "Pharmacy").evaluate("r => r.contains(document.activeElement)")
    row(page, "Post office").get_by_role("button", name="Move down").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Moved “Post office”.")
    page.reload()
    assert shown_titles(page) == ["Hardware store", "Pharmacy", "Post office", "Bakery"]

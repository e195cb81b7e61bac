"""Journeys of the trash and bulk actions in Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, row, settled, shown_titles, sign_up

pytestmark = pytest.mark.e2e


def test_bulk_complete_ten_tasks(page: Page) -> None:
    sign_up(page, "bulky")
    api = Api(page, "bulky")
    for number in range(11):
        api.add(f"Chore {number:02}")
    page.goto("/?sort=title")
    bar = page.locator("#bulk-actions")
    expect(bar).to_be_hidden()  # nothing selected yet
    row(page, "Chore 00").get_by_label("Select Chore 00").check()
    expect(bar).to_be_visible()
    row(page, "Chore 09").get_by_label("Select Chore 09").click(modifiers=["Shift"])
    expect(page.locator("input.task__select:checked")).to_have_count(10)
    bar.get_by_role("button", name="Complete selected").click()
    expect(page.locator("#flash")).to_contain_text("Completed 10 tasks.")
    settled(page)
    expect(page.locator("li.task.task--completed")).to_have_count(10)
    expect(row(page, "Chore 10")).not_to_have_class("task task--completed")
    stored = page.request.get("/api/v1/tasks?status=completed", headers=api.headers).json()
    assert stored["total"] == 10
    expect(bar).to_be_hidden()  # the new rows are not selected


def test_delete_selected_offers_undo(page: Page) -> None:
    sign_up(page, "undoer")
    api = Api(page, "undoer")
    ids = [api.add(f"Item {n}")["id"] for n in range(3)]
    page.goto("/")
    for n in (0, 1):
        row(page, f"Item {n}").get_by_label(f"Select Item {n}").check()
    page.get_by_role("button", name="Delete selected").click()
    expect(page.locator("#flash")).to_contain_text("Deleted 2 tasks.")
    assert shown_titles(page) == ["Item 2"]
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#flash")).to_contain_text("Restored 2 tasks.")
    for task_id in ids:
        expect(page.locator(f"#task-{task_id}")).to_be_visible()


def test_delete_then_restore_from_the_trash_with_the_same_id(page: Page) -> None:
    sign_up(page, "tidy")
    task_id = Api(page, "tidy").add("Letter to Ann", labels=["post"])["id"]
    page.goto("/")
    row(page, "Letter to Ann").get_by_role("button", name="Delete").click()
    expect(page.locator("#flash")).to_contain_text("Deleted “Letter to Ann”.")
    page.get_by_role("link", name="Trash").click()
    expect(page.get_by_role("heading", level=1, name="Trash")).to_be_visible()
    entry = page.locator(f"#trash-task-{task_id}")
    expect(entry).to_contain_text("Deleted")
    entry.get_by_role("button", name="Restore").click()
    expect(page.locator("#flash")).to_contain_text("Restored “Letter to Ann”.")
    expect(page.get_by_text("The trash is empty.")).to_be_visible()
    page.get_by_role("link", name="All tasks").click()
    restored = page.locator(f"li#task-{task_id}")
    expect(restored).to_contain_text("Letter to Ann")
    expect(restored.get_by_role("link", name="post")).to_be_visible()


def test_undo_right_after_delete_keeps_the_id_and_subtasks(page: Page) -> None:
    sign_up(page, "quick")
    api = Api(page, "quick")
    parent = api.add("Move house")
    steps = [api.add(f"Step {n}", parent_id=parent["id"])["id"] for n in range(2)]
    page.goto("/")
    # The first Delete of the row is its own (its subtasks' rows come after it).
    row(page, "Move house").get_by_role("button", name="Delete").first.click()
    expect(page.locator("#flash")).to_contain_text("Deleted “Move house”.")
    expect(page.locator(f"#task-{parent['id']}")).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#flash")).to_contain_text("Restored “Move house”.")
    back = page.locator(f"li#task-{parent['id']}")
    expect(back).to_be_focused()
    expect(back.locator(".subtasks")).to_contain_text("Step 1")
    for step in steps:
        stored = page.request.get(f"/api/v1/tasks/{step}", headers=api.headers)
        assert stored.status == 200 and stored.json()["parent_id"] == parent["id"]


def test_empty_trash_asks_first(page: Page) -> None:
    sign_up(page, "empty")
    api = Api(page, "empty")
    ids = [api.add(f"Old {n}")["id"] for n in range(2)]
    for task_id in ids:
        assert page.request.delete(f"/api/v1/tasks/{task_id}", headers=api.headers).ok
    page.goto("/trash")
    forever = page.locator(f"#trash-task-{ids[0]}").get_by_role("button", name="Delete forever")
    forever.click()
    dialog = page.get_by_role("dialog", name="Delete this task forever?")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(dialog.locator(":focus")).to_have_count(1)  # the focus stays in the dialog
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(forever).to_be_focused()  # back where it was
    page.get_by_role("button", name="Empty trash").click()
    confirm = page.get_by_role("dialog", name="Empty the trash?")
    expect(confirm).to_be_visible()
    confirm.get_by_role("button", name="Empty trash").click()
    expect(page.locator("#flash")).to_contain_text("The trash is empty.")
    expect(page.get_by_text("The trash is empty.", exact=True).last).to_be_visible()
    for task_id in ids:
        assert page.request.post(f"/api/v1/trash/{task_id}/restore",
                                 headers=api.headers).status == 404

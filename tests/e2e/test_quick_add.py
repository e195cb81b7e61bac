"""Quick add in Chromium: type one line, see what it understood, press Enter."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, focused_id, row, settled, sign_up

pytestmark = pytest.mark.e2e

TEXT = "Pay rent tomorrow 5pm #Home @money !high every month"


def test_quick_add_with_preview(page: Page, browser_errors: list[str]) -> None:
    sign_up(page, "quinn")
    api = Api(page, "quinn")
    home = api.project("Home")
    page.reload()

    # q from anywhere outside a field goes to the box.
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("q")
    box = page.get_by_label("Quick add")
    expect(box).to_be_focused()
    assert focused_id(page) == "quick-add"
    expect(box).to_have_value("")  # the q was not typed into it

    box.press_sequentially(TEXT)
    preview = page.locator("#quick-add-preview")
    chips = preview.get_by_role("listitem")
    expect(chips).to_have_text(["Due: Tomorrow, 17:00", "Project: Home", "Label: money",
                                "Priority: High priority", "Repeats: Every month"])
    expect(preview).to_contain_text("Pay rent")

    box.press("Enter")
    expect(page.locator("#flash")).to_contain_text("Added “Pay rent”.")
    settled(page)
    rent = row(page, "Pay rent")
    expect(rent).to_contain_text("High priority")
    expect(rent).to_contain_text("money")
    expect(rent).to_contain_text("Home")
    expect(page.get_by_label("Quick add")).to_have_value("")
    expect(page.get_by_label("Quick add")).to_be_focused()

    task = api.get(int(rent.get_attribute("id").removeprefix("task-")))
    assert (task["title"], task["priority"], task["project_id"], task["labels"],
            task["recurrence"]) == ("Pay rent", "high", home["id"], ["money"], "FREQ=MONTHLY")
    assert task["due_date"] is not None

    # q typed inside a field stays a letter.
    page.get_by_label("Quick add").fill("")
    page.get_by_label("Quick add").press_sequentially("quiz")
    expect(page.get_by_label("Quick add")).to_have_value("quiz")


def test_quick_add_errors_are_next_to_the_box(page: Page, browser_errors: list[str]) -> None:
    sign_up(page, "rory")
    box = page.get_by_label("Quick add")
    box.press_sequentially("Plan #Nowhere")
    expect(page.locator("#quick-add-preview")).to_contain_text(
        'You have no project called "Nowhere".')
    box.press("Enter")
    errors = page.locator("#quick-add-error")
    expect(errors).to_contain_text('You have no project called "Nowhere".')
    box = page.get_by_label("Quick add")
    expect(box).to_have_value("Plan #Nowhere")
    expect(box).to_have_attribute("aria-invalid", "true")
    expect(box).to_be_focused()
    expect(page.get_by_text("No tasks yet.")).to_be_visible()
    browser_errors.clear()  # the 422 is meant

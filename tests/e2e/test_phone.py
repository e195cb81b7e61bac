"""The tasks page on a phone: the list starts on the first screen, nothing overflows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, add_task, more_options, row, sign_up

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.mark.browser_context_args(viewport=PHONE)
def test_on_a_phone_the_first_task_is_on_the_first_screen(page: Page) -> None:
    sign_up(page, "yann")
    api = Api(page, "yann")
    for number in range(5):
        api.add(f"Errand {number}", description="Two short lines\nof description",
                due_date="2030-01-02T17:00:00Z", priority="high")
    page.reload()
    first = page.locator("#task-list li.task").first
    expect(first).to_be_in_viewport(ratio=1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The add control is compact, and the other fields are a tap away.
    add = page.locator("#add-task")
    expect(add.get_by_label("Title")).to_be_in_viewport()
    expect(add.get_by_label("Priority")).to_be_hidden()
    more_options(page)
    add_task(page, "From the phone", priority="Low")
    expect(row(page, "From the phone")).to_contain_text("Low priority")

"""A repeating task in Chromium: made with the Repeat field, completed, back with its
next date, and the completion in its activity."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import more_options, row, settled, sign_up

pytestmark = pytest.mark.e2e


def test_a_daily_task_comes_back_tomorrow_and_its_activity_says_why(
    page: Page, server_clock
) -> None:
    server_clock(datetime(2030, 1, 3, 12, 0, tzinfo=UTC))  # a Thursday
    sign_up(page, "rita")
    form = page.locator("#add-task")
    form.get_by_label("Title").fill("Water plants")
    more_options(page)
    form.get_by_label("Due date").fill("2030-01-03")
    custom_rule = form.get_by_label("Custom rule")
    expect(custom_rule).to_be_hidden()  # only for "Custom…"
    form.get_by_label("Repeat").select_option(label="Custom…")
    expect(custom_rule).to_be_focused()
    form.get_by_label("Repeat").select_option(label="Daily")
    expect(custom_rule).to_be_hidden()
    form.get_by_role("button", name="Add task").click()
    expect(page.locator("#flash")).to_contain_text("Added “Water plants”.")
    settled(page)
    task = row(page, "Water plants")
    expect(task.locator(".task__repeat")).to_have_text(re.compile(r"Repeats:\s*Every day"))
    expect(task.locator(".due")).to_contain_text("today")

    task.get_by_role("checkbox", name="Complete Water plants").check()
    settled(page)
    task = row(page, "Water plants")
    expect(task.locator(".due")).to_contain_text("tomorrow")
    expect(task.locator(".due__exact")).to_have_text("(Fri 4 Jan 2030)")
    expect(task.get_by_role("checkbox", name="Complete Water plants")).not_to_be_checked()

    task.get_by_role("button", name="Edit").click()
    editing = page.locator("li.task--editing")
    expect(editing.get_by_label("Repeat")).to_have_value("daily")
    editing.get_by_text("Activity", exact=True).click()
    items = editing.locator(".activity li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("You completed it; it repeats, next due Fri 4 Jan 2030")
    expect(items.first.locator("time")).to_have_attribute("datetime",
                                                          "2030-01-03T12:00:00+00:00")
    expect(items.last).to_contain_text("You created it")

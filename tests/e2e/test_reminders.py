"""The "Remind me" journey in Chromium: add reminders from a preset and a custom time,
see the bell on the row, remove one with the keyboard, and read back what is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, row, settled, sign_up

pytestmark = pytest.mark.e2e


def test_remind_me_presets_custom_time_and_remove(page: Page) -> None:
    sign_up(page, "remy")
    api = Api(page, "remy")
    due = date.today() + timedelta(days=2)
    task = api.add("Renew the passport")
    page.goto("/")
    task_row = row(page, "Renew the passport")
    task_row.get_by_role("button", name="Edit").click()
    form = page.locator("li.task--editing")
    preset = form.get_by_label("Remind me")
    # Without a due date, the presets that count from it are not offered.
    expect(form.get_by_text("Set a due date to be reminded relative to it")).to_be_visible()
    expect(preset.locator("option", has_text="1 hour before")).to_be_disabled()
    expect(form.get_by_label("Custom time")).to_be_hidden()
    form.get_by_label("Due date").fill(due.isoformat())
    form.get_by_label("Due time").fill("09:00")
    expect(preset.locator("option", has_text="1 hour before")).to_be_enabled()
    preset.select_option(label="1 hour before")
    form.get_by_role("button", name="Save").click()
    settled(page)
    expect(task_row.get_by_text("1 upcoming reminder")).to_be_attached()

    # A custom time, typed and saved with the keyboard alone.
    task_row.get_by_role("button", name="Edit").click()
    form = page.locator("li.task--editing")
    expect(form.get_by_role("button", name="Remove the reminder of")).to_have_count(1)
    form.get_by_label("Remind me").select_option(label="Custom time")
    custom = form.get_by_label("Custom time")
    custom.fill(f"{due - timedelta(days=1)}T18:30")
    custom.press("Enter")
    settled(page)
    expect(task_row.get_by_text("2 upcoming reminders")).to_be_attached()
    stored = api.get(task["id"])["reminders"]
    assert stored == [f"{due - timedelta(days=1)}T18:30:00+00:00", f"{due}T08:00:00+00:00"]

    # Remove one: it leaves the list at once (announced), and is gone once saved.
    task_row.get_by_role("button", name="Edit").click()
    form = page.locator("li.task--editing")
    remove = form.get_by_role("button", name="Remove the reminder of").first
    remove.focus()
    page.keyboard.press("Enter")
    expect(form.get_by_role("button", name="Remove the reminder of")).to_have_count(1)
    expect(page.locator("#flash")).to_contain_text("removed. Save to keep the change.")
    expect(form.get_by_role("button", name="Remove the reminder of")).to_be_focused()
    form.get_by_role("button", name="Save").click()
    settled(page)
    expect(task_row.get_by_text("1 upcoming reminder")).to_be_attached()
    assert api.get(task["id"])["reminders"] == [f"{due}T08:00:00+00:00"]

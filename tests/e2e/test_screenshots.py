"""Screenshots of the tasks page, light and dark, wide and phone, saved under
test-artifacts/ (ignored by git). docs/screenshot-tasks.png, shown in the README, is a
copy of tasks-light-wide.png refreshed by hand when the page changes."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import add_task, row, sign_up

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
VIEWPORTS = {"wide": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None
    return box


def test_tasks_page_light_and_dark_wide_and_phone(page: Page) -> None:
    sign_up(page, "kim")
    today = date.today()
    add_task(page, "Renew passport", priority="High", due=(today - timedelta(days=3)).isoformat())
    add_task(page, "Book dentist appointment", priority="Medium",
             due=(today + timedelta(days=2)).isoformat(),
             description="Ask about the Tuesday slot")
    add_task(page, "Water the plants", priority="Low")
    add_task(page, "Send the quarterly report", priority="High",
             due=(today + timedelta(days=9)).isoformat())
    row(page, "Water the plants").get_by_role("checkbox").check()
    expect(row(page, "Water the plants")).to_contain_text("Completed")
    expect(row(page, "Renew passport")).to_contain_text("Overdue")
    page.goto("/")  # no status message in the pictures

    ARTIFACTS.mkdir(exist_ok=True)
    backgrounds = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        backgrounds[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            add, listing = _box(page, "#add-task"), _box(page, "#task-list")
            if name == "wide":  # the form beside the list
                assert add["x"] + add["width"] <= listing["x"]
            else:  # the form above the list, nothing wider than the screen
                assert add["y"] + add["height"] <= listing["y"]
                assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            page.screenshot(path=ARTIFACTS / f"tasks-{scheme}-{name}.png", full_page=True)
    assert backgrounds["light"] != backgrounds["dark"]


"""Screenshots of the tasks page, of a project's page, of Today, of a board and of the
Quick add preview, light and dark, wide and phone, saved under test-artifacts/ (ignored
by git). docs/screenshot-tasks.png, shown in the README, is a copy of
tasks-light-wide.png, docs/screenshot-projects.png of
projects-light-wide.png, docs/screenshot-today.png of today-light-wide.png,
docs/screenshot-board.png of board-light-wide.png and docs/screenshot-quick-add.png of
quick-add-light-wide.png, refreshed by hand when the pages change."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages import Api, add_task, row, sign_up

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
    row(page, "Water the plants").get_by_role("checkbox", name="Complete Water the plants").check()
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



def test_project_page_with_the_sidebar_and_the_share_dialog(
    page: Page, browser: Browser, base_url: str
) -> None:
    """The page of a shared project, alone and with its Share dialog open, light and dark,
    wide and phone. docs/screenshot-projects.png is a copy of projects-light-wide.png."""
    other = browser.new_context(base_url=base_url)
    sign_up(other.new_page(), "marco")
    other.close()
    sign_up(page, "lena")
    api = Api(page, "lena")
    home = api.project("Home", color="#2da44e")
    api.project("Work", color="#2f5bd3")
    api.share(home["id"], "marco", "editor")
    today = date.today()
    paint = api.add("Paint the hallway", project_id=home["id"], labels=["diy", "home"],
                    priority="high", due_date=(today + timedelta(days=3)).isoformat())
    for title, done in (("Choose the colour", True), ("Buy brushes", False),
                        ("Cover the floor", False)):
        api.add(title, project_id=home["id"], parent_id=paint["id"],
                status="completed" if done else "todo")
    api.add("Fix the tap", project_id=home["id"], labels=["home"], assignee_id=1)
    api.add("Water the plants", project_id=home["id"], labels=["garden"], priority="low")
    api.add("Send the quarterly report", labels=["work"])

    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.goto(f"/projects/{home['id']}")
            paint_row = row(page, "Paint the hallway")
            paint_row.scroll_into_view_if_needed()  # its subtasks load as it comes into view
            expect(paint_row.get_by_role("link", name="Buy brushes")).to_be_visible()
            expect(paint_row.locator(".subtasks__progress")).to_contain_text("1/3")
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            page.screenshot(path=ARTIFACTS / f"project-{scheme}-{name}.png", full_page=True)
            page.get_by_role("button", name="Share", exact=True).click()
            expect(page.locator("#share-dialog")).to_be_visible()
            page.evaluate("document.activeElement.blur()")
            page.screenshot(path=ARTIFACTS / f"projects-{scheme}-{name}.png")


def test_today_page_light_and_dark_wide_and_phone(page: Page) -> None:
    """Today with overdue tasks and today's, light and dark, wide and phone.
    docs/screenshot-today.png is a copy of today-light-wide.png."""
    sign_up(page, "noor")
    api = Api(page, "noor")
    home = api.project("Home", color="#2da44e")
    work = api.project("Work", color="#2f5bd3")
    today = date.today()
    api.add("Renew passport", priority="high", due_date=(today - timedelta(days=3)).isoformat())
    api.add("Send the quarterly report", project_id=work["id"], priority="high",
            due_date=f"{today}T16:00:00Z", labels=["work"])
    api.add("Pay the rent", due_date=today.isoformat(), labels=["money"])
    api.add("Water the plants", project_id=home["id"], priority="low",
            due_date=today.isoformat(), description="The big ones by the window first")
    api.add("Book dentist appointment", due_date=(today + timedelta(days=1)).isoformat())

    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.goto("/today")
            expect(page.get_by_role("heading", level=1, name="Today")).to_be_visible()
            expect(row(page, "Renew passport")).to_contain_text("Overdue")
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            page.screenshot(path=ARTIFACTS / f"today-{scheme}-{name}.png", full_page=True)


def test_board_light_and_dark_wide_and_phone(page: Page) -> None:
    """A project's board. docs/screenshot-board.png is a copy of board-light-wide.png."""
    sign_up(page, "nina")
    api = Api(page, "nina")
    launch = api.project("Launch", color="#2f5bd3")
    today = date.today()
    logo = api.add("Draw the logo", project_id=launch["id"], labels=["design"],
                   priority="high", due_date=(today + timedelta(days=2)).isoformat())
    for title, done in (("Sketches", True), ("Pick colours", False)):
        api.add(title, project_id=launch["id"], parent_id=logo["id"],
                status="completed" if done else "todo")
    api.add("Write the announcement", project_id=launch["id"], labels=["copy"])
    api.add("Order the banners", project_id=launch["id"], priority="low",
            due_date=(today + timedelta(days=9)).isoformat())
    api.add("Book the venue", project_id=launch["id"], status="in_progress",
            assignee_id=1, priority="high", labels=["venue"])
    api.add("Confirm the caterer", project_id=launch["id"], status="in_progress")
    api.add("Choose a date", project_id=launch["id"], status="completed")
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.goto(f"/projects/{launch['id']}/board")
            expect(page.get_by_role("button", name="Move", exact=True)).to_have_count(6)
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            page.screenshot(path=ARTIFACTS / f"board-{scheme}-{name}.png", full_page=True)


def test_quick_add_preview_light_and_dark_wide_and_phone(page: Page) -> None:
    """The Quick add box with the chips of what it understood, before Enter.
    docs/screenshot-quick-add.png is a copy of quick-add-light-wide.png."""
    sign_up(page, "quinn")
    api = Api(page, "quinn")
    api.project("Home", color="#2da44e")
    api.add("Water the plants", due_date=date.today().isoformat())
    ARTIFACTS.mkdir(exist_ok=True)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for name, size in VIEWPORTS.items():
            page.set_viewport_size(size)
            page.goto("/")
            box = page.get_by_label("Quick add")
            box.press_sequentially("Pay rent friday 5pm #Home @money !high every month")
            chips = page.locator("#quick-add-preview").get_by_role("listitem")
            expect(chips).to_have_count(5)
            assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
            page.screenshot(path=ARTIFACTS / f"quick-add-{scheme}-{name}.png")

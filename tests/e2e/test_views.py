"""Today and Upcoming around midnight in a zone east of UTC, with the server's clock
frozen: what each view holds before and after local midnight, completing and re-dating
a task in place, the sidebar links, reload and back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from taskweb.domain.dates import utc_instant
from tests.e2e.pages import Api, row, settled, sign_up

pytestmark = pytest.mark.e2e

TOKYO = "Asia/Tokyo"  # UTC+9: 23:50 on 1 January is 14:50 UTC, 00:10 on the 2nd 15:10


def tokyo(day: date, at: time | None = None) -> str:
    """The instant of ``day`` (at ``at``) in Tokyo, as the API takes it."""
    return utc_instant(day, at, ZoneInfo(TOKYO)).isoformat()


def titles_under(page: Page, heading_id: str) -> list[str]:
    return page.locator(f"section[aria-labelledby='{heading_id}'] li.task h3").all_inner_texts()


def sidebar_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Projects").get_by_role("link", name=name)


@pytest.mark.browser_context_args(timezone_id=TOKYO)
def test_today_and_upcoming_around_midnight_in_tokyo(
    page: Page, server_clock: Callable[[datetime], None]
) -> None:
    server_clock(utc_instant(date(2030, 1, 1), time(23, 50), ZoneInfo(TOKYO)))
    sign_up(page, "hana")
    api = Api(page, "hana")
    api.add("File taxes", due_date=tokyo(date(2029, 12, 30)), priority="high")
    api.add("Pay rent", due_date=tokyo(date(2030, 1, 1)))
    api.add("Call mum", due_date=tokyo(date(2030, 1, 1), time(23, 55)))
    api.add("See the dentist", due_date=tokyo(date(2030, 1, 2)))
    api.add("Go on holiday", due_date=tokyo(date(2030, 1, 5)))
    api.add("Some day")
    page.reload()

    # Today, at 23:50 on 1 January in Tokyo (already the afternoon in UTC).
    sidebar_link(page, "Today").click()
    expect(page).to_have_url("/today")
    expect(page.get_by_role("heading", level=1, name="Today")).to_be_visible()
    expect(page.locator(".agenda__date")).to_have_text("Tuesday 1 January 2030")
    assert titles_under(page, "group-overdue") == ["File taxes"]
    assert titles_under(page, "group-today") == ["Pay rent", "Call mum"]
    expect(page.locator("#task-count")).to_have_text("3 tasks: 1 overdue, 2 due today")
    expect(sidebar_link(page, "Today")).to_have_attribute("aria-current", "page")
    expect(sidebar_link(page, "Today")).to_have_accessible_name("Today, 3 open tasks")

    # Completing a task takes it out of Today, in place, and says so.
    row(page, "Pay rent").get_by_role("checkbox", name="Complete Pay rent").check()
    expect(row(page, "Pay rent")).to_have_count(0)
    expect(page.locator("#flash")).to_contain_text("Completed “Pay rent”.")
    expect(page.locator("#task-count")).to_have_text("2 tasks: 1 overdue, 1 due today")
    expect(sidebar_link(page, "Today")).to_have_accessible_name("Today, 2 open tasks")
    settled(page)
    assert page.evaluate("document.activeElement !== document.body")

    # Upcoming: overdue first, then the fortnight by day, quiet days folded.
    sidebar_link(page, "Upcoming").click()
    expect(page).to_have_url("/upcoming")
    expect(page.get_by_role("heading", level=1, name="Upcoming")).to_be_visible()
    assert titles_under(page, "group-overdue") == ["File taxes"]
    assert titles_under(page, "day-2030-01-01") == ["Call mum"]
    expect(page.get_by_role("heading", level=2, name="Tomorrow")).to_be_visible()
    assert titles_under(page, "day-2030-01-02") == ["See the dentist"]
    expect(page.get_by_text("Thu 3 Jan – Fri 4 Jan: nothing due")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Saturday 5 January")).to_be_visible()
    expect(page.get_by_text("Sun 6 Jan – Mon 14 Jan: nothing due")).to_be_visible()
    expect(page.get_by_text("Some day")).to_have_count(0)

    # Midnight passes in Tokyo: yesterday's tasks are overdue, the dentist is today.
    server_clock(utc_instant(date(2030, 1, 2), time(0, 10), ZoneInfo(TOKYO)))
    page.go_back()
    expect(page).to_have_url("/today")
    page.reload()
    expect(page.locator(".agenda__date")).to_have_text("Wednesday 2 January 2030")
    assert titles_under(page, "group-overdue") == ["File taxes", "Call mum"]
    assert titles_under(page, "group-today") == ["See the dentist"]

    # Re-dated to later in the week with the keyboard, the task leaves Today.
    dentist = row(page, "See the dentist")
    dentist.get_by_role("button", name="Edit").focus()
    page.keyboard.press("Enter")
    editor = page.locator("li.task--editing")
    editor.get_by_label("Due date").fill("2030-01-04")
    editor.get_by_label("Due date").press("Enter")
    expect(row(page, "See the dentist")).to_have_count(0)
    expect(page.locator("#flash")).to_contain_text("Saved “See the dentist”.")
    expect(page.get_by_role("heading", level=2, name="Due today")).to_have_count(0)
    page.go_forward()
    expect(page).to_have_url("/upcoming")
    expect(page.get_by_role("heading", level=2, name="Friday 4 January")).to_be_visible()
    assert titles_under(page, "day-2030-01-04") == ["See the dentist"]


@pytest.mark.browser_context_args(timezone_id=TOKYO)
def test_assigned_to_me_and_a_label_are_views_with_their_own_heading(page: Page) -> None:
    sign_up(page, "ines")
    api = Api(page, "ines")
    api.add("Mine", assignee_id=1, labels=["garden"])
    api.add("Nobody's")
    page.reload()
    sidebar_link(page, "Assigned to me").click()
    expect(page.get_by_role("heading", level=1, name="Assigned to me")).to_be_visible()
    expect(page).to_have_title("Assigned to me · taskweb")
    expect(page.locator("#task-list li.task")).to_have_count(1)
    sidebar_link(page, "garden").click()
    expect(page.get_by_role("heading", level=1, name="Label: garden")).to_be_visible()
    expect(page.locator("#task-list li.task h3")).to_have_text(["Mine"])
    page.go_back()
    expect(page.get_by_role("heading", level=1, name="Assigned to me")).to_be_visible()

"""Due dates in a browser whose time zone is not UTC: "today" is the person's today, and
editing a task never loses the time of its due date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, add_task, row, settled, sign_up

pytestmark = pytest.mark.e2e

# A zone whose calendar day differs from UTC's while the test runs: 14 hours ahead in
# the second half of the UTC day, 12 hours behind in the first.
ZONE = "Pacific/Kiritimati" if datetime.now(UTC).hour >= 12 else "Etc/GMT+12"


def stored_due(api: Api, task_id: int) -> datetime:
    return datetime.fromisoformat(api.get(task_id)["due_date"])


@pytest.mark.browser_context_args(timezone_id=ZONE)
def test_today_is_the_browsers_today(page: Page) -> None:
    sign_up(page, "olga")
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == ZONE
    local_now = datetime.now(ZoneInfo(ZONE))
    today = local_now.date()

    task = add_task(page, "Due today", due=today.isoformat())
    expect(task).to_contain_text("Due today")
    expect(task).not_to_contain_text("Overdue")
    add_task(page, "Due tomorrow", due=(today + timedelta(days=1)).isoformat())
    expect(row(page, "Due tomorrow")).to_contain_text("Due tomorrow")
    yesterday = add_task(page, "Due yesterday", due=(today - timedelta(days=1)).isoformat())
    expect(yesterday).to_contain_text("Overdue · Due yesterday")

    # A full page load agrees (the zone comes from the cookie app.js keeps).
    page.reload()
    expect(row(page, "Due today")).to_contain_text("Due today")
    expect(row(page, "Due today")).not_to_contain_text("Overdue")
    exact = f"{today:%a} {today.day} {today:%b %Y}"
    expect(row(page, "Due today")).to_contain_text(f"({exact})")

    # The edit form shows the date as it was picked, with no time.
    row(page, "Due today").get_by_role("button", name="Edit").click()
    editor = page.locator("li.task--editing")
    expect(editor.get_by_label("Due date")).to_have_value(today.isoformat())
    expect(editor.get_by_label("Due time")).to_have_value("")


@pytest.mark.browser_context_args(timezone_id="America/New_York")
def test_a_title_only_edit_keeps_a_due_time_set_through_the_api(page: Page) -> None:
    sign_up(page, "pablo")
    api = Api(page, "pablo")
    task = api.add("Send the report", due_date="2030-05-06T17:00:30Z")
    page.reload()
    report = row(page, "Send the report")
    expect(report).to_contain_text("(Mon 6 May 2030, 13:00)")  # New York summer time

    report.get_by_role("button", name="Edit").click()
    editor = page.locator("li.task--editing")
    expect(editor.get_by_label("Due date")).to_have_value("2030-05-06")
    expect(editor.get_by_label("Due time")).to_have_value("13:00")
    editor.get_by_label("Title").fill("Send the final report")
    editor.get_by_role("button", name="Save").click()
    expect(row(page, "Send the final report")).to_contain_text("(Mon 6 May 2030, 13:00)")
    assert stored_due(api, task["id"]) == datetime(2030, 5, 6, 17, 0, 30, tzinfo=UTC)
    settled(page)

    # A new time, typed in New York, is stored as the instant it names.
    row(page, "Send the final report").get_by_role("button", name="Edit").click()
    editor = page.locator("li.task--editing")
    editor.get_by_label("Due time").fill("09:30")
    editor.get_by_role("button", name="Save").click()
    expect(row(page, "Send the final report")).to_contain_text(re.compile(r"6 May 2030, 09:30"))
    assert stored_due(api, task["id"]) == datetime(2030, 5, 6, 13, 30, tzinfo=UTC)


@pytest.mark.browser_context_args(timezone_id="Asia/Tokyo")
def test_a_first_visit_without_the_zone_cookie_is_shown_in_the_browsers_zone(
    page: Page,
) -> None:
    sign_up(page, "quentin")
    api = Api(page, "quentin")
    api.add("Catch the train", due_date="2030-05-06T17:00:00Z")
    # A profile still on the default zone (as every account made before zones could be
    # chosen), whose pages follow the browser's zone.
    api.request.put("/api/v1/users/me", headers=api.headers, data={"time_zone": "UTC"})
    page.context.clear_cookies(name="tz")  # as on a first visit with a remembered login
    page.goto("/")
    # Rendered in UTC, then loaded once more in Tokyo's zone by app.js.
    expect(row(page, "Catch the train")).to_contain_text("(Tue 7 May 2030, 02:00)")
    assert page.evaluate("sessionStorage.getItem('tz-reloaded')") == "Asia/Tokyo"
    page.reload()
    expect(row(page, "Catch the train")).to_contain_text("(Tue 7 May 2030, 02:00)")


@pytest.mark.browser_context_args(timezone_id="Asia/Tokyo")
def test_sign_up_saves_the_browsers_zone_and_pages_need_no_second_load(page: Page) -> None:
    sign_up(page, "rosa")
    api = Api(page, "rosa")
    response = api.request.get("/api/v1/users/me", headers=api.headers)
    assert response.json()["time_zone"] == "Asia/Tokyo"
    api.add("Catch the train", due_date="2030-05-06T17:00:00Z")
    page.context.clear_cookies(name="tz")
    page.goto("/")
    expect(row(page, "Catch the train")).to_contain_text("(Tue 7 May 2030, 02:00)")
    assert page.evaluate("sessionStorage.getItem('tz-reloaded')") is None
    # The profile shows it, and offers every zone to search.
    page.goto("/profile")
    expect(page.get_by_label("Time zone")).to_have_value("Asia/Tokyo")
    page.get_by_label("Time zone").fill("Europe/Lisbon")
    page.locator("#profile-form").get_by_role("button", name="Save").click()
    expect(page.locator("#profile-form").get_by_role("status")).to_contain_text("Profile saved.")
    page.goto("/")
    expect(row(page, "Catch the train")).to_contain_text("(Mon 6 May 2030, 18:00)")

"""The list as a keyboard and screen reader user meets it: where the focus goes after a
swap, what is announced, and a list that agrees with its filters and its title."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    Api,
    add_task,
    expect_query,
    focused_id,
    more_options,
    row,
    settled,
    shown_titles,
    sign_up,
)

pytestmark = pytest.mark.e2e


def add_many(page: Page, username: str, count: int) -> Api:
    api = Api(page, username)
    for number in range(count):
        api.add(f"Task {number:02d}")
    page.reload()
    return api


def scroll_y(page: Page) -> float:
    return page.evaluate("window.scrollY")


def test_delete_far_down_keeps_the_place_and_focuses_the_next_row(page: Page) -> None:
    sign_up(page, "quinn")
    add_many(page, "quinn", 20)
    page.set_viewport_size({"width": 1280, "height": 600})
    # Newest first: "Task 04" is the 16th row of 20, well below the first screen.
    doomed, following = row(page, "Task 04"), row(page, "Task 03")
    delete = doomed.get_by_role("button", name="Delete")
    delete.focus()
    before = scroll_y(page)
    assert before > 300
    page.keyboard.press("Enter")
    expect(doomed).to_have_count(0)
    settled(page)
    expect(following).to_be_focused()
    assert abs(scroll_y(page) - before) < 200, "the page jumped"
    expect(page.locator("#flash")).to_contain_text("Deleted “Task 04”.")
    # Undo is in sight while the list is scrolled (it sticks to the top of the window).
    expect(page.get_by_role("button", name="Undo")).to_be_in_viewport()

    page.get_by_role("button", name="Undo").click()
    expect(row(page, "Task 04")).to_have_count(1)
    settled(page)
    expect(row(page, "Task 04")).to_be_focused()  # the restored row


def test_deleting_the_last_row_focuses_the_one_before(page: Page) -> None:
    sign_up(page, "rhea")
    add_task(page, "First")
    add_task(page, "Second")
    row(page, "First").get_by_role("button", name="Delete").click()  # the last row
    expect(row(page, "First")).to_have_count(0)
    settled(page)
    expect(row(page, "Second")).to_be_focused()
    row(page, "Second").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("No tasks yet.")).to_be_visible()
    settled(page)
    expect(page.get_by_role("heading", name="Your tasks")).to_be_focused()


def test_next_and_previous_focus_the_list_heading(page: Page) -> None:
    sign_up(page, "sam")
    add_many(page, "sam", 25)
    next_link = page.get_by_role("link", name="Next")
    next_link.focus()
    page.keyboard.press("Enter")
    expect_query(page, page="2")
    settled(page)
    heading = page.get_by_role("heading", name="Your tasks")
    expect(heading).to_be_focused()
    expect(heading).to_be_in_viewport()
    page.keyboard.press("Tab")  # on from the top of the list, not from the bottom
    assert focused_id(page) == "filter-q"

    page.get_by_role("link", name="Previous").click()
    expect_query(page)
    settled(page)
    expect(heading).to_be_focused()


def test_a_failed_submit_focuses_the_first_field_in_error(
    page: Page, browser_errors: list[str]
) -> None:
    sign_up(page, "tara")
    form = page.locator("#add-task")
    form.get_by_label("Title").fill("Renew passport")
    more_options(page)
    form.get_by_label("Due date").fill("1800-01-01")
    form.get_by_role("button", name="Add task").click()
    expect(form.get_by_text("Year must be between")).to_be_visible()
    settled(page)
    expect(page.locator("#add-task").get_by_label("Due date")).to_be_focused()
    assert focused_id(page) == "new-due_date"
    # Chromium logs every 4xx answer; this 422 is the one the form was meant to get.
    expected = ("console: Failed to load resource: the server responded with a status of"
                " 422 (UNPROCESSABLE ENTITY)")
    assert browser_errors == [expected]
    browser_errors.clear()


def test_search_results_are_announced_in_a_live_region(page: Page) -> None:
    sign_up(page, "uma")
    for title in ("Buy milk", "Buy bread", "Call mum"):
        add_task(page, title)
    expect(page.locator("#task-count")).to_have_text("3 tasks")
    # The region stays in the page while the list changes, so it is announced.
    page.evaluate("document.getElementById('task-count').dataset.original = 'yes'")
    page.get_by_label("Search").fill("buy")
    expect(page.locator("#task-count")).to_have_text("2 tasks matching the filters")
    page.get_by_label("Search").fill("nothing at all")
    expect(page.locator("#task-count")).to_have_text("0 tasks matching the filters")
    assert page.evaluate("document.getElementById('task-count').dataset.original") == "yes"
    expect(page.locator("#task-count")).to_have_attribute("role", "status")


def test_unticking_under_completed_takes_the_task_off_the_list(page: Page) -> None:
    sign_up(page, "vera")
    for title in ("Done one", "Done two", "Open one"):
        add_task(page, title)
    for title in ("Done one", "Done two"):
        row(page, title).get_by_role("checkbox", name=f"Complete {title}").check()
        expect(row(page, title)).to_contain_text("Completed")
        settled(page)
    page.get_by_label("Filter by status").select_option("completed")
    expect_query(page, status="completed")
    expect(page.locator("#task-count")).to_have_text("2 tasks matching the filters")
    settled(page)
    row(page, "Done two").get_by_role("checkbox", name="Complete Done two").uncheck()
    expect(row(page, "Done two")).to_have_count(0)
    expect(page.locator("#task-count")).to_have_text("1 task matching the filters")
    assert shown_titles(page) == ["Done one"]
    settled(page)
    expect(row(page, "Done one")).to_be_focused()


def test_the_title_is_the_same_before_and_after_a_reload(page: Page) -> None:
    sign_up(page, "wes")
    add_many(page, "wes", 25)
    page.get_by_label("Filter by priority").select_option("medium")
    expect_query(page, priority="medium")
    expect(page).to_have_title("Tasks (filtered) · taskweb")
    page.get_by_role("link", name="Next").click()
    expect_query(page, priority="medium", page="2")
    swapped = "Tasks (filtered), page 2 · taskweb"
    expect(page).to_have_title(swapped)
    page.reload()
    expect(page).to_have_title(swapped)
    page.go_back()
    expect(page).to_have_title(re.compile(r"^Tasks \(filtered\) · taskweb$"))


def test_a_long_description_opens_and_closes_without_script(page: Page) -> None:
    sign_up(page, "xena")
    api = Api(page, "xena")
    api.add("Long read", description="All work and no play. " * 400)
    page.reload()
    task = row(page, "Long read")
    box = task.bounding_box()
    assert box is not None and box["height"] < 260
    task.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(task.get_by_text("Show less")).to_be_visible()
    expand = task.bounding_box()
    assert expand is not None and expand["height"] > 1000
    task.get_by_text("Show less").click()
    expect(task.get_by_text("Show the whole description")).to_be_visible()

"""The filter language in Chromium: type a filter in the search box and see the list;
a malformed one says what was expected and where, next to the box, and the list stays;
save it as a filter, open it from the sidebar, rename it, delete it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, settled, shown_titles, sidebar, sign_up

pytestmark = pytest.mark.e2e


def test_type_a_filter_save_it_open_it_from_the_sidebar_and_delete_it(
    page: Page, browser_errors: list[str]
) -> None:
    sign_up(page, "fay")
    api = Api(page, "fay")
    api.add("Buy milk", priority="high", labels=["errand"])
    api.add("Call mum", priority="low")
    api.add("File taxes", priority="high", status="completed")
    page.goto("/")
    search = page.get_by_label("Search")

    search.fill("priority:high -status:completed")
    expect(page.locator("#task-count")).to_have_text("1 task matching the filters")
    assert shown_titles(page) == ["Buy milk"]

    # A malformed filter: the message stands under the box, the list stays as it was.
    search.fill("priority:high (label:errand")
    message = page.locator("#filter-q-error")
    expect(message).to_have_text(
        "Expected ')' at character 27 (to close the '(' at character 14).")
    expect(search).to_have_attribute("aria-describedby", "filter-q-error")
    assert shown_titles(page) == ["Buy milk"]
    search.fill("priority:high (label:errand OR milk)")
    expect(message).to_be_empty()
    settled(page)
    assert shown_titles(page) == ["Buy milk"]

    # Save it: the filter's own page opens, and the sidebar lists it under "Filters".
    page.get_by_text("Save as filter").click()
    page.get_by_label("Filter name").fill("Errands")
    page.get_by_role("button", name="Save filter").click()
    expect(page.get_by_role("heading", level=1, name="Errands")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/filters/\d+$"))
    expect(page.locator("#flash")).to_contain_text("Saved the filter “Errands”.")
    filter_url = page.url
    assert shown_titles(page) == ["Buy milk"]
    page.goto("/")
    filters = sidebar(page).get_by_role("list", name="Filters")
    filters.get_by_role("link", name="Errands").click()
    expect(page.get_by_role("heading", level=1, name="Errands")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name="Errands")).to_have_attribute(
        "aria-current", "page")
    assert page.url == filter_url

    # Rename it in place.
    page.get_by_text("Rename", exact=True).click()
    page.get_by_label("New name").fill("Shopping")
    page.get_by_role("button", name="Save name").click()
    expect(page.get_by_role("heading", level=1, name="Shopping")).to_be_visible()

    # Delete it, after the question; Cancel first keeps it.
    page.get_by_role("button", name="Delete filter").click()
    dialog = page.get_by_role("dialog", name="Delete the filter “Shopping”?")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_role("button", name="Delete filter").click()
    dialog.get_by_role("button", name="Delete “Shopping”").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()
    expect(page.locator("#flash")).to_contain_text("Deleted the filter “Shopping”.")
    expect(sidebar(page).get_by_role("link", name="Shopping")).to_have_count(0)
    browser_errors.clear()  # Chromium logs the 422 the malformed filter was meant to get

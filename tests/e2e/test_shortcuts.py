"""The task list's keyboard shortcuts (static/shortcuts.js) and their "Keyboard
shortcuts" dialog, driven the way a keyboard user drives them."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import (
    Api,
    expect_url,
    focused_id,
    row,
    settled,
    shown_titles,
    sign_up,
)

pytestmark = pytest.mark.e2e


def add_tasks(page: Page, *titles: str) -> list[str]:
    """Add the tasks through the API, open the list, and return the titles as shown."""
    api = Api(page, "kim")
    for title in titles:
        api.add(title)
    page.goto("/")
    shown = shown_titles(page)
    assert sorted(shown) == sorted(titles)
    return shown


def focus_in_dialog(page: Page) -> bool:
    return page.evaluate("document.activeElement.closest('dialog[open]') !== null")


def test_j_and_k_move_the_focus_from_row_to_row(page: Page) -> None:
    sign_up(page, "kim")
    first, second, third = add_tasks(page, "Water the plants", "Call the bank", "Buy bread")

    page.keyboard.press("j")
    expect(row(page, first)).to_be_focused()
    page.keyboard.press("j")
    expect(row(page, second)).to_be_focused()
    page.keyboard.press("j")
    page.keyboard.press("j")  # past the last row: the focus stays on it
    expect(row(page, third)).to_be_focused()
    page.keyboard.press("k")
    expect(row(page, second)).to_be_focused()
    # The focused row is marked for the eye, not only for a screen reader.
    outline = row(page, second).evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"

    # With a modifier held, the key is the browser's or the system's, not ours.
    page.keyboard.press("Alt+j")
    page.keyboard.press("Shift+J")
    expect(row(page, second)).to_be_focused()

    # From a control inside a row, j goes on from that row.
    row(page, first).get_by_role("button", name="Edit").focus()
    page.keyboard.press("j")
    expect(row(page, second)).to_be_focused()


def test_c_completes_e_edits_and_hash_or_delete_deletes(page: Page,
                                                        browser_errors: list[str]) -> None:
    sign_up(page, "kim")
    first, second, third, fourth = add_tasks(
        page, "Renew passport", "Book the dentist", "Read the manual", "Fix the tap")

    page.keyboard.press("j")
    page.keyboard.press("c")
    expect(row(page, first)).to_contain_text("Completed")
    expect(page.get_by_role("checkbox", name=f"Complete {first}")).to_be_checked()
    settled(page)

    page.keyboard.press("j")
    expect(row(page, second)).to_be_focused()
    page.keyboard.press("e")
    editing = page.locator("li.task--editing")
    expect(editing.get_by_label("Title")).to_be_focused()
    expect(editing.get_by_label("Title")).to_have_value(second)
    # Typing in the form types: e, j, c and # are letters of the title here.
    page.keyboard.press("End")
    page.keyboard.type(" - ejc#")
    expect(editing.get_by_label("Title")).to_have_value(f"{second} - ejc#")
    page.keyboard.press("Escape")  # cancels the edit, as its Cancel button does
    expect(page.locator("li.task--editing")).to_have_count(0)
    expect(row(page, second).get_by_role("button", name="Edit")).to_be_focused()
    settled(page)

    # `#` deletes the row with the focus; the next row takes the focus.
    page.keyboard.press("#")
    expect(row(page, second)).to_have_count(0)
    expect(page.locator("#flash")).to_contain_text(second)
    expect(row(page, third)).to_be_focused()
    settled(page)
    # And so does the Delete key; the last row's place is taken by the one before it.
    page.keyboard.press("j")
    expect(row(page, fourth)).to_be_focused()
    page.keyboard.press("Delete")
    expect(row(page, fourth)).to_have_count(0)
    expect(row(page, third)).to_be_focused()
    assert shown_titles(page) == [first, third]
    browser_errors.clear()


def test_slash_focuses_the_search_where_keys_type(page: Page) -> None:
    sign_up(page, "kim")
    first, _second = add_tasks(page, "Pay the rent", "Book a train")
    page.keyboard.press("j")
    expect(row(page, first)).to_be_focused()

    page.keyboard.press("/")
    search = page.get_by_label("Search")
    expect(search).to_be_focused()
    expect(search).to_have_value("")  # the slash itself is not typed
    page.keyboard.type("jk")
    expect(search).to_have_value("jk")
    expect(search).to_be_focused()
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()


def test_question_mark_opens_the_dialog_and_escape_gives_the_focus_back(page: Page) -> None:
    sign_up(page, "kim")
    first, second = add_tasks(page, "Pay the rent", "Book a train")
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(row(page, second)).to_be_focused()

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_focused()
    table = dialog.get_by_role("table")
    for keys, action in (("j", "Next task"), ("k", "Previous task"), ("x", "Select"),
                         ("c", "Complete"), ("e", "Edit"), ("# or Delete", "Delete"),
                         ("q", "Quick add"), ("/", "Search"), ("g then t", "Today"),
                         ("g then u", "Upcoming"), ("?", "Show these shortcuts")):
        expect(table.get_by_role("row").filter(
            has=page.get_by_role("cell", name=keys, exact=True))).to_contain_text(action)

    # The focus stays in the dialog, and the list behind it takes no shortcut.
    for _ in range(4):
        page.keyboard.press("Tab")
        assert focus_in_dialog(page)
    page.keyboard.press("j")
    assert focus_in_dialog(page)

    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(row(page, second)).to_be_focused()
    page.keyboard.press("k")
    expect(row(page, first)).to_be_focused()

    # The visible button opens the same dialog; Close gives the focus back to it.
    opener = page.get_by_role("button", name="Keyboard shortcuts")
    opener.click()
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(opener).to_be_focused()


def test_g_then_t_or_u_goes_to_today_or_upcoming(page: Page) -> None:
    sign_up(page, "kim")
    page.goto("/")
    page.keyboard.press("g")
    page.keyboard.press("t")
    expect_url(page, r"/today$")
    expect(page.get_by_role("heading", level=1, name="Today")).to_be_visible()
    page.wait_for_load_state("load")  # the shortcuts are listening again
    page.keyboard.press("g")
    page.keyboard.press("u")
    expect_url(page, r"/upcoming$")
    expect(page.get_by_role("heading", level=1, name="Upcoming")).to_be_visible()
    page.wait_for_load_state("load")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    page.keyboard.press("Escape")
    page.goto("/")
    # t alone, or u long after g, goes nowhere.
    page.keyboard.press("t")
    page.keyboard.press("g")
    page.wait_for_timeout(1600)
    page.keyboard.press("u")
    page.wait_for_timeout(300)
    expect(page).to_have_url(re.compile(r"/$"))
    assert focused_id(page) in ("BODY", "main")


def test_x_selects_and_unselects_the_focused_row(page: Page) -> None:
    sign_up(page, "lee")
    api = Api(page, "lee")
    for title in ("Pay the rent", "Book a train", "Call mum"):
        api.add(title)
    page.goto("/")
    first, second, _third = shown_titles(page)

    page.keyboard.press("j")
    page.keyboard.press("x")
    selection = row(page, first).locator("input.task__select")
    expect(selection).to_be_checked()
    expect(row(page, first)).to_be_focused()  # x leaves the focus where it was
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(row(page, second).locator("input.task__select")).to_be_checked()
    page.keyboard.press("k")
    page.keyboard.press("x")
    expect(selection).not_to_be_checked()
    expect(row(page, second).locator("input.task__select")).to_be_checked()
    # With selected tasks, the bulk buttons are there to act on them.
    expect(page.get_by_role("button", name="Complete selected")).to_be_visible()


def test_q_focuses_quick_add_where_keys_type(page: Page) -> None:
    sign_up(page, "lee")
    page.goto("/")
    page.keyboard.press("q")
    quick_add = page.get_by_label("Quick add")
    expect(quick_add).to_be_focused()
    expect(page.locator("#quick-add")).to_be_focused()
    expect(quick_add).to_have_value("")  # the q itself is not typed
    page.keyboard.type("quick jog")
    expect(quick_add).to_have_value("quick jog")
    expect(quick_add).to_be_focused()

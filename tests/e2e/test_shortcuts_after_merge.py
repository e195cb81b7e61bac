"""The shortcuts whose targets other parts of the issue build: `x` (the row's selection
checkbox, input.task__select), `q` (the "Quick add" box, #quick-add) and `g t` /
`g u` (the Today and Upcoming views). They pass once those parts are merged."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, row, shown_titles, sign_up

pytestmark = pytest.mark.e2e


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
    page.keyboard.press("q")
    quick_add = page.get_by_label("Quick add")
    expect(quick_add).to_be_focused()
    expect(page.locator("#quick-add")).to_be_focused()
    expect(quick_add).to_have_value("")  # the q itself is not typed
    page.keyboard.type("quick jog")
    expect(quick_add).to_have_value("quick jog")
    expect(quick_add).to_be_focused()


def test_g_t_and_g_u_open_today_and_upcoming(page: Page) -> None:
    sign_up(page, "lee")
    page.keyboard.press("g")
    page.keyboard.press("t")
    expect(page.get_by_role("heading", level=1, name="Today")).to_be_visible()
    page.keyboard.press("g")
    page.keyboard.press("u")
    expect(page.get_by_role("heading", level=1, name="Upcoming")).to_be_visible()
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()

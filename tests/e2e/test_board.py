"""Journeys on a project's board: drag a card across columns with the mouse, move one
by keyboard (the Move menu and Alt+arrow keys), the order after a reload and for
another member, and a viewer's read-only board."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.pages import Api, focused_id, settled, sign_up

pytestmark = pytest.mark.e2e


def column(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name)


def titles(page: Page, name: str) -> list[str]:
    return column(page, name).locator(".board-card h3").all_inner_texts()


def card(page: Page, title: str) -> Locator:
    heading = page.get_by_role("heading", level=3, name=title, exact=True)
    return page.locator("li.board-card").filter(has=heading)


def log_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()


def drag(page: Page, source: Locator, target: Locator, *, above: bool = True,
         grip: str = "corner") -> None:
    """Press on the card's empty corner (or the middle of a handle: ``grip="centre"``),
    move in steps (SortableJS listens to pointer events) and release over the upper or
    lower half of ``target``."""
    start = source.bounding_box()
    end = target.bounding_box()
    assert start and end
    if grip == "centre":
        x, y0 = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    else:
        x, y0 = start["x"] + start["width"] - 8, start["y"] + 8
    page.mouse.move(x, y0)
    page.mouse.down()
    page.mouse.move(x - 4, y0 + 6, steps=4)
    y = end["y"] + (end["height"] * (0.15 if above else 0.85))
    page.mouse.move(end["x"] + end["width"] / 2, y, steps=20)
    # The last nudge keeps going the way the card went: a nudge back could make
    # SortableJS put it on the other side of the target.
    page.mouse.move(end["x"] + end["width"] / 2, y + (-1 if above else 1), steps=2)
    # Without native drag events SortableJS reads the pointer on a 50 ms timer: rest
    # there before releasing, as a hand does, so the drop is where the pointer stopped.
    page.wait_for_timeout(150)
    page.mouse.up()


@pytest.fixture
def board(page: Page) -> dict:
    """Ada's project "Launch" with three cards to do and one in progress; Ben edits it."""
    sign_up(page, "ben")
    page.context.clear_cookies()
    sign_up(page, "ada")
    api = Api(page, "ada")
    project = api.project("Launch")
    api.share(project["id"], "ben", "editor")
    for title in ("Write copy", "Draw logo", "Book venue"):
        api.add(title, project_id=project["id"], labels=["launch"])
    api.add("Call printer", project_id=project["id"], status="in_progress", priority="high")
    page.goto(f"/projects/{project['id']}")
    page.get_by_role("link", name="Board", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Launch")).to_be_visible()
    settled(page)
    return project


def test_drag_a_card_across_columns_and_within_one(page: Page, browser: Browser,
                                                    base_url: str, board: dict) -> None:
    drag(page, card(page, "Draw logo"), card(page, "Call printer"), above=True)
    expect(page.locator("#flash")).to_contain_text("Moved “Draw logo” to In progress: card 1 of 2.")
    settled(page)
    assert titles(page, "In progress") == ["Draw logo", "Call printer"]
    assert titles(page, "To do") == ["Write copy", "Book venue"]
    drag(page, card(page, "Book venue"), card(page, "Write copy"), above=True)
    expect(page.locator("#flash")).to_contain_text("Moved “Book venue” to To do: card 1 of 2.")
    settled(page)
    # Into the empty column.
    drag(page, card(page, "Write copy"), column(page, "Completed").locator("ol"))
    expect(page.locator("#flash")).to_contain_text("Moved “Write copy” to Completed")
    page.reload()
    assert titles(page, "To do") == ["Book venue"]
    assert titles(page, "In progress") == ["Draw logo", "Call printer"]
    assert titles(page, "Completed") == ["Write copy"]
    # Ben sees the same order.
    other = browser.new_context(base_url=base_url)
    ben = other.new_page()
    log_in(ben, "ben")
    ben.goto(f"/projects/{board['id']}/board")
    assert titles(ben, "In progress") == ["Draw logo", "Call printer"]
    assert titles(ben, "Completed") == ["Write copy"]
    other.close()


def test_move_a_card_by_keyboard(page: Page, board: dict) -> None:
    move = card(page, "Book venue").get_by_role("button", name="Move", exact=True)
    move.focus()
    page.keyboard.press("Enter")
    expect(move).to_have_attribute("aria-expanded", "true")
    menu = card(page, "Book venue").locator(".board-card__moves")
    expect(menu.get_by_role("button", name="Move up")).to_be_focused()
    page.keyboard.press("Escape")
    expect(move).to_be_focused()
    expect(menu).to_be_hidden()
    page.keyboard.press("Enter")
    menu.get_by_role("button", name="Move to In progress").click()
    expect(page.locator("#flash")).to_contain_text("Moved “Book venue” to In progress: card 2 of 2.")
    settled(page)
    assert titles(page, "In progress") == ["Call printer", "Book venue"]
    moved = card(page, "Book venue").get_by_role("button", name="Move", exact=True)
    expect(moved).to_be_focused()
    # Alt+Up: one place up; Alt+Left: back to To do (last there).
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#flash")).to_contain_text("Moved “Book venue” to In progress: card 1 of 2.")
    settled(page)
    assert titles(page, "In progress") == ["Book venue", "Call printer"]
    assert focused_id(page) == moved.get_attribute("id")
    page.keyboard.press("Alt+ArrowLeft")
    expect(page.locator("#flash")).to_contain_text("Moved “Book venue” to To do: card 3 of 3.")
    settled(page)
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#flash")).to_contain_text("already at the bottom")
    page.reload()
    assert titles(page, "To do") == ["Write copy", "Draw logo", "Book venue"]


def test_a_viewer_sees_a_read_only_board(page: Page, board: dict) -> None:
    api = Api(page, "ada")
    api.share_role(board["id"], 1, "viewer")  # ben, who signed up first
    page.context.clear_cookies()
    log_in(page, "ben")
    page.goto(f"/projects/{board['id']}/board")
    expect(page.get_by_text("You can read this board")).to_be_visible()
    expect(page.get_by_role("button", name="Move", exact=True)).to_have_count(0)
    before = titles(page, "To do")
    drag(page, card(page, "Write copy"), card(page, "Book venue"), above=False)
    page.reload()
    assert titles(page, "To do") == before

"""Every dialog of the app is a modal <dialog>: it takes the focus, keeps it while open
(Tab goes round its controls; the page behind is inert) and gives it back to the
button that opened it, whether closed by Escape, its own button or a click outside."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.pages import Api, sidebar, sign_up

pytestmark = pytest.mark.e2e


def expect_focus_kept_in(page: Page, dialog: Locator, presses: int = 12) -> None:
    for key in ("Tab", "Shift+Tab"):
        for _ in range(presses):
            page.keyboard.press(key)
            assert dialog.evaluate("dialog => dialog.contains(document.activeElement)"), (
                f"{key} took the focus out of the dialog")


def test_project_dialogs_keep_the_focus_and_give_it_back(page: Page) -> None:
    sign_up(page, "nia")
    home = Api(page, "nia").project("Home")
    page.goto(f"/projects/{home['id']}")

    share_button = page.get_by_role("button", name="Share", exact=True)
    share_button.click()
    share = page.get_by_role("dialog", name="Share “Home”")
    expect(share.get_by_label("Username or email")).to_be_focused()
    expect_focus_kept_in(page, share)
    # Modal, so the page behind is inert (a popover would leave it live).
    assert share.evaluate("dialog => dialog.matches(':modal')")
    page.keyboard.press("Escape")
    expect(share).to_be_hidden()
    expect(share_button).to_be_focused()

    # Its Close button, and a click outside, close it too.
    share_button.click()
    share.get_by_role("button", name="Close").click()
    expect(share).to_be_hidden()
    expect(share_button).to_be_focused()
    share_button.click()
    expect(share).to_be_visible()
    page.mouse.click(5, 5)
    expect(share).to_be_hidden()
    expect(share_button).to_be_focused()

    delete_button = page.get_by_role("button", name="Delete project")
    delete_button.click()
    question = page.get_by_role("dialog", name=re.compile("^Delete “Home”"))
    expect(question.get_by_role("button", name="Cancel")).to_be_focused()
    expect_focus_kept_in(page, question, presses=4)
    question.get_by_role("button", name="Cancel").click()
    expect(question).to_be_hidden()
    expect(delete_button).to_be_focused()

    new_button = sidebar(page).get_by_role("button", name="New project")
    new_button.click()
    dialog = page.get_by_role("dialog", name="New project")
    expect(dialog.get_by_label("Name")).to_be_focused()
    expect_focus_kept_in(page, dialog)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(new_button).to_be_focused()


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844})
def test_new_project_from_the_drawer_on_a_phone(page: Page) -> None:
    sign_up(page, "oli")
    page.get_by_role("button", name="Projects").click()
    sidebar(page).get_by_role("button", name="New project").click()
    dialog = page.get_by_role("dialog", name="New project")
    expect(dialog.get_by_label("Name")).to_be_focused()
    dialog.get_by_label("Name").fill("Garden")
    dialog.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1, name="Garden")).to_be_visible()

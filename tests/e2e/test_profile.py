"""The profile journey: details and password change in place, other sessions signed out."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import PASSWORD
from tests.e2e.pages import expect_same_document, mark_document, settled, sign_up

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a brand new passphrase"


def test_change_details_and_password_signs_out_other_sessions(
    page: Page, browser: Browser, base_url: str, browser_errors: list[str]
) -> None:
    sign_up(page, "robin")
    other = browser.new_context(base_url=base_url).new_page()
    other.goto("/login")
    other.get_by_label("Email").fill("robin@example.com")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    expect(other.get_by_role("heading", level=1, name="Tasks")).to_be_visible()

    page.get_by_role("link", name="Profile").click()
    expect(page).to_have_title("Profile · taskweb")
    mark_document(page)
    details = page.locator("#profile-form")
    details.get_by_label("Full name").fill("Robin Hood")
    details.get_by_label("Username").fill("robin.hood")
    details.get_by_role("button", name="Save").click()
    expect(details.get_by_role("status")).to_contain_text("Profile saved.")
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("robin.hood")
    settled(page)

    password = page.locator("#password-form")
    password.get_by_label("Current password").fill("not my password")
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_text("The current password is not correct.")).to_be_visible()
    # Chromium logs every 4xx answer; this 403 is the one the form was meant to get.
    assert browser_errors == [
        "console: Failed to load resource: the server responded with a status of 403 (FORBIDDEN)"
    ]
    browser_errors.clear()
    password.get_by_label("Current password").fill(PASSWORD)
    password.get_by_label("New password").fill(NEW_PASSWORD)
    password.get_by_role("button", name="Change password").click()
    expect(password.get_by_role("status")).to_contain_text("Password changed.")
    expect_same_document(page)

    # This browser stays signed in; the other one is sent to the login page.
    page.get_by_role("link", name="Tasks").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()
    other.reload()
    expect(other.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    other.context.close()

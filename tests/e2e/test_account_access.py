"""Journeys of the account's own doors: a forgotten password through a real SMTP server
in the test process, and the calendar feed from the profile page."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from tests.e2e.pages import Api, log_out, settled, sign_up
from tests.mail_server import MailServer, text_part

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "a brand new passphrase"
LINK_RE = re.compile(r"https?://\S+(/reset-password/[A-Za-z0-9_-]+)")


@pytest.fixture
def live_mail(live_app: Flask, _mail_server: MailServer) -> Iterator[MailServer]:
    """The live server's e-mails go to the SMTP server in the test process."""
    _mail_server.start()
    _mail_server.clear()
    state = live_app.extensions["mailman"]
    saved = (state.backend, state.server, state.port)
    state.backend, state.server, state.port = "smtp", _mail_server.host, _mail_server.port
    yield _mail_server
    state.backend, state.server, state.port = saved


def reset_path(mail: MailServer, email: str) -> str:
    messages = mail.to(email)
    assert len(messages) == 1
    match = LINK_RE.search(text_part(messages[0]))
    assert match, "no reset link in the e-mail"
    return match.group(1)


def test_forgot_password_then_sign_in_with_the_new_one(page: Page, live_mail: MailServer
                                                       ) -> None:
    sign_up(page, "alice")
    log_out(page)
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("Alice@Example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("status").filter(
        has_text="If an account exists for that address")).to_be_visible()

    page.goto(reset_path(live_mail, "alice@example.com"))
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_label("New password again").press("Enter")
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()

    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()


def test_the_calendar_feed_from_the_profile(page: Page, base_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    sign_up(page, "carol")
    Api(page, "carol").add("Dentist", due_date="2026-12-01T09:00:00Z")
    page.goto("/profile")
    section = page.locator("#calendar-feed")
    section.get_by_role("button", name="Turn on the calendar feed").click()
    address = section.get_by_label("Feed address")
    expect(address).to_have_value(re.compile(r"/calendar/[A-Za-z0-9_-]+\.ics$"))
    first = address.input_value()
    with urllib.request.urlopen(first) as answer:  # our own test server
        assert b"SUMMARY:Dentist" in answer.read()

    section.get_by_role("button", name="Copy").click()
    expect(page.locator("#flash")).to_contain_text("copied to the clipboard")
    assert page.evaluate("navigator.clipboard.readText()") == first

    section.get_by_role("button", name="Get a new address").click()
    dialog = page.get_by_role("dialog", name="Get a new address?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Get a new address").click()
    expect(page.locator("#flash")).to_contain_text("new address")
    settled(page)
    expect(address).not_to_have_value(first)
    with pytest.raises(urllib.error.HTTPError) as gone:
        urllib.request.urlopen(first)
    assert gone.value.code == 404

    page.locator("#calendar-feed").get_by_role("button", name="Turn off").click()
    expect(page.locator("#calendar-feed")).to_contain_text("The feed is off.")
    expect(page.locator("#flash")).to_contain_text("Your calendar feed is off")

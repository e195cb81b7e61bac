"""A personal access token from the profile: create with two scopes, copy it (announced),
see it listed as never used, revoke it after the confirm dialog, and it is gone."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.pages import settled, sign_up

pytestmark = pytest.mark.e2e

SECRET = re.compile(r"^tw_pat_[A-Za-z0-9_-]{43}$")


def api_status(base_url: str, secret: str) -> int:
    request = urllib.request.Request(f"{base_url}/api/v1/tasks",
                                     headers={"Authorization": f"Bearer {secret}"})
    try:
        with urllib.request.urlopen(request) as answer:  # our own test server
            json.load(answer)
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


def test_create_copy_and_revoke_a_token(page: Page, base_url: str) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    sign_up(page, "tokyo")
    page.goto("/profile")
    section = page.locator("#personal-tokens")
    expect(section).to_contain_text("You have no tokens.")
    section.get_by_label("Name").fill("backup script")
    section.get_by_label("tasks:read").check()
    section.get_by_label("projects:read").check()
    section.get_by_role("button", name="Create token").click()

    secret_field = section.get_by_label("Your new token")
    expect(secret_field).to_have_value(SECRET)
    expect(secret_field).to_be_focused()
    expect(section).to_contain_text("you will not see it again")
    secret = secret_field.input_value()
    section.get_by_role("button", name="Copy").click()
    expect(page.locator("#flash")).to_contain_text("The token is copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()") == secret

    listed = section.get_by_role("listitem").filter(has_text="backup script")
    expect(listed).to_contain_text("tasks:read, projects:read")
    expect(listed).to_contain_text("Never used")
    assert api_status(base_url, secret) == 200

    settled(page)
    listed.get_by_role("button", name="Revoke").click()
    dialog = page.get_by_role("dialog", name="Revoke this token?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Revoke").click()
    expect(page.locator("#flash")).to_contain_text("Token revoked")
    expect(section).to_contain_text("You have no tokens.")
    expect(section.get_by_role("heading", name="Your tokens")).to_be_focused()
    expect(section.get_by_label("Your new token")).to_have_count(0)
    assert api_status(base_url, secret) == 401


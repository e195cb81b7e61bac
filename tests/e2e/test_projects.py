"""Projects in the browser: two people sharing one, roles that change what each sees,
labels as chips, subtasks in place, and the sidebar as a drawer on a phone."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.pages import (
    add_task,
    csrf_token_of,
    more_options,
    new_project,
    open_share,
    row,
    settled,
    sidebar,
    sign_up,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def test_two_people_share_a_project_and_roles_change_what_each_may_do(
    page: Page, browser: Browser, base_url: str, browser_errors: list[str]
) -> None:
    # A (ann) makes a project and shares it with B (ben) as an editor.
    other = browser.new_context(base_url=base_url)
    ben = other.new_page()
    sign_up(ben, "ben")
    sign_up(page, "ann")
    new_project(page, "Home")
    project_url = page.url
    share = open_share(page)
    share.get_by_label("Username or email").fill("ben")
    share.get_by_label("Role", exact=True).select_option("editor")
    share.get_by_role("button", name="Invite").click()
    expect(share.get_by_role("status")).to_contain_text("Added ben as an editor.")
    expect(share.get_by_role("list", name="Members")).to_contain_text("ben")
    settled(page)
    page.keyboard.press("Escape")
    expect(share).to_be_hidden()

    # B sees it in the sidebar, marked as shared, and adds a task to it.
    ben.reload()
    shared = sidebar(ben).get_by_role("link", name=re.compile(r"^Home, shared"))
    expect(shared).to_be_visible()
    shared.click()
    expect(ben.get_by_role("heading", level=1, name="Home")).to_be_visible()
    expect(sidebar(ben).get_by_role("link", name=re.compile("^Home"))).to_have_attribute(
        "aria-current", "page")
    add_task(ben, "Fix the tap")
    task_id = row(ben, "Fix the tap").get_attribute("id").removeprefix("task-")

    # A sees B's task after a reload.
    page.reload()
    expect(row(page, "Fix the tap")).to_be_visible()

    # A makes B a viewer: B's edit controls are gone, and a forged edit gets 403.
    share = open_share(page)
    share.get_by_label("Role of ben").select_option("viewer")
    share.get_by_role("button", name="Change role").click()
    expect(share.get_by_role("status")).to_contain_text("ben is now a viewer.")
    settled(page)
    page.keyboard.press("Escape")

    ben.reload()
    tap = row(ben, "Fix the tap")
    expect(tap).to_be_visible()
    expect(ben.locator("#add-task")).to_have_count(0)
    expect(tap.get_by_role("button")).to_have_count(0)
    expect(tap.get_by_role("checkbox")).to_have_count(0)
    expect(ben.get_by_text("You can read this project’s tasks")).to_be_visible()
    token = csrf_token_of(ben)
    forged = ben.request.post(f"/tasks/{task_id}", headers={"X-CSRFToken": token},
                              form={"title": "Mine now", "version": "1"})
    assert forged.status == 403
    completed = ben.request.post(f"/tasks/{task_id}/complete",
                                 headers={"X-CSRFToken": token, "HX-Request": "true"},
                                 form={"completed": "1"})
    assert completed.status == 403
    assert "only view" in completed.text()

    # A removes B: B's next request for that project's task is a 404.
    share = open_share(page)
    share.get_by_role("button", name="Remove").click()
    expect(share.get_by_role("status")).to_contain_text("Removed ben from the project.")
    expect(share.get_by_role("list", name="Members")).not_to_contain_text("ben")
    response = ben.goto(f"/tasks/{task_id}")
    assert response is not None and response.status == 404
    expect(ben.get_by_text("Fix the tap")).to_have_count(0)
    ben.goto(project_url)
    expect(ben.get_by_role("heading", level=1, name="Not Found")).to_be_visible()
    expect(sidebar(ben).get_by_role("link", name=re.compile("^Home"))).to_have_count(0)
    other.close()
    browser_errors.clear()  # Chromium logs the 403 and 404 answers the steps were meant to get


def test_labels_as_chips_subtasks_in_place_and_filtering_by_a_chip(page: Page) -> None:
    sign_up(page, "cleo")
    more_options(page)
    page.locator("#add-task").get_by_label("Labels").fill("home, diy")
    paint = add_task(page, "Buy paint")
    expect(paint.get_by_role("list", name="Labels")).to_have_text(re.compile("home.*diy", re.DOTALL))
    more_options(page)
    page.locator("#add-task").get_by_label("Labels").fill("Home")
    add_task(page, "Call the plumber")
    add_task(page, "Read a book")
    expect(sidebar(page).get_by_role("link", name="home, 2 open tasks")).to_be_visible()

    # Subtasks are added in place, each with its own checkbox, under a "2/5"-style count.
    paint = row(page, "Buy paint")
    paint.get_by_role("button", name="Add subtask").click()
    paint.get_by_label("New subtask").fill("Choose the colour")
    paint.get_by_role("button", name="Add", exact=True).click()
    expect(paint.get_by_role("link", name="Choose the colour")).to_be_visible()
    expect(paint.get_by_label("New subtask")).to_be_focused()
    settled(page)
    page.keyboard.type("Buy brushes")
    page.keyboard.press("Enter")
    expect(paint.get_by_role("link", name="Buy brushes")).to_be_visible()
    expect(paint.locator(".subtasks__progress")).to_contain_text("0/2")
    settled(page)
    paint.get_by_role("checkbox", name="Complete Choose the colour").check()
    expect(paint.locator(".subtasks__progress")).to_contain_text("1/2")
    settled(page)

    # After a reload the subtasks are still under their task, with their progress.
    page.reload()
    paint = row(page, "Buy paint")
    expect(paint.get_by_role("checkbox", name="Complete Choose the colour")).to_be_checked()
    expect(paint.locator(".subtasks__progress")).to_contain_text("1/2")

    # A chip is a link to the tasks that carry its label.
    paint.get_by_role("link", name="home").click()
    expect(page).to_have_url(re.compile(r"/\?label=home$"))
    expect(page.get_by_role("heading", level=1, name="Label: home")).to_be_visible()
    expect(page.locator("#task-list li.task")).to_have_count(2)
    expect(sidebar(page).get_by_role("link", name=re.compile("^home"))).to_have_attribute(
        "aria-current", "page")
    # Filters on top keep the label.
    page.get_by_label("Filter by priority").select_option("high")
    expect(page).to_have_url(re.compile(r"/\?label=home&priority=high$"))


def test_the_task_form_puts_a_task_into_a_project_and_the_sidebar_counts_it(page: Page) -> None:
    sign_up(page, "dora")
    new_project(page, "Garden")
    page.goto("/")
    more_options(page)
    page.locator("#add-task").get_by_label("Project").select_option(label="Garden")
    add_task(page, "Plant tulips")
    expect(row(page, "Plant tulips")).to_contain_text("in Garden")
    expect(sidebar(page).get_by_role("link", name="Garden, 1 open task")).to_be_visible()
    sidebar(page).get_by_role("link", name=re.compile("^Garden")).click()
    expect(page.get_by_role("heading", level=1, name="Garden")).to_be_visible()
    add_task(page, "Mow the lawn")
    expect(sidebar(page).get_by_role("link", name="Garden, 2 open tasks")).to_be_visible()
    row(page, "Mow the lawn").get_by_role("checkbox", name="Complete Mow the lawn").check()
    expect(sidebar(page).get_by_role("link", name="Garden, 1 open task")).to_be_visible()


def test_an_owner_renames_archives_and_deletes_a_project_after_a_question(page: Page) -> None:
    sign_up(page, "eve")
    new_project(page, "Chores")
    add_task(page, "Sweep")
    add_task(page, "Dust")
    settings = page.locator("#project-settings")
    settings.get_by_label("Name").fill("House chores")
    settings.get_by_label("Colour").select_option(label="Green")
    settings.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", level=1, name="House chores")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name=re.compile("^House chores"))).to_be_visible()

    page.get_by_role("button", name="Archive project").click()
    expect(page.locator("#flash")).to_contain_text("Archived “House chores”")
    expect(page.locator("#add-task")).to_have_count(0)
    page.get_by_role("button", name="Unarchive project").click()
    expect(page.locator("#add-task")).to_be_visible()

    page.get_by_role("button", name="Delete project").click()
    question = page.get_by_role("dialog", name="Delete “House chores” and its 2 tasks?")
    expect(question).to_be_visible()
    expect(question.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Escape")
    expect(question).to_be_hidden()
    page.get_by_role("button", name="Delete project").click()
    question.get_by_role("button", name="Delete “House chores”").click()
    expect(page.locator("#flash")).to_contain_text("Deleted “House chores” and its 2 tasks.")
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()
    expect(sidebar(page).get_by_role("link", name=re.compile("^House chores"))).to_have_count(0)


def test_the_inbox_has_no_share_rename_or_delete(page: Page) -> None:
    sign_up(page, "finn")
    sidebar(page).get_by_role("link", name=re.compile("^Inbox")).click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    expect(page.get_by_role("button", name="Share", exact=True)).to_have_count(0)
    expect(page.locator("#project-settings")).to_have_count(0)
    expect(page.get_by_role("button", name="Delete project")).to_have_count(0)
    add_task(page, "Straight into the Inbox")


@pytest.mark.browser_context_args(viewport=PHONE)
def test_on_a_phone_the_sidebar_is_a_drawer_that_escape_closes(page: Page) -> None:
    sign_up(page, "gus")
    drawer = sidebar(page)
    expect(drawer).to_be_hidden()
    button = page.get_by_role("button", name="Projects")
    button.click()
    expect(drawer).to_be_visible()
    expect(drawer.get_by_role("link", name=re.compile("^Inbox"))).to_be_visible()
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    # The drawer's links work, and it opens again with the keyboard.
    button.focus()
    page.keyboard.press("Enter")
    expect(drawer).to_be_visible()
    drawer.get_by_role("link", name=re.compile("^Inbox")).click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    expect(drawer).to_be_hidden()

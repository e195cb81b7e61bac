"""Steps that the end-to-end tests share, written the way a person uses the app."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

from tests.conftest import PASSWORD


def sign_up(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/signup")
    page.get_by_label("Email").fill(f"{username}@example.com")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Full name").fill(username.title())
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()
    # The heading can show before the deferred scripts have run: wait for them (htmx
    # must have wired the page up before a test types into it).
    page.wait_for_load_state("load")


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", level=1, name="Log in")).to_be_visible()


def add_task(page: Page, title: str, priority: str | None = None,
             due: str | None = None, description: str | None = None,
             due_time: str | None = None) -> Locator:
    form = page.locator("#add-task")
    form.get_by_label("Title").fill(title)
    if description or priority or due or due_time:
        more_options(page)
    if description:
        form.get_by_label("Description").fill(description)
    if priority:
        form.get_by_label("Priority").select_option(label=priority)
    if due:
        form.get_by_label("Due date").fill(due)
    if due_time:
        form.get_by_label("Due time").fill(due_time)
    form.get_by_role("button", name="Add task").click()
    expect(page.locator("#flash")).to_contain_text(f"Added “{title}”.")
    settled(page)
    return row(page, title)


def more_options(page: Page) -> None:
    """Open the add form's "More options" (description, priority, due date and time)."""
    more = page.locator("#add-task details")
    if more.get_attribute("open") is None:
        more.locator("summary").click()
    expect(more.get_by_label("Priority")).to_be_visible()


def settled(page: Page) -> None:
    """Wait until htmx has finished a swap and wired up the new content.

    Until then a new button is a plain form button, and a very fast keyboard or
    script would submit it the old-fashioned way.
    """
    busy = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"
    expect(page.locator(busy)).to_have_count(0)


def row(page: Page, title: str) -> Locator:
    """The list item of the task with exactly this title."""
    heading = page.get_by_role("heading", level=3, name=title, exact=True)
    return page.locator("li.task").filter(has=heading)


def shown_titles(page: Page) -> list[str]:
    return page.locator("#task-list li.task h3").all_inner_texts()


def mark_document(page: Page) -> None:
    """Leave a mark on the window: it survives only while the document is not reloaded."""
    page.evaluate("window.__sameDocument = 'yes'")


def expect_same_document(page: Page) -> None:
    assert page.evaluate("window.__sameDocument") == "yes", "the page was reloaded"


def expect_url(page: Page, pattern: str) -> None:
    expect(page).to_have_url(re.compile(pattern))


def expect_query(page: Page, /, **params: str) -> None:
    """Wait until the URL is the tasks page with exactly these parameters (any order)."""
    if not params:
        expect_url(page, r"^[^?]*/$")
        return
    lookaheads = "".join(
        rf"(?=(?:.*&)?{re.escape(name)}={re.escape(value)}(?:&|$))"
        for name, value in params.items()
    )
    expect_url(page, rf"^[^?]*/\?{lookaheads}[^&]*(?:&[^&]*){{{len(params) - 1}}}$")


def tab_to(page: Page, target: Locator, presses: int = 30) -> None:
    """Press Tab, as a keyboard user would, until ``target`` has the focus."""
    for _ in range(presses):
        if target.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


class Api:
    """The JSON API as a program sees it, for setting up many tasks quickly or reading
    exactly what is stored (the same server, with a bearer token)."""

    def __init__(self, page: Page, username: str, password: str = PASSWORD) -> None:
        self.request = page.request
        response = self.request.post("/api/v1/auth/login", data={
            "email": f"{username}@example.com", "password": password,
        })
        assert response.status == 200, response.text()
        self.headers = {"Authorization": f"Bearer {response.json()['access_token']}"}

    def add(self, title: str, **fields: object) -> dict:
        response = self.request.post("/api/v1/tasks", headers=self.headers,
                                     data={"title": title, **fields})
        assert response.status == 201, response.text()
        return response.json()

    def change(self, task_id: int, **fields: object) -> dict:
        response = self.request.patch(f"/api/v1/tasks/{task_id}", headers=self.headers,
                                      data=fields)
        assert response.status == 200, response.text()
        return response.json()

    def project(self, name: str, **fields: object) -> dict:
        response = self.request.post("/api/v1/projects", headers=self.headers,
                                     data={"name": name, **fields})
        assert response.status == 201, response.text()
        return response.json()

    def share(self, project_id: int, username: str, role: str) -> dict:
        response = self.request.post(f"/api/v1/projects/{project_id}/members",
                                     headers=self.headers,
                                     data={"username": username, "role": role})
        assert response.status == 201, response.text()
        return response.json()

    def share_role(self, project_id: int, user_id: int, role: str) -> dict:
        response = self.request.patch(f"/api/v1/projects/{project_id}/members/{user_id}",
                                      headers=self.headers, data={"role": role})
        assert response.status == 200, response.text()
        return response.json()

    def get(self, task_id: int) -> dict:
        response = self.request.get(f"/api/v1/tasks/{task_id}", headers=self.headers)
        assert response.status == 200, response.text()
        return response.json()


def register(page: Page, username: str) -> Api:
    """Another account, made through the API (the page stays signed in as it was)."""
    response = page.request.post("/api/v1/auth/register", data={
        "email": f"{username}@example.com", "username": username, "password": PASSWORD,
        "full_name": username.title()})
    assert response.status == 201, response.text()
    return Api(page, username)


def focused_id(page: Page) -> str:
    """The id of the element with the keyboard focus ("" for an element without one,
    "BODY" when the focus was dropped on the page)."""
    return page.evaluate(
        "document.activeElement === document.body ? 'BODY' : (document.activeElement.id || '')"
    )


def sidebar(page: Page) -> Locator:
    """The "Projects" navigation: Inbox, projects, shared projects, labels."""
    return page.get_by_role("navigation", name="Projects")


def new_project(page: Page, name: str) -> None:
    """Create a project with the sidebar's "New project" dialog; its page opens."""
    sidebar(page).get_by_role("button", name="New project").click()
    dialog = page.get_by_role("dialog", name="New project")
    expect(dialog.get_by_label("Name")).to_be_focused()
    dialog.get_by_label("Name").fill(name)
    dialog.get_by_role("button", name="Create project").click()
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    settled(page)


def open_share(page: Page) -> Locator:
    """The project page's "Share" dialog, open."""
    page.get_by_role("button", name="Share", exact=True).click()
    dialog = page.locator("#share-dialog")
    expect(dialog).to_be_visible()
    return dialog


def csrf_token_of(page: Page) -> str:
    return page.locator('meta[name="csrf-token"]').get_attribute("content") or ""

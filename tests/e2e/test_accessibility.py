"""axe-core on every kind of page, in the light and the dark colour scheme.

axe comes from the npm registry (package.json) and is read from node_modules by the
tests themselves: the app serves nothing that only tests need. It is injected as an
init script, which the page's Content Security Policy does not apply to.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from pprint import pformat

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from taskweb.extensions import limiter
from tests.conftest import make_app
from tests.e2e.pages import Api, log_out, more_options, register, row, settled, sign_up

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
# Every rule in the light scheme; in the dark one only the rules that colours decide (the
# rest see the same document twice, and a whole axe run is most of a check's time).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
VIOLATIONS = """async (only) => {
  const options = {resultTypes: ["violations"]};
  if (only) {
    options.runOnly = {type: "rule", values: only};
  }
  const result = await axe.run(document, options);
  return result.violations.map((violation) => ({
    rule: violation.id,
    impact: violation.impact,
    help: violation.help,
    where: violation.nodes.map((node) => node.target.join(" ") + " | " + node.failureSummary),
  }));
}"""

FINISHED_ANIMATIONS = "Promise.all(document.getAnimations().map((a) => a.finished))"

Check = Callable[[str], None]


def assert_no_violations(page: Page, name: str) -> None:
    """axe on ``page`` as it is, light and dark (the page needs AXE as an init script)."""
    settled(page)
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        # Colours are measured as shown: after any fade has finished.
        page.evaluate(FINISHED_ANIMATIONS)
        violations = page.evaluate(VIOLATIONS, COLOUR_RULES if scheme == "dark" else None)
        assert violations == [], f"axe on {name} ({scheme}):\n" + pformat(violations)
    page.emulate_media(color_scheme="light")


@pytest.fixture
def axe_check(page: Page) -> Check:
    """``axe_check(name)`` runs axe on the page as it is, light and dark; no violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make install` (npm ci) first")
    page.add_init_script(path=AXE)
    return lambda name: assert_no_violations(page, name)


def test_sign_up_and_log_in_pages(page: Page, axe_check: Check,
                                  browser_errors: list[str]) -> None:
    page.goto("/signup")
    axe_check("the sign-up page")
    page.goto("/login")
    axe_check("the login page")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Incorrect email or password.")).to_be_visible()
    axe_check("the login page with an error")
    page.goto("/no/such/page")
    axe_check("the error page (signed out)")
    browser_errors.clear()  # Chromium logs the 401 and the 404 the pages were meant to get


def test_tasks_pages(page: Page, axe_check: Check, browser_errors: list[str]) -> None:
    sign_up(page, "zoe")
    axe_check("the empty task list")
    today = date.today()
    api = Api(page, "zoe")
    api.add("Renew passport", priority="high",
            due_date=(today - timedelta(days=3)).isoformat())
    api.add("Book the dentist", description="Ask about the Tuesday slot",
            due_date=f"{today + timedelta(days=2)}T17:30:00Z")
    api.add("Read the manual", description="Chapter one. " * 300, priority="low")
    api.add("Water the plants", status="completed", priority="low")
    for number in range(20):
        api.add(f"Filler {number}")
    page.goto("/?page=2")
    axe_check("the task list, page 2")
    page.goto("/")
    row(page, "Filler 19").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    axe_check("the task list with Undo on offer")

    page.get_by_label("Filter by status").select_option("completed")
    expect(page.locator("#task-count")).to_have_text("1 task matching the filters")
    axe_check("the filtered list")
    page.get_by_label("Search").fill("nothing like this")
    expect(page.get_by_text("No tasks match these filters.")).to_be_visible()
    axe_check("the list with no match")

    page.goto("/?page=2")
    row(page, "Read the manual").get_by_text("Show the whole description").click()
    row(page, "Renew passport").get_by_role("button", name="Edit").click()
    expect(page.locator("li.task--editing").get_by_label("Title")).to_be_focused()
    axe_check("the list with an edit form and an open description")

    more_options(page)
    page.locator("#add-task").get_by_label("Title").fill("Bad date")
    page.locator("#add-task").get_by_label("Due date").fill("1800-01-01")
    page.locator("#add-task").get_by_role("button", name="Add task").click()
    expect(page.locator("#add-task").get_by_text("Year must be between")).to_be_visible()
    axe_check("the add form with an error")

    task_id = row(page, "Book the dentist").get_attribute("id").removeprefix("task-")
    page.goto(f"/tasks/{task_id}/edit")
    axe_check("the edit page")
    api.change(int(task_id), title="Book the dentist today")  # meanwhile, elsewhere
    page.get_by_label("Title").fill("Book the dentist soon")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("changed in another tab or by another request")).to_be_visible()
    axe_check("the edit page after a conflict")

    page.goto(f"/tasks/{task_id}")
    axe_check("the task page")
    page.goto("/profile")
    axe_check("the profile page")
    page.goto("/no/such/page")
    axe_check("the error page (signed in)")
    browser_errors.clear()  # Chromium logs the 4xx answers the pages were meant to get
    log_out(page)


def test_filter_pages(page: Page, axe_check: Check, browser_errors: list[str]) -> None:
    sign_up(page, "fran")
    Api(page, "fran").add("Buy milk", priority="high", labels=["errand"])
    page.goto("/")
    page.get_by_label("Search").fill("status:")
    expect(page.locator("#filter-q-error")).to_contain_text("at character 7")
    axe_check("the search box with a malformed filter")
    page.get_by_label("Search").fill("priority:high")
    expect(page.locator("#task-count")).to_have_text("1 task matching the filters")
    page.get_by_text("Save as filter").click()
    page.get_by_label("Filter name").fill("Urgent")
    page.get_by_role("button", name="Save filter").click()
    expect(page.get_by_role("heading", level=1, name="Urgent")).to_be_visible()
    axe_check("a saved filter's page, with Filters in the sidebar")
    page.get_by_text("Rename", exact=True).click()
    page.get_by_label("New name").fill(" ")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator("#rename-filter-error")).to_be_visible()
    axe_check("a saved filter's page with a rename error")
    page.get_by_role("button", name="Delete filter").click()
    expect(page.get_by_role("dialog", name="Delete the filter “Urgent”?")).to_be_visible()
    axe_check("the delete-filter confirmation")
    browser_errors.clear()  # the 422 answers the pages were meant to get


def test_project_pages(page: Page, axe_check: Check, browser: Browser, base_url: str,
                       browser_errors: list[str]) -> None:
    """The sidebar, a project's page with its dialogs, the sharing page, a viewer's page,
    the new project page and the profile's data and deletion, with errors on show."""
    other = browser.new_context(base_url=base_url)
    sign_up(other.new_page(), "yves")
    sign_up(page, "xena")
    api = Api(page, "xena")
    home = api.project("Home", color="#2da44e")
    api.share(home["id"], "yves", "editor")
    paint = api.add("Paint the hallway", project_id=home["id"], labels=["diy", "home"])
    api.add("Buy brushes", project_id=home["id"], parent_id=paint["id"], status="completed")
    api.add("Cover the floor", project_id=home["id"], parent_id=paint["id"])
    api.add("Fix the tap", project_id=home["id"], assignee_id=1)
    api.add("Inbox task", labels=["errand"])
    page.goto("/")
    axe_check("the tasks page with the sidebar")
    page.goto(f"/projects/{home['id']}")
    row(page, "Paint the hallway").scroll_into_view_if_needed()  # subtasks load when seen
    expect(row(page, "Paint the hallway").get_by_role("link", name="Cover the floor")
           ).to_be_visible()
    axe_check("a project's page")
    row(page, "Fix the tap").get_by_role("button", name="Add subtask").click()
    row(page, "Fix the tap").get_by_label("New subtask").fill("   ")
    row(page, "Fix the tap").get_by_role("button", name="Add", exact=True).click()
    expect(row(page, "Fix the tap").get_by_text("Must not be empty")).to_be_visible()
    axe_check("a subtask form with an error")

    page.get_by_role("button", name="Share", exact=True).click()
    share = page.locator("#share-dialog")
    share.get_by_label("Username or email").fill("nobody-at-all")
    share.get_by_role("button", name="Invite").click()
    expect(share.get_by_text("Nobody has this username.")).to_be_visible()
    axe_check("the share dialog with an error")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Delete project").click()
    expect(page.get_by_role("dialog", name=re.compile("^Delete “Home”"))).to_be_visible()
    axe_check("the delete question")
    page.keyboard.press("Escape")

    page.get_by_role("navigation", name="Projects").get_by_role(
        "button", name="New project").click()
    dialog = page.get_by_role("dialog", name="New project")
    dialog.get_by_label("Name").fill("   ")
    dialog.get_by_role("button", name="Create project").click()
    expect(dialog.get_by_text("Must not be empty")).to_be_visible()
    axe_check("the new project dialog with an error")

    page.goto(f"/projects/{home['id']}/members")
    axe_check("the sharing page")
    page.goto("/projects/new")
    axe_check("the new project page")
    page.goto("/profile")
    page.get_by_label("Your password", exact=True).fill("not the password")
    page.get_by_role("button", name="Delete account").click()
    expect(page.locator("#delete-account-current_password-error")).to_be_visible()
    axe_check("the profile with its data and an error on deleting the account")

    # A viewer's page: no controls.
    api.share_role(home["id"], 1, "viewer")  # yves, who signed up first
    viewer = other.new_page()
    viewer.add_init_script(path=AXE)
    viewer.goto(f"/projects/{home['id']}")
    expect(viewer.get_by_role("heading", level=1, name="Home")).to_be_visible()
    for scheme in ("light", "dark"):
        viewer.emulate_media(color_scheme=scheme)
        assert viewer.evaluate(VIOLATIONS) == [], f"axe on a viewer's page ({scheme})"
    other.close()
    browser_errors.clear()  # Chromium logs the 4xx answers the forms were meant to get


@pytest.mark.browser_context_args(viewport={"width": 390, "height": 844})
def test_the_sidebar_drawer_on_a_phone(page: Page, axe_check: Check) -> None:
    sign_up(page, "wendy")
    page.get_by_role("button", name="Projects").click()
    expect(page.get_by_role("navigation", name="Projects")).to_be_visible()
    axe_check("the open drawer")


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 860},
                                      {"width": 390, "height": 844}], ids=["wide", "phone"])
def test_today_and_upcoming(page: Page, axe_check: Check, viewport: dict[str, int]) -> None:
    """Today empty and full, Upcoming, and Today after a task left it (a message in the
    status region), wide and on a phone."""
    page.set_viewport_size(viewport)
    sign_up(page, "tomas")
    page.goto("/today")
    expect(page.get_by_text("Nothing due today.")).to_be_visible()
    axe_check("Today, empty")
    page.goto("/upcoming")
    axe_check("Upcoming, empty")
    today = date.today()
    api = Api(page, "tomas")
    home = api.project("Home", color="#2da44e")
    api.add("Renew passport", priority="high", due_date=(today - timedelta(days=3)).isoformat())
    api.add("Pay the rent", due_date=today.isoformat(), labels=["money"])
    api.add("Water the plants", project_id=home["id"], due_date=today.isoformat(),
            description="The big ones first", assignee_id=1)
    api.add("Book the dentist", due_date=(today + timedelta(days=1)).isoformat())
    api.add("Send the report", due_date=(today + timedelta(days=5)).isoformat())
    page.goto("/today")
    expect(page.locator("li.task")).not_to_have_count(0)
    axe_check("Today, full")
    selected = row(page, "Renew passport").get_by_role("checkbox", name="Select Renew passport")
    selected.check()
    expect(page.get_by_role("button", name="Complete selected")).to_be_visible()
    axe_check("Today with a task selected (the bulk bar)")
    selected.uncheck()
    row(page, "Pay the rent").get_by_role("checkbox", name="Complete Pay the rent").check()
    expect(page.locator("#flash")).to_contain_text("Completed “Pay the rent”.")
    axe_check("Today after a task left it")
    page.goto("/upcoming")
    expect(page.get_by_role("heading", level=2, name="Tomorrow")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    axe_check("Upcoming, full")
def test_quick_add_with_its_preview_and_an_error(page: Page, axe_check: Check,
                                                 browser_errors: list[str]) -> None:
    sign_up(page, "quincy")
    Api(page, "quincy").project("Home")
    page.reload()
    box = page.get_by_label("Quick add")
    box.press_sequentially("Pay rent tomorrow 5pm #Home @money !high every month")
    expect(page.locator("#quick-add-preview").get_by_role("listitem")).to_have_count(5)
    axe_check("the quick-add preview")
    box.fill("")
    box.press_sequentially("Plan #Nowhere")
    expect(page.locator("#quick-add-preview")).to_contain_text("no project called")
    axe_check("the quick-add preview with a problem")
    box.press("Enter")
    expect(page.locator("#quick-add-error")).to_be_visible()
    axe_check("the quick-add box with an error")
    browser_errors.clear()  # the 422 is meant
def test_the_board(page: Page, axe_check: Check, browser: Browser, base_url: str) -> None:
    """A project's board (cards with labels, due dates, an assignee and subtasks), with
    a card's Move menu open, on a wide screen and a phone, and a viewer's board."""
    other = browser.new_context(base_url=base_url)
    sign_up(other.new_page(), "bert")
    sign_up(page, "bea")
    api = Api(page, "bea")
    launch = api.project("Launch", color="#2f5bd3")
    api.share(launch["id"], "bert", "editor")
    logo = api.add("Draw the logo", project_id=launch["id"], labels=["design"],
                   priority="high", due_date=(date.today() - timedelta(days=1)).isoformat())
    api.add("Sketches", project_id=launch["id"], parent_id=logo["id"], status="completed")
    api.add("Book the venue", project_id=launch["id"], assignee_id=1, status="in_progress",
            due_date=(date.today() + timedelta(days=4)).isoformat())
    api.add("Send invitations", project_id=launch["id"], status="completed", priority="low")
    page.goto(f"/projects/{launch['id']}/board")
    expect(page.get_by_role("heading", level=1, name="Launch")).to_be_visible()
    axe_check("the board")
    move = page.locator("li.board-card").filter(has_text="Draw the logo").get_by_role(
        "button", name="Move", exact=True)
    move.click()
    expect(move).to_have_attribute("aria-expanded", "true")
    axe_check("the board with a Move menu open")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    axe_check("the board on a phone")

    api.share_role(launch["id"], 1, "viewer")  # bert, who signed up first
    viewer = other.new_page()
    viewer.add_init_script(path=AXE)
    viewer.goto(f"/projects/{launch['id']}/board")
    expect(viewer.get_by_text("You can read this board")).to_be_visible()
    for scheme in ("light", "dark"):
        viewer.emulate_media(color_scheme=scheme)
        assert viewer.evaluate(VIOLATIONS) == [], f"axe on a viewer's board ({scheme})"
    other.close()
def test_keyboard_states_and_every_dialog(page: Page, axe_check: Check) -> None:
    """A row focused by `j`, the "Keyboard shortcuts" dialog, and each dialog of a
    project's page open as it first appears (no error yet)."""
    sign_up(page, "vera")
    api = Api(page, "vera")
    home = api.project("Home")
    for title in ("Paint the hallway", "Fix the tap"):
        api.add(title, project_id=home["id"])
    page.goto("/")
    page.keyboard.press("j")
    expect(page.locator("li.task").first).to_be_focused()
    axe_check("the list with a row focused by j")
    page.keyboard.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    axe_check("the Keyboard shortcuts dialog")
    page.keyboard.press("Escape")

    page.goto(f"/projects/{home['id']}")
    for opener, dialog_name in (("Share", "Share “Home”"), ("New project", "New project"),
                                ("Delete project", re.compile("^Delete “Home”"))):
        page.get_by_role("button", name=opener, exact=True).click()
        expect(page.get_by_role("dialog", name=dialog_name)).to_be_visible()
        axe_check(f"the {opener} dialog")
        page.keyboard.press("Escape")
        expect(page.get_by_role("dialog")).to_have_count(0)


def test_the_refused_page(page: Page, axe_check: Check, browser: Browser, base_url: str,
                          browser_errors: list[str]) -> None:
    """The 403 page: a viewer opening a task's edit page."""
    owner = browser.new_context(base_url=base_url)
    owner_page = owner.new_page()
    sign_up(page, "uma")
    sign_up(owner_page, "tom")
    api = Api(owner_page, "tom")
    shared = api.project("Shared")
    api.share(shared["id"], "uma", "viewer")
    task = api.add("Read only", project_id=shared["id"])
    owner.close()

    response = page.goto(f"/tasks/{task['id']}/edit")
    assert response is not None and response.status == 403
    expect(page.get_by_text("You may only view the tasks of this project.")).to_be_visible()
    axe_check("the 403 page")
    browser_errors.clear()  # Chromium logs the 403 the page was meant to get


@pytest.fixture
def rate_limited_server(migrated_database: str) -> Iterator[str]:
    """A second server of the app with the sign-in limits on (two a minute): the shared
    one runs without them, so that tests may sign in as often as they need."""
    app = make_app(migrated_database, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="limited-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        # The limiter is one object for every app in the process: the shared server
        # must go on without limits.
        limiter.reset()
        limiter.enabled = False


def test_the_rate_limited_login_page(browser: Browser, rate_limited_server: str) -> None:
    """The login form's 429 answer ("Too many attempts"), light and dark."""
    context = browser.new_context(base_url=rate_limited_server)
    page = context.new_page()
    page.add_init_script(path=AXE)
    page.goto("/login")
    for _ in range(3):
        page.get_by_label("Email").fill("nobody@example.com")
        page.get_by_label("Password").fill("not the password")
        page.get_by_role("button", name="Log in").click()
        settled(page)
    expect(page.get_by_text(re.compile("^Too many attempts"))).to_be_visible()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        violations = page.evaluate(VIOLATIONS)
        assert violations == [], f"axe on the 429 login page ({scheme}):\n" + pformat(violations)
    context.close()


def test_the_api_documentation_page(page: Page, axe_check: Check) -> None:
    """/docs: Swagger UI with our contrast fixes and heading levels (static/docs.*)."""
    page.goto("/docs")
    expect(page.get_by_role("heading", level=1, name="taskweb API")).to_be_visible()
    expect(page.locator("#operations-tag-tasks")).to_have_attribute("aria-level", "2")
    expect(page.get_by_role("region", name="About this API")).to_be_visible()
    axe_check("the API documentation")
def test_trash_and_bulk_pages(page: Page, axe_check: Check) -> None:
    """The trash (full, its confirm dialog, empty) and a list with the bulk bar showing."""
    sign_up(page, "wim")
    api = Api(page, "wim")
    parent = api.add("Old plan", labels=["home"])
    api.add("Step", parent_id=parent["id"])
    for title in ("Keep one", "Keep two"):
        api.add(title)
    page.request.delete(f"/api/v1/tasks/{parent['id']}", headers=api.headers)
    page.goto("/")
    row(page, "Keep one").get_by_label("Select Keep one").check()
    expect(page.locator("#bulk-actions")).to_be_visible()
    axe_check("the task list with the bulk bar showing")
    page.goto("/trash")
    axe_check("the trash")
    page.get_by_role("button", name="Empty trash").click()
    expect(page.get_by_role("dialog", name="Empty the trash?")).to_be_visible()
    axe_check("the confirm dialog")
    page.get_by_role("dialog").get_by_role("button", name="Empty trash").click()
    expect(page.locator("#flash")).to_contain_text("The trash is empty.")
    axe_check("the empty trash")


def test_password_reset_pages_and_the_calendar_section(page: Page, axe_check: Check,
                                                       live_app, browser_errors) -> None:
    """Forgot your password (empty, answered), the new-password form with an error, the
    link that no longer works, and the profile's calendar feed on and asking to rotate."""
    from taskweb.wiring import password_reset_service
    from tests.conftest import PASSWORD as PASSWORD_OF_TESTS

    sign_up(page, "rita")
    log_out(page)
    page.goto("/forgot-password")
    axe_check("the forgot-password page")
    page.get_by_label("Email").fill("nobody@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text("If an account exists for that address")).to_be_visible()
    axe_check("the forgot-password page, answered")
    with live_app.app_context():
        token = password_reset_service().issue("rita@example.com").token
    page.goto(f"/reset-password/{token}")
    axe_check("the new-password page")
    page.get_by_label("New password", exact=True).fill("one new password")
    page.get_by_label("New password again").fill("another password")
    page.get_by_role("button", name="Set the new password").click()
    expect(page.get_by_text("The two passwords are not the same.")).to_be_visible()
    axe_check("the new-password page with an error")
    page.goto("/reset-password/no-longer-valid-token-at-all")
    axe_check("the page of a link that no longer works")
    page.goto("/login")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_label("Password").fill(PASSWORD_OF_TESTS)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1, name="Tasks")).to_be_visible()
    page.goto("/profile")
    axe_check("the profile with the calendar feed off")
    page.get_by_role("button", name="Turn on the calendar feed").click()
    expect(page.get_by_label("Feed address")).to_be_visible()
    axe_check("the profile with the calendar feed on")
    page.get_by_role("button", name="Get a new address").click()
    expect(page.get_by_role("dialog", name="Get a new address?")).to_be_visible()
    axe_check("the new-address confirm dialog")
    browser_errors.clear()  # Chromium logs the 422 and the 400 the pages were meant to get


def test_notification_pages(page: Page, axe_check: Check, live_app) -> None:
    from taskweb.notification_mail import unsubscribe_token

    sign_up(page, "nina")
    owner = register(page, "omar")
    garden = owner.project("Garden")
    owner.share(garden["id"], "nina", "editor")
    page.reload()
    expect(page.locator("#bell")).to_have_accessible_name("Notifications, 1 unread")
    axe_check("the header with an unread count")
    page.goto("/notifications")
    axe_check("the notifications panel with an unread one")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator("#flash")).to_have_text("Marked all as read.")
    axe_check("the notifications panel, all read")
    nina = Api(page, "nina")
    nina_id = page.request.get("/api/v1/users/me", headers=nina.headers).json()["id"]
    with live_app.app_context():
        token = unsubscribe_token(nina_id)
    page.goto(f"/unsubscribe/{token}")
    axe_check("the unsubscribe page")
    page.get_by_role("button", name="Turn off e-mail notifications").click()
    expect(page.get_by_text("E-mail notifications are off.")).to_be_visible()
    axe_check("the unsubscribe page, done")


def test_the_repeat_field_and_the_activity_list(page: Page, axe_check: Check,
                                                browser_errors: list[str]) -> None:
    sign_up(page, "rhea")
    Api(page, "rhea").add("Stretch", due_date="2030-01-03T09:00:00Z",
                          recurrence="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO")
    page.goto("/")
    more_options(page)
    form = page.locator("#add-task")
    form.get_by_label("Repeat").select_option(label="Custom…")
    axe_check("the add form with Repeat and a custom rule")
    form.get_by_label("Title").fill("No date")
    form.get_by_label("Custom rule").fill("every day")
    form.get_by_role("button", name="Add task").click()
    expect(form.locator(".field-errors")).to_contain_text("RRULE")
    axe_check("the add form with a bad rule")
    row(page, "Stretch").get_by_role("button", name="Edit").click()
    editing = page.locator("li.task--editing")
    editing.get_by_text("Activity", exact=True).click()
    expect(editing.locator(".activity li")).to_have_count(1)
    axe_check("the edit form with Repeat and the activity list")
    task_id = editing.get_attribute("id").removeprefix("task-")
    page.goto(f"/tasks/{task_id}")
    page.get_by_text("Activity", exact=True).click()
    expect(page.locator(".activity li")).to_have_count(1)
    axe_check("the task's page with its activity")
    page.goto(f"/tasks/{task_id}/activity")
    axe_check("the activity page (without script)")
    browser_errors.clear()  # Chromium logs the 422 the bad rule was meant to get


def test_reminder_states(page: Page, axe_check: Check, browser_errors: list[str]) -> None:
    sign_up(page, "rita")
    api = Api(page, "rita")
    due = date.today() + timedelta(days=3)
    api.add("Renew the lease", due_date=f"{due}T09:00:00Z",
            reminders=[f"{due}T08:00:00Z", f"{due - timedelta(days=1)}T09:00:00Z"])
    api.add("Full of reminders", due_date=f"{due}T18:00:00Z",
            reminders=[f"{due}T1{n}:00:00Z" for n in range(5)])
    page.goto("/")
    expect(row(page, "Renew the lease").get_by_text("2 upcoming reminders")).to_be_attached()
    row(page, "Full of reminders").get_by_role("button", name="Edit").click()
    form = page.locator("li.task--editing")
    expect(form.get_by_text("at most 5 reminders: remove one to add another")).to_be_visible()
    axe_check("the list with reminder bells and an edit form at five reminders")
    form.get_by_role("button", name="Cancel").click()
    settled(page)
    row(page, "Renew the lease").get_by_role("button", name="Edit").click()
    form.get_by_label("Remind me").select_option(label="Custom time")
    form.get_by_role("button", name="Save").click()
    expect(form.get_by_text("Pick the date and time of the custom reminder.")).to_be_visible()
    expect(form.get_by_label("Custom time")).to_be_visible()
    axe_check("the edit form with reminders, a custom time and its error")
    browser_errors.clear()  # Chromium logs the 422 the form was meant to get


def test_the_personal_tokens_section(page: Page, axe_check: Check, browser_errors) -> None:
    """The profile's personal tokens: errors next to their fields, a new token shown once
    and listed, and the revoke confirm dialog."""
    sign_up(page, "tokens")
    page.goto("/profile")
    section = page.locator("#personal-tokens")
    section.get_by_role("button", name="Create token").click()
    expect(section.get_by_text("Choose at least one scope.")).to_be_visible()
    axe_check("the personal tokens section with errors")
    section.get_by_label("Name").fill("cron")
    section.get_by_label("tasks:write").check()
    section.get_by_label("Expires on").fill("2999-12-31")
    section.get_by_role("button", name="Create token").click()
    expect(section.get_by_label("Your new token")).to_be_visible()
    axe_check("the personal tokens section with a new token")
    settled(page)
    section.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("dialog", name="Revoke this token?")).to_be_visible()
    axe_check("the revoke-token confirm dialog")
    browser_errors.clear()  # Chromium logs the 422 the form was meant to get

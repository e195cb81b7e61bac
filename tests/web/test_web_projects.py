"""Projects in the browser: the sidebar, a project's page, its settings and sharing, and
what each role is offered and refused (a non-member gets 404, a viewer 403 on writes)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.extensions import db
from taskweb.models import Membership, Project, Role, Task, TaskLabel, User
from taskweb.wiring import project_service
from tests.web.conftest import HX, text
from tests.web.html import duplicate_ids

MakeProject = Callable[..., int]


@pytest.fixture
def make_project(app: Flask) -> MakeProject:
    """A project owned by ``owner``, shared with ``members`` ({user: role}); its id."""

    def factory(owner: User, name: str = "Home", members: dict[User, str] | None = None,
                **fields: object) -> int:
        with app.app_context():
            view = project_service().create(owner, {"name": name, **fields})
            for member, role in (members or {}).items():
                project_service().add_member(owner, view.project.id,
                                             {"username": member.username, "role": role})
            return view.project.id

    return factory


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="task__title" id="task-\d+-name">(.*?)</h3>', html)


def sidebar(html: str) -> str:
    return html.split('<nav id="sidebar"', 1)[1].split("</nav>", 1)[0]


def stored(app: Flask, model: type, key: object) -> object | None:
    with app.app_context():
        row = db.session.get(model, key)
        if row is not None:
            db.session.expunge(row)
        return row


def task_titles(app: Flask) -> list[str]:
    with app.app_context():
        return sorted(task.title for task in db.session.scalars(db.select(Task)))


def role_of(app: Flask, project_id: int, user_id: int) -> Role | None:
    membership = stored(app, Membership, (project_id, user_id))
    return membership.role if membership else None


# --- the sidebar ------------------------------------------------------------------

def test_the_sidebar_lists_inbox_projects_shared_projects_and_labels_with_open_counts(
    logged_in: FlaskClient, user: User, other_user: User, make_project: MakeProject,
    make_task
) -> None:
    home = make_project(user, "Home", color="#2da44e")
    garden = make_project(other_user, "Garden", members={user: "editor"})
    make_task(user, "Inbox task", labels=["errand"])
    make_task(user, "Paint", project_id=home, labels=["home", "errand"])
    make_task(user, "Done already", project_id=home, status="completed", labels=["home"])
    make_task(other_user, "Weed", project_id=garden)
    nav = sidebar(text(logged_in.get("/")))
    assert 'aria-label="Projects"' in text(logged_in.get("/"))
    links = dict(re.findall(r'<a class="sidebar__link" href="([^"]+)" aria-label="([^"]+)"', nav))
    assert links == {
        "/today": "Today, 0 open tasks",
        "/upcoming": "Upcoming",
        "/": "All tasks, 3 open tasks",
        "/projects/1": "Inbox, 1 open task",
        "/?assignee=me": "Assigned to me",
        "/trash": "Trash",
        f"/projects/{home}": "Home, 1 open task",
        f"/projects/{garden}": "Garden, shared, 1 open task",
        "/?label=errand": "errand, 2 open tasks",
        "/?label=home": "home, 1 open task",
    }
    assert 'href="/" aria-label="All tasks, 3 open tasks" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1
    assert '<circle cx="5" cy="5" r="5" fill="#2da44e"/>' in nav
    assert ">New project</button>" in nav
    assert "Shared with me" in nav


def test_the_sidebar_marks_the_project_or_label_on_screen(
    logged_in: FlaskClient, user: User, make_project: MakeProject, make_task
) -> None:
    home = make_project(user, "Home")
    make_task(user, "Paint", project_id=home, labels=["Home"])
    project_nav = sidebar(text(logged_in.get(f"/projects/{home}?status=todo")))
    assert re.search(rf'href="/projects/{home}" aria-label="[^"]+" aria-current="page"',
                     project_nav)
    label_nav = sidebar(text(logged_in.get("/?label=HOME&sort=title")))
    assert re.search(r'href="/\?label=Home" aria-label="[^"]+" aria-current="page"', label_nav)
    assert 'aria-current' in sidebar(text(logged_in.get("/?assignee=me")))


def test_counts_in_the_sidebar_follow_a_change_out_of_band(
    logged_in: FlaskClient, user: User, make_project: MakeProject, hx: dict[str, str]
) -> None:
    home = make_project(user, "Home")
    added = text(logged_in.post("/tasks", headers=hx, data={
        "title": "Paint", "priority": "medium", "project_id": str(home)}))
    assert '<div id="sidebar-lists" class="sidebar__lists" hx-swap-oob="true">' in added
    assert 'aria-label="Home, 1 open task"' in added


# --- a project's page ---------------------------------------------------------------

def test_a_project_page_lists_its_tasks_with_the_add_form_into_it(
    logged_in: FlaskClient, user: User, make_project: MakeProject, make_task
) -> None:
    home = make_project(user, "Home", description="The house")
    make_task(user, "Paint", project_id=home)
    make_task(user, "Elsewhere")
    response = logged_in.get(f"/projects/{home}")
    page = text(response)
    assert response.status_code == 200
    assert "<title>Home · taskweb</title>" in page and "Home</h1>" in page
    assert titles(page) == ["Paint"]
    assert f'<option selected value="{home}">Home</option>' in page
    assert f'action="/projects/{home}"' in page.split('id="task-filters"')[1][:300]
    assert ">Share</button>" in page and 'id="project-settings"' in page
    assert duplicate_ids(page) == {}


def test_a_project_page_for_htmx_is_its_list_with_the_canonical_url(
    logged_in: FlaskClient, user: User, make_project: MakeProject, make_task
) -> None:
    home = make_project(user, "Home")
    make_task(user, "Paint", project_id=home, status="completed")
    response = logged_in.get(f"/projects/{home}?status=completed&q=&project_id=99",
                             headers=HX)
    assert response.status_code == 200 and "<html" not in text(response)
    assert titles(text(response)) == ["Paint"]
    assert response.headers["HX-Push-Url"] == f"/projects/{home}?status=completed"
    assert text(response).lstrip().startswith("<title>Home (filtered) · taskweb</title>")


def test_adding_from_a_project_page_answers_that_projects_list(
    app: Flask, logged_in: FlaskClient, user: User, make_project: MakeProject,
    hx: dict[str, str]
) -> None:
    home = make_project(user, "Home")
    hx["HX-Current-URL"] = f"http://localhost/projects/{home}"
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "Paint", "priority": "medium", "project_id": str(home), "labels": "diy, home"})
    assert response.status_code == 201
    assert titles(text(response)) == ["Paint"] and "Added “Paint”." in text(response)
    with app.app_context():
        task = db.session.scalars(db.select(Task)).one()
        labels = db.session.scalars(db.select(TaskLabel.name).order_by(TaskLabel.position))
        assert task.project_id == home and list(labels) == ["diy", "home"]
    plain = logged_in.post("/tasks", data={
        "title": "Sweep", "priority": "medium", "project_id": str(home),
        "csrf_token": hx["X-CSRFToken"]}, headers={"Referer": f"http://localhost/projects/{home}"})
    assert plain.status_code == 303 and plain.headers["Location"] == f"/projects/{home}"


def test_the_inbox_has_no_share_settings_or_delete(
    logged_in: FlaskClient, user: User, hx: dict[str, str]
) -> None:
    page = text(logged_in.get("/projects/1"))
    assert "Inbox</h1>" in page
    assert ">Share</button>" not in page and 'id="project-settings"' not in page
    assert "Delete project" not in page
    refused = logged_in.post("/projects/1/delete", headers=hx)
    assert refused.status_code == 409
    assert refused.headers["HX-Retarget"] == "#flash"
    assert "The Inbox cannot be deleted." in text(refused)
    shared = logged_in.post("/projects/1/members", headers=hx,
                            data={"who": "bob", "role": "editor"})
    assert shared.status_code == 409 and "cannot be shared" in text(shared)
    renamed = logged_in.post("/projects/1", headers=hx, data={"name": "Mine", "color": ""})
    assert renamed.status_code == 409 and "cannot be renamed" in text(renamed)
    assert stored(logged_in.application, Project, 1).name == "Inbox"


# --- creating a project and its settings ------------------------------------------

def test_new_project_from_the_dialog_opens_its_page(
    app: Flask, logged_in: FlaskClient, user: User, hx: dict[str, str]
) -> None:
    response = logged_in.post("/projects", headers=hx,
                              data={"name": "Garden", "color": "#2da44e", "description": ""})
    assert response.status_code == 200
    project = stored(app, Project, 2)
    assert project.name == "Garden" and project.color == "#2da44e"
    assert response.headers["HX-Redirect"] == "/projects/2"
    assert "Created the project “Garden”." in text(logged_in.get("/projects/2"))


@pytest.mark.parametrize(("data", "field", "status"), [
    ({"name": ""}, "name", 422),
    ({"name": "x" * 101}, "name", 422),
    ({"name": "Home", "color": "red"}, "color", 422),
    ({"name": "home"}, "name", 409),  # taken, case-insensitively
])
def test_new_project_errors_are_next_to_the_fields(
    app: Flask, logged_in: FlaskClient, user: User, make_project: MakeProject,
    hx: dict[str, str], data: dict[str, str], field: str, status: int
) -> None:
    make_project(user, "Home")
    response = logged_in.post("/projects", headers=hx, data=data)
    assert response.status_code == status
    assert text(response).lstrip().startswith('<form id="new-project-form"')
    assert f'id="new-project-{field}-error"' in text(response)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Project)) == 2
    page = logged_in.post("/projects", data={**data, "csrf_token": hx["X-CSRFToken"]})
    assert page.status_code == status and '<h1 id="new-project-heading">' in text(page)
    assert duplicate_ids(text(page)) == {}


def test_new_project_page_without_the_dialog(logged_in: FlaskClient) -> None:
    page = text(logged_in.get("/projects/new"))
    assert 'id="new-project-form"' in page and 'id="new-project-dialog"' not in page
    assert duplicate_ids(page) == {}


def test_the_owner_renames_recolours_archives_and_deletes(
    app: Flask, logged_in: FlaskClient, user: User, make_project: MakeProject, make_task,
    hx: dict[str, str]
) -> None:
    home = make_project(user, "Home")
    for title in ("Paint", "Sweep"):
        make_task(user, title, project_id=home)
    make_task(user, "Done", project_id=home, status="completed")
    page = text(logged_in.get(f"/projects/{home}"))
    assert "Delete “Home” and its 3 tasks?" in page

    saved = logged_in.post(f"/projects/{home}", headers=hx,
                           data={"name": "House", "color": "#8250df", "description": "Ours"})
    assert saved.headers["HX-Redirect"] == f"/projects/{home}"
    project = stored(app, Project, home)
    assert (project.name, project.color, project.description) == ("House", "#8250df", "Ours")
    bad = logged_in.post(f"/projects/{home}", headers=hx, data={"name": "", "color": ""})
    assert bad.status_code == 422 and 'id="project-name-error"' in text(bad)

    logged_in.post(f"/projects/{home}/archive", headers=hx, data={"archived": "true"})
    assert stored(app, Project, home).archived
    archived = text(logged_in.get(f"/projects/{home}"))
    assert 'id="add-task"' not in archived and ">Unarchive project</button>" in archived
    assert "<summary>Archived (1)</summary>" in sidebar(archived)
    logged_in.post(f"/projects/{home}/archive", headers=hx, data={"archived": "false"})
    assert not stored(app, Project, home).archived

    deleted = logged_in.post(f"/projects/{home}/delete", headers=hx)
    assert deleted.headers["HX-Redirect"] == "/"
    assert stored(app, Project, home) is None and task_titles(app) == []
    assert "Deleted “House” and its 3 tasks." in text(logged_in.get("/"))


def test_someone_elses_or_an_unknown_project_is_not_found(
    app: Flask, logged_in: FlaskClient, other_user: User, make_project: MakeProject,
    make_task, hx: dict[str, str]
) -> None:
    theirs = make_project(other_user, "Secret garden")
    make_task(other_user, "Hidden", project_id=theirs)
    for project_id in (theirs, 999):
        page = logged_in.get(f"/projects/{project_id}")
        assert page.status_code == 404 and "Secret garden" not in text(page)
        assert "<html" in text(page)
        fragment = logged_in.get(f"/projects/{project_id}", headers=hx)
        assert fragment.status_code == 404 and fragment.headers["HX-Retarget"] == "#flash"
        for path, data in ((f"/projects/{project_id}", {"name": "Mine"}),
                           (f"/projects/{project_id}/archive", {"archived": "true"}),
                           (f"/projects/{project_id}/delete", {}),
                           (f"/projects/{project_id}/members", {"who": "alice", "role": "editor"}),
                           (f"/projects/{project_id}/leave", {}),
                           (f"/projects/{project_id}/members/2", {"role": "viewer"}),
                           (f"/projects/{project_id}/members/2/remove", {})):
            assert logged_in.post(path, headers=hx, data=data).status_code == 404, path
        assert logged_in.get(f"/projects/{project_id}/members").status_code == 404
    project = stored(app, Project, theirs)
    assert project.name == "Secret garden" and not project.archived
    assert task_titles(app) == ["Hidden"]


# --- roles ------------------------------------------------------------------------

def test_a_viewer_sees_no_edit_controls(
    logged_in: FlaskClient, user: User, other_user: User, make_project: MakeProject,
    make_task
) -> None:
    garden = make_project(other_user, "Garden", members={user: "viewer"})
    task = make_task(other_user, "Weed", project_id=garden, labels=["outside"])
    make_task(other_user, "Rake", project_id=garden, parent_id=task.id)
    page = text(logged_in.get(f"/projects/{garden}"))
    row = page.split(f'<li id="task-{task.id}"', 1)[1]
    assert titles(page) == ["Weed"]
    assert 'id="add-task"' not in page and "task--read-only" in page
    assert 'type="checkbox"' not in row
    assert ">Edit</button>" not in page and ">Delete</button>" not in page
    assert "Add subtask" not in page
    assert 'id="project-settings"' not in page and "Invite" not in page
    assert ">Leave project</button>" in page
    assert "Viewer (shared with you)" in page
    # Nor is the project offered in the task form on the tasks page.
    assert f'value="{garden}"' not in text(logged_in.get("/")).split('id="new-project_id"')[1]
    subtasks = text(logged_in.get(f"/tasks/{task.id}/subtasks", headers=HX))
    assert "Rake" in subtasks and 'type="checkbox"' not in subtasks


@pytest.mark.parametrize(("method", "path", "data"), [
    ("post", "/tasks/{task}", {"title": "Mine now", "version": "1"}),
    ("put", "/tasks/{task}", {"title": "Mine now", "version": "1"}),
    ("post", "/tasks/{task}/complete", {"completed": "1"}),
    ("delete", "/tasks/{task}", None),
    ("post", "/tasks/{task}/delete", None),
    ("get", "/tasks/{task}/edit", None),
    ("post", "/tasks/{task}/subtasks", {"title": "Mine"}),
    ("post", "/projects/{project}", {"name": "Mine"}),
    ("post", "/projects/{project}/archive", {"archived": "true"}),
    ("post", "/projects/{project}/delete", None),
    ("post", "/projects/{project}/members", {"who": "carol", "role": "editor"}),
    ("post", "/projects/{project}/members/{owner}", {"role": "viewer"}),
    ("post", "/projects/{project}/members/{owner}/remove", None),
    ("post", "/projects/{project}/owner", {"new_owner": "{me}"}),
])
def test_a_viewer_is_refused_every_write_with_403(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User, make_user,
    make_project: MakeProject, make_task, hx: dict[str, str],
    method: str, path: str, data: dict[str, str] | None
) -> None:
    make_user("carol")
    garden = make_project(other_user, "Garden", members={user: "viewer"})
    task = make_task(other_user, "Weed", project_id=garden)
    ids = {"task": task.id, "project": garden, "owner": other_user.id, "me": user.id}
    url = path.format(**ids)
    data = {name: value.format(**ids) for name, value in (data or {}).items()}
    as_fragment = getattr(logged_in, method)(url, headers=hx, data=data)
    assert as_fragment.status_code == 403, text(as_fragment)
    assert as_fragment.headers["HX-Retarget"] == "#flash"
    page = getattr(logged_in, method)(url, headers={"X-CSRFToken": hx["X-CSRFToken"]},
                                      data=data)
    assert page.status_code == 403 and "<html" in text(page)
    assert task_titles(app) == ["Weed"]
    after = stored(app, Task, task.id)
    assert after.status.value == "todo" and after.version == task.version
    assert stored(app, Project, garden).name == "Garden"
    assert role_of(app, garden, other_user.id) is Role.OWNER
    assert role_of(app, garden, user.id) is Role.VIEWER


def test_a_viewer_cannot_add_a_task_to_the_project(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User,
    make_project: MakeProject, hx: dict[str, str]
) -> None:
    garden = make_project(other_user, "Garden", members={user: "viewer"})
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "Sneaky", "priority": "medium", "project_id": str(garden)})
    assert response.status_code == 403
    assert 'id="new-project_id-error"' in text(response)
    assert "You may only view the tasks of this project." in text(response)
    assert task_titles(app) == []


def test_an_editor_changes_tasks_but_not_the_project_and_may_leave(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User,
    make_project: MakeProject, make_task, hx: dict[str, str]
) -> None:
    garden = make_project(other_user, "Garden", members={user: "editor"})
    task = make_task(other_user, "Weed", project_id=garden)
    page = text(logged_in.get(f"/projects/{garden}"))
    assert 'id="add-task"' in page and ">Edit</button>" in page
    assert 'id="project-settings"' not in page and 'id="invite-form"' not in page
    assert ">Leave project</button>" in page
    done = logged_in.post(f"/tasks/{task.id}/complete", headers=hx, data={"completed": "1"})
    assert done.status_code == 200
    added = logged_in.post("/tasks", headers=hx, data={
        "title": "Rake", "priority": "low", "project_id": str(garden)})
    assert added.status_code == 201
    assert logged_in.post(f"/projects/{garden}", headers=hx,
                          data={"name": "Mine"}).status_code == 403
    left = logged_in.post(f"/projects/{garden}/leave", headers=hx)
    assert left.headers["HX-Redirect"] == "/"
    assert role_of(app, garden, user.id) is None
    assert logged_in.get(f"/projects/{garden}").status_code == 404
    assert logged_in.get(f"/tasks/{task.id}").status_code == 404


# --- sharing ----------------------------------------------------------------------

def test_the_owner_invites_changes_roles_removes_and_hands_over(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User, make_user,
    make_project: MakeProject, hx: dict[str, str]
) -> None:
    carol = make_user("carol", "carol@example.com")
    home = make_project(user, "Home")
    base = f"/projects/{home}/members"
    invited = logged_in.post(base, headers=hx, data={"who": "BOB", "role": "editor"})
    assert invited.status_code == 201
    panel = text(invited)
    assert panel.lstrip().startswith('<div id="share-panel"')
    assert "Added bob as an editor." in panel
    assert role_of(app, home, other_user.id) is Role.EDITOR
    by_email = logged_in.post(base, headers=hx,
                              data={"who": "carol@example.com", "role": "viewer"})
    assert by_email.status_code == 201 and role_of(app, home, carol.id) is Role.VIEWER

    changed = logged_in.post(f"{base}/{other_user.id}", headers=hx, data={"role": "viewer"})
    assert changed.status_code == 200 and "bob is now a viewer." in text(changed)
    assert role_of(app, home, other_user.id) is Role.VIEWER

    removed = logged_in.post(f"{base}/{carol.id}/remove", headers=hx)
    assert "Removed carol from the project." in text(removed)
    assert role_of(app, home, carol.id) is None

    # Without script: each form posts and comes back to the sharing page.
    plain = logged_in.post(f"{base}/{other_user.id}",
                           data={"role": "editor", "csrf_token": hx["X-CSRFToken"]})
    assert plain.status_code == 303 and plain.headers["Location"] == base
    assert "bob is now an editor." in text(logged_in.get(base))

    handed = logged_in.post(f"/projects/{home}/owner", headers=hx,
                            data={"new_owner": str(other_user.id)})
    assert handed.headers["HX-Redirect"] == f"/projects/{home}"
    assert role_of(app, home, other_user.id) is Role.OWNER
    assert role_of(app, home, user.id) is Role.EDITOR
    assert 'id="project-settings"' not in text(logged_in.get(f"/projects/{home}"))


@pytest.mark.parametrize(("who", "message", "status"), [
    ("nobody-here", "Nobody has this username.", 404),
    ("nobody@example.com", "Nobody has this email.", 404),
    ("bob", "This person is already a member of the project.", 409),
    ("", "Must not be empty.", 422),
])
def test_an_invitation_that_fails_says_why_next_to_the_field(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User,
    make_project: MakeProject, hx: dict[str, str], who: str, message: str, status: int
) -> None:
    home = make_project(user, "Home", members={other_user: "viewer"})
    response = logged_in.post(f"/projects/{home}/members", headers=hx,
                              data={"who": who, "role": "editor"})
    assert response.status_code == status
    fragment = text(response)
    assert 'id="invite-who-error"' in fragment and message in fragment
    assert f'value="{who}"' in fragment or not who
    assert role_of(app, home, other_user.id) is Role.VIEWER
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Membership)
                                 .where(Membership.project_id == home)) == 2


def test_the_owners_own_row_has_no_controls_and_the_owner_cannot_leave(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User,
    make_project: MakeProject, hx: dict[str, str]
) -> None:
    home = make_project(user, "Home", members={other_user: "editor"})
    panel = text(logged_in.get(f"/projects/{home}/members", headers=hx))
    assert f'id="member-{user.id}-role"' not in panel
    assert f'id="member-{other_user.id}-role"' in panel
    assert ">Leave project</button>" not in panel and ">Transfer ownership</button>" in panel
    refused = logged_in.post(f"/projects/{home}/leave", headers=hx)
    assert refused.status_code == 409 and "owner cannot leave" in text(refused)
    own_row = logged_in.post(f"/projects/{home}/members/{user.id}", headers=hx,
                             data={"role": "viewer"})
    assert own_row.status_code == 409
    assert role_of(app, home, user.id) is Role.OWNER
    page = text(logged_in.get(f"/projects/{home}/members"))
    assert "<title>Share Home · taskweb</title>" in page and duplicate_ids(page) == {}


# --- the task form: project, labels, assignee -------------------------------------

def test_the_task_form_offers_the_projects_one_may_edit_and_label_suggestions(
    logged_in: FlaskClient, user: User, other_user: User, make_project: MakeProject,
    make_task
) -> None:
    mine = make_project(user, "Home")
    editing = make_project(other_user, "Garden", members={user: "editor"})
    viewing = make_project(other_user, "Office", members={user: "viewer"})
    make_task(user, "Labelled", labels=["errand"])
    page = text(logged_in.get("/"))
    form = page.split('<form id="add-task"', 1)[1].split("</form>", 1)[0]
    assert '<label for="new-project_id">Project</label>' in form
    select = form.split('id="new-project_id"', 1)[1].split("</select>", 1)[0]
    assert re.findall(r'<option(?: selected)? value="(\d+)">', select) == [
        "1", str(editing), str(mine)]
    assert '<option selected value="1">Inbox</option>' in select
    assert str(viewing) not in select
    assert '<label for="new-labels">Labels</label>' in form
    assert 'list="label-suggestions"' in form
    assert '<datalist id="label-suggestions">' in page and '<option value="errand">' in page
    assert "Assign to" not in form  # only on a shared project's page


def test_labels_show_as_chips_that_filter_the_list(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    make_task(user, "Paint", labels=["home", "diy"])
    make_task(user, "Read")
    page = text(logged_in.get("/"))
    chips = page.split('<ul class="chips" aria-label="Labels">', 1)[1].split("</ul>", 1)[0]
    assert re.findall(r'<li><a class="chip" href="([^"]+)">(\w+)</a></li>', chips) == [
        ("/?label=home", "home"), ("/?label=diy", "diy")]
    labelled = text(logged_in.get("/?label=home"))
    assert titles(labelled) == ["Paint"] and "<h1>Label: home</h1>" in labelled
    # The filters keep the label the view is about.
    assert '<input type="hidden" name="label" value="home">' in labelled


@pytest.mark.parametrize(("labels", "message"), [
    (" ".join(f"l{number}" for number in range(21)), "At most 20 labels."),
    ("x" * 51, "Each label must be 1 to 50 characters long."),
])
def test_bad_labels_are_refused_next_to_the_labels_field(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str],
    labels: str, message: str
) -> None:
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "Paint", "priority": "medium", "labels": labels})
    assert response.status_code == 422
    assert 'id="new-labels-error"' in text(response) and message in text(response)
    assert f'value="{labels}"' in text(response)
    assert task_titles(app) == []
    task = make_task(user, "Kept", labels=["one"])
    edit = logged_in.put(f"/tasks/{task.id}", headers=hx,
                         data={"title": "Kept", "version": str(task.version), "labels": labels})
    assert edit.status_code == 422 and f'id="task-{task.id}-labels-error"' in text(edit)
    assert stored(app, Task, task.id).version == task.version


def test_a_label_with_a_space_in_the_url_is_a_filter_error(logged_in: FlaskClient) -> None:
    response = logged_in.get("/?label=two%20words", headers=HX)
    assert response.status_code == 422
    assert "A label may contain no spaces or commas." in text(response)


@pytest.mark.parametrize("project", ["theirs", "999", "not-a-number"])
def test_a_project_one_cannot_see_is_refused_next_to_the_project_field(
    app: Flask, logged_in: FlaskClient, other_user: User, make_project: MakeProject,
    hx: dict[str, str], project: str
) -> None:
    theirs = make_project(other_user, "Secret")
    project_id = str(theirs) if project == "theirs" else project
    response = logged_in.post("/tasks", headers=hx, data={
        "title": "Mine", "priority": "medium", "project_id": project_id})
    assert response.status_code in (404, 422)
    assert 'id="new-project_id-error"' in text(response)
    assert "Secret" not in text(response)
    assert task_titles(app) == []


def test_assign_to_a_member_of_a_shared_project_only(
    app: Flask, logged_in: FlaskClient, user: User, other_user: User, make_user,
    make_project: MakeProject, make_task, hx: dict[str, str]
) -> None:
    outsider = make_user("olga")
    home = make_project(user, "Home", members={other_user: "editor"})
    page = text(logged_in.get(f"/projects/{home}"))
    form = page.split('<form id="add-task"', 1)[1].split("</form>", 1)[0]
    assert '<label for="new-assignee_id">Assign to</label>' in form
    assert f'<option value="{other_user.id}">bob</option>' in form
    hx["HX-Current-URL"] = f"http://localhost/projects/{home}"
    refused = logged_in.post("/tasks", headers=hx, data={
        "title": "Fix", "priority": "medium", "project_id": str(home),
        "assignee_id": str(outsider.id)})
    assert refused.status_code == 422
    assert 'id="new-assignee_id-error"' in text(refused)
    assert "The assignee must be a member of the task&#39;s project." in text(refused)
    assert task_titles(app) == []
    added = logged_in.post("/tasks", headers=hx, data={
        "title": "Fix", "priority": "medium", "project_id": str(home),
        "assignee_id": str(other_user.id)})
    assert added.status_code == 201 and "Assigned to bob" in text(added)
    task = make_task(user, "Mine to do", project_id=home, assignee_id=user.id)
    edit = text(logged_in.get(f"/tasks/{task.id}/edit", headers=hx))
    assert f'<option selected value="{user.id}">alice (you)</option>' in edit
    mine = text(logged_in.get("/?assignee=me"))
    assert titles(mine) == ["Mine to do"] and "<h1>Assigned to me</h1>" in mine
    assert "Assigned to you" in mine


def test_an_edit_moves_a_task_to_another_project(
    app: Flask, logged_in: FlaskClient, user: User, make_project: MakeProject, make_task,
    hx: dict[str, str]
) -> None:
    home = make_project(user, "Home")
    task = make_task(user, "Paint", labels=["diy"])
    form = text(logged_in.get(f"/tasks/{task.id}/edit", headers=hx))
    assert f'<label for="task-{task.id}-project_id">Project</label>' in form
    assert re.search(rf'<input [^>]*id="task-{task.id}-labels" list="label-suggestions" '
                     r'name="labels"[^>]*value="diy">', form)
    saved = logged_in.put(f"/tasks/{task.id}", headers=hx, data={
        "title": "Paint", "version": str(task.version), "project_id": str(home),
        "labels": "diy home"})
    assert saved.status_code == 200
    after = stored(app, Task, task.id)
    assert after.project_id == home
    with app.app_context():
        assert set(db.session.scalars(db.select(TaskLabel.name))) == {"diy", "home"}


# --- subtasks ---------------------------------------------------------------------

def test_subtasks_are_added_and_completed_in_place_with_their_progress(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    paint = make_task(user, "Paint")
    row = text(logged_in.get("/")).split(f'<li id="task-{paint.id}"', 1)[1]
    assert 'aria-label="Add subtask"' in row
    opened = text(logged_in.get(f"/tasks/{paint.id}/subtasks?adding=1", headers=hx))
    assert 'aria-label="Add a subtask to Paint"' in opened and "autofocus" in opened
    added = logged_in.post(f"/tasks/{paint.id}/subtasks", headers=hx,
                           data={"title": "Buy brushes"})
    assert added.status_code == 201
    block = text(added)
    assert block.lstrip().startswith(f'<div class="subtasks" id="task-{paint.id}-subtasks"')
    assert "autofocus" in block  # ready for the next one
    assert '<span aria-hidden="true">0/1</span>' in block
    assert "Added the subtask “Buy brushes”." in block
    brushes = next(task for task in _all_tasks(app) if task.title == "Buy brushes")
    assert brushes.parent_id == paint.id
    done = logged_in.post(f"/tasks/{brushes.id}/complete", headers=hx, data={"completed": "1"})
    assert done.status_code == 200 and '<span aria-hidden="true">1/1</span>' in text(done)
    # The list shows top-level tasks: the subtask under its task, loaded as it shows.
    listing = text(logged_in.get("/"))
    assert titles(listing) == ["Paint"]
    assert f'hx-get="/tasks/{paint.id}/subtasks" hx-trigger="revealed"' in listing
    assert '<span aria-hidden="true">1/1</span>' in listing
    task_page = text(logged_in.get(f"/tasks/{paint.id}"))
    assert "Buy brushes" in task_page and duplicate_ids(task_page) == {}
    removed = logged_in.post(f"/tasks/{brushes.id}/delete", headers=hx)
    assert "Deleted the subtask “Buy brushes”." in text(removed)
    assert [task.title for task in _all_tasks(app) if task.deleted_at is None] == ["Paint"]


def _all_tasks(app: Flask) -> list[Task]:
    with app.app_context():
        tasks = list(db.session.scalars(db.select(Task).order_by(Task.id)))
        for task in tasks:
            db.session.expunge(task)
        return tasks


def test_a_subtask_of_a_subtask_is_refused_next_to_the_field(
    app: Flask, logged_in: FlaskClient, user: User, make_task, hx: dict[str, str]
) -> None:
    paint = make_task(user, "Paint")
    brushes = make_task(user, "Buy brushes", parent_id=paint.id)
    response = logged_in.post(f"/tasks/{brushes.id}/subtasks", headers=hx,
                              data={"title": "Too deep"})
    assert response.status_code == 422
    assert f'id="task-{brushes.id}-subtask-title-error"' in text(response)
    assert "Subtasks are one level deep: this task is a subtask." in text(response)
    assert "Too deep" in text(response)
    assert sorted(task_titles(app)) == ["Buy brushes", "Paint"]
    empty = logged_in.post(f"/tasks/{paint.id}/subtasks", headers=hx, data={"title": " "})
    assert empty.status_code == 422
    assert sorted(task_titles(app)) == ["Buy brushes", "Paint"]


def test_subtasks_without_javascript(
    app: Flask, logged_in: FlaskClient, user: User, make_task, token: str
) -> None:
    paint = make_task(user, "Paint")
    response = logged_in.post(f"/tasks/{paint.id}/subtasks",
                              data={"title": "Buy brushes", "csrf_token": token})
    assert response.status_code == 303 and response.headers["Location"] == f"/tasks/{paint.id}"
    page = text(logged_in.get(f"/tasks/{paint.id}"))
    assert "Added the subtask “Buy brushes”." in page and "Buy brushes</a>" in page
    assert logged_in.get(f"/tasks/{paint.id}/subtasks").status_code == 200


def test_a_task_moved_away_leaves_the_project_page_it_was_saved_on(
    logged_in: FlaskClient, user: User, make_project: MakeProject, make_task,
    hx: dict[str, str]
) -> None:
    home = make_project(user, "Home")
    task = make_task(user, "Paint", project_id=home)
    make_task(user, "Sweep", project_id=home)
    hx["HX-Current-URL"] = f"http://localhost/projects/{home}"
    response = logged_in.put(f"/tasks/{task.id}", headers=hx, data={
        "title": "Paint", "version": str(task.version), "project_id": "1"})
    assert response.status_code == 200 and response.headers["HX-Retarget"] == "#task-list"
    assert titles(text(response)) == ["Sweep"]
    hx["HX-Current-URL"] = "http://localhost/"
    saved = logged_in.put(f"/tasks/{task.id}", headers=hx, data={
        "title": "Paint it", "version": str(task.version + 1)})
    assert titles(text(saved)) == ["Paint it"] and 'id="sidebar-lists"' in text(saved)

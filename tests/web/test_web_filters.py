"""The search box speaks the filter language, "Save as filter", a saved filter's page,
its Rename and Delete, and the sidebar's "Filters"."""

from __future__ import annotations

import re
from urllib.parse import quote

from flask.testing import FlaskClient

from taskweb.models import User
from tests.web.conftest import HX, text


def titles(html: str) -> list[str]:
    return sorted(re.findall(r'<h3 class="task__title" id="task-\d+-name">(.*?)</h3>', html))


def error_under_the_box(html: str) -> str:
    match = re.search(r'<p id="filter-q-error"[^>]*>(.*?)</p>', html, re.S)
    assert match, "no message element under the search box"
    return match.group(1).strip()


def test_plain_words_still_just_search(logged_in: FlaskClient, user: User, make_task) -> None:
    make_task(user, "Buy milk")
    make_task(user, "Call mum")
    response = logged_in.get("/?q=buy+mil", headers=HX)
    assert response.status_code == 200 and titles(text(response)) == ["Buy milk"]
    assert response.headers["HX-Push-Url"] == "/?q=buy+mil"


def test_the_box_takes_the_filter_language(logged_in: FlaskClient, user: User,
                                          make_task) -> None:
    make_task(user, "Buy milk", priority="high")
    make_task(user, "Call mum", priority="low", labels=["family"])
    make_task(user, "Tax form", priority="high", status="completed")
    page = text(logged_in.get("/?q=" + quote("priority:high -status:completed")))
    assert titles(page) == ["Buy milk"]
    assert "1 task matching the filters" in page
    fragment = text(logged_in.get("/?q=" + quote("label:family OR milk"), headers=HX))
    assert titles(fragment) == ["Buy milk", "Call mum"]
    assert error_under_the_box(fragment) == ""  # a previous message is cleared
    assert titles(text(logged_in.get("/?q=" + quote('"tax form"')))) == ["Tax form"]


def test_a_malformed_filter_is_shown_next_to_the_box_and_the_list_stays(
    logged_in: FlaskClient, user: User, make_task
) -> None:
    make_task(user, "Buy milk")
    response = logged_in.get("/?q=" + quote("status:"), headers=HX)
    assert response.status_code == 422
    assert response.headers["HX-Reswap"] == "none"  # the list on screen stays
    fragment = text(response)
    assert 'id="task-list"' not in fragment
    assert error_under_the_box(fragment) == "Expected a value after &#39;status:&#39; " \
                                            "at character 7."
    assert 'hx-swap-oob="innerHTML"' in fragment
    page_response = logged_in.get("/?q=" + quote("(milk"))
    page = text(page_response)
    assert page_response.status_code == 422
    assert "at character 5" in error_under_the_box(page)
    assert 'aria-describedby="filter-q-error" aria-invalid="true"' in page
    assert titles(page) == ["Buy milk"]  # the list without the malformed search


def test_save_as_filter_from_the_page_on_screen(logged_in: FlaskClient, user: User,
                                               make_task, hx) -> None:
    make_task(user, "Buy milk", priority="high")
    make_task(user, "Call mum")
    headers = {**hx, "HX-Current-URL": "http://localhost/?status=todo&q=milk"}
    response = logged_in.post("/filters", data={"name": "Milk"}, headers=headers)
    assert response.status_code == 200
    location = response.headers["HX-Redirect"]
    assert re.fullmatch(r"/filters/\d+", location)
    page = text(logged_in.get(location))
    assert "<h1>Milk</h1>" in page
    assert "(status:todo) (milk)" in page
    assert titles(page) == ["Buy milk"]
    assert "Saved the filter “Milk”." in page
    # The sidebar lists it under "Filters", marked as the page on screen.
    assert '<h2 class="sidebar__heading" id="sidebar-filters-heading">Filters</h2>' in page
    assert f'href="{location}" aria-label="Milk" aria-current="page"' in page


def test_save_as_filter_errors_stand_next_to_the_name(logged_in: FlaskClient, hx) -> None:
    headers = {**hx, "HX-Current-URL": "http://localhost/?q=milk"}
    assert logged_in.post("/filters", data={"name": "Milk"}, headers=headers).status_code == 200
    taken = logged_in.post("/filters", data={"name": "MILK"}, headers=headers)
    assert taken.status_code == 409
    assert "You already have a filter with this name." in text(taken)
    assert 'aria-invalid="true"' in text(taken) and 'id="save-filter"' in text(taken)
    nothing = logged_in.post("/filters", data={"name": "All"},
                             headers={**hx, "HX-Current-URL": "http://localhost/"})
    assert nothing.status_code == 422 and "nothing to save" in text(nothing)
    bad = logged_in.post("/filters", data={"name": "Bad"},
                         headers={**hx, "HX-Current-URL": "http://localhost/?q=status%3A"})
    assert bad.status_code == 422
    assert "The filter: Expected a value after" in text(bad)


def test_save_without_javascript_reads_the_referring_page(logged_in: FlaskClient,
                                                          token: str) -> None:
    response = logged_in.post("/filters", data={"name": "Low", "csrf_token": token},
                              headers={"Referer": "http://localhost/?priority=low"})
    assert response.status_code == 303
    page = text(logged_in.get(response.headers["Location"]))
    assert "<h1>Low</h1>" in page and "priority:low" in page
    failed = logged_in.post("/filters", data={"name": "", "csrf_token": token},
                            headers={"Referer": "http://localhost/?priority=low"})
    assert failed.status_code == 422
    assert "Must be 1 to 100 characters once trimmed." in text(failed)
    assert 'name="query" value="priority:low"' in text(failed)


def test_a_filter_page_narrows_with_the_box_rename_and_delete(
    logged_in: FlaskClient, user: User, make_task, hx, token: str
) -> None:
    make_task(user, "Buy milk", priority="high")
    make_task(user, "Buy bread", priority="high")
    make_task(user, "Call mum")
    created = logged_in.post("/filters", data={"name": "Urgent"},
                             headers={**hx, "HX-Current-URL": "http://localhost/?priority=high"})
    url = created.headers["HX-Redirect"]
    assert titles(text(logged_in.get(url))) == ["Buy bread", "Buy milk"]
    narrowed = logged_in.get(f"{url}?q=milk", headers=HX)
    assert titles(text(narrowed)) == ["Buy milk"]
    assert narrowed.headers["HX-Push-Url"] == f"{url}?q=milk"
    assert titles(text(logged_in.get(f"{url}?q=" + quote("-label:x bread")))) == ["Buy bread"]
    renamed = logged_in.post(f"{url}/rename", data={"name": "Hot"}, headers=hx)
    assert renamed.headers["HX-Redirect"] == url
    assert "<h1>Hot</h1>" in text(logged_in.get(url))
    blank = logged_in.post(f"{url}/rename", data={"name": " "}, headers=hx)
    assert blank.status_code == 422 and 'id="rename-filter-error"' in text(blank)
    deleted = logged_in.post(f"{url}/delete", data={"csrf_token": token})
    assert deleted.status_code == 303 and deleted.headers["Location"] == "/"
    assert "Deleted the filter “Hot”." in text(logged_in.get("/"))
    assert logged_in.get(url).status_code == 404


def test_another_persons_filter_is_a_404(logged_in: FlaskClient, app, other_user,
                                        token: str) -> None:
    from taskweb.wiring import saved_filter_service

    with app.app_context():
        theirs = saved_filter_service().create(other_user, {"name": "Theirs", "query": "x"})
    url = f"/filters/{theirs.id}"
    assert logged_in.get(url).status_code == 404
    assert logged_in.post(f"{url}/rename", data={"name": "Mine", "csrf_token": token}
                          ).status_code == 404
    assert logged_in.post(f"{url}/delete", data={"csrf_token": token}).status_code == 404
    with app.app_context():
        assert saved_filter_service().get(other_user, theirs.id).name == "Theirs"


def test_writes_need_the_csrf_token(logged_in: FlaskClient) -> None:
    response = logged_in.post("/filters", data={"name": "x"},
                              headers={"Referer": "http://localhost/?q=milk"})
    assert response.status_code in (400, 403)

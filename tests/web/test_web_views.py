"""Today and Upcoming in the browser: which tasks each shows in the person's zone around
midnight (the app's clock frozen, in a zone east and one west of UTC), their order and
groups, and a change made on them answering with the view as it now is."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from taskweb.domain.dates import utc_instant
from taskweb.extensions import db
from taskweb.models import Task, User
from tests.web.conftest import HX, csrf_token, text

TOKYO = ZoneInfo("Asia/Tokyo")  # UTC+9
LOS_ANGELES = ZoneInfo("America/Los_Angeles")  # UTC-8 in winter
StandAt = Callable[[datetime], None]


def local(day: date, zone: ZoneInfo, at: time | None = None) -> datetime:
    return utc_instant(day, at, zone)


def on(client: FlaskClient, path: str, zone: ZoneInfo, **headers: str) -> str:
    client.set_cookie("tz", zone.key.replace("/", "%2F"))
    response = client.get(path, headers=headers)
    assert response.status_code == 200
    return text(response)


def titles_in(page: str) -> list[str]:
    return [chunk.split(">", 1)[1].split("<", 1)[0]
            for chunk in page.split('class="task__title"')[1:]]


def section(page: str, heading_id: str) -> str:
    return page.split(f'id="{heading_id}"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def dated(make_task: Callable[..., Task], user: User) -> Callable[..., Task]:
    """A task of the user's due at an instant."""
    return lambda title, due, **fields: make_task(user, title, due_date=due.isoformat(),
                                                  **fields)


@pytest.mark.parametrize("zone", [TOKYO, LOS_ANGELES])
def test_today_just_before_and_just_after_local_midnight(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task], zone: ZoneInfo
) -> None:
    first, second = date(2030, 1, 1), date(2030, 1, 2)
    dated("Due on the first", local(first, zone))
    dated("Due on the second", local(second, zone))
    dated("Late on the first", local(first, zone, time(23, 45)))

    stand_at(local(first, zone, time(23, 30)))  # another UTC day than the local one
    page = on(logged_in, "/today", zone)
    assert "<h1" in page and ">Today</h1>" in page
    assert '<time datetime="2030-01-01">Tuesday 1 January 2030</time>' in page
    assert "group-overdue" not in page
    assert titles_in(section(page, "group-today")) == ["Due on the first", "Late on the first"]

    stand_at(local(second, zone, time(0, 30)))
    page = on(logged_in, "/today", zone)
    assert '<time datetime="2030-01-02">Wednesday 2 January 2030</time>' in page
    assert titles_in(section(page, "group-overdue")) == ["Due on the first", "Late on the first"]
    assert titles_in(section(page, "group-today")) == ["Due on the second"]


def test_overdue_first_then_by_due_time_then_priority(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task]
) -> None:
    day = date(2030, 3, 5)
    stand_at(local(day, TOKYO, time(12, 0)))
    dated("This evening", local(day, TOKYO, time(18, 0)))
    dated("Today, low", local(day, TOKYO), priority="low")
    dated("Today, high", local(day, TOKYO), priority="high")
    dated("This morning", local(day, TOKYO, time(9, 0)))  # passed: overdue
    dated("Last week", local(date(2030, 2, 26), TOKYO))
    page = on(logged_in, "/today", TOKYO)
    assert titles_in(page) == ["Last week", "This morning", "Today, high", "Today, low",
                               "This evening"]
    assert "5 tasks: 2 overdue, 3 due today" in page


def test_today_leaves_out_done_trashed_undated_later_subtasks_and_others_tasks(
    app: Flask, logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task],
    make_task: Callable[..., Task], user: User, other_user: User
) -> None:
    day = date(2030, 3, 5)
    stand_at(local(day, TOKYO, time(12, 0)))
    parent = dated("Open", local(day, TOKYO))
    dated("Done", local(day, TOKYO), status="completed")
    dated("A step", local(day, TOKYO), parent_id=parent.id)
    dated("Next week", local(date(2030, 3, 12), TOKYO))
    make_task(user, "Undated")
    trashed = dated("Trashed", local(day, TOKYO))
    with app.app_context():
        db.session.get(Task, trashed.id).deleted_at = local(day, TOKYO)
        db.session.commit()
    make_task(other_user, "Not mine", due_date=local(day, TOKYO).isoformat())
    page = on(logged_in, "/today", TOKYO)
    assert titles_in(page) == ["Open"]
    assert "1 task: 1 due today" in page


@pytest.mark.parametrize("zone", [TOKYO, LOS_ANGELES])
def test_upcoming_groups_by_local_day_and_folds_quiet_days(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task], zone: ZoneInfo
) -> None:
    # Thursday 26 November 2026, 23:30 in the zone: Friday already in UTC for Tokyo's
    # neighbours, still Thursday for Los Angeles's.
    stand_at(local(date(2026, 11, 26), zone, time(23, 30)))
    dated("Late", local(date(2026, 11, 20), zone))
    dated("Tonight", local(date(2026, 11, 26), zone, time(23, 45)))
    dated("Tomorrow's", local(date(2026, 11, 27), zone))
    dated("Saturday's", local(date(2026, 11, 28), zone))
    dated("Wednesday's", local(date(2026, 12, 2), zone))
    dated("Last day", local(date(2026, 12, 9), zone, time(23, 59)))
    dated("Too far", local(date(2026, 12, 10), zone))
    page = on(logged_in, "/upcoming", zone)
    assert ">Upcoming</h1>" in page and "The next 14 days" in page
    assert titles_in(section(page, "group-overdue")) == ["Late"]
    assert titles_in(section(page, "day-2026-11-26")) == ["Tonight"]
    # Each heading says how many tasks it holds, in words for a screen reader.
    assert '<span class="visually-hidden">, 1 task</span>' in section(page, "group-overdue")
    assert '<time datetime="2026-11-26">Today</time>' in page
    assert '<time datetime="2026-11-27">Tomorrow</time>' in page
    assert '<time datetime="2026-11-28">Saturday 28 November</time>' in page
    assert "Sun 29 Nov – Tue 1 Dec: nothing due" in page
    assert "Thu 3 Dec – Tue 8 Dec: nothing due" in page
    assert titles_in(section(page, "day-2026-12-09")) == ["Last day"]
    assert "Too far" not in page
    assert "6 tasks, 1 overdue" in page


def test_a_quiet_single_day_reads_as_one_day(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task]
) -> None:
    stand_at(local(date(2026, 11, 26), TOKYO, time(8, 0)))
    dated("Thursday", local(date(2026, 11, 26), TOKYO))
    dated("Saturday", local(date(2026, 11, 28), TOKYO))
    page = on(logged_in, "/upcoming", TOKYO)
    assert "Fri 27 Nov: nothing due" in page and "Sun 29 Nov – Wed 9 Dec: nothing due" in page


def test_empty_views_say_so(logged_in: FlaskClient, stand_at: StandAt) -> None:
    stand_at(local(date(2026, 11, 26), TOKYO, time(8, 0)))
    assert "Nothing due today." in on(logged_in, "/today", TOKYO)
    page = on(logged_in, "/upcoming", TOKYO)
    assert "Thu 26 Nov – Wed 9 Dec: nothing due" in page
    assert "Nothing due in the next 14 days" in page


def test_htmx_gets_the_list_alone_and_the_page_is_the_same_url(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task]
) -> None:
    stand_at(local(date(2026, 11, 26), TOKYO, time(8, 0)))
    dated("Thursday", local(date(2026, 11, 26), TOKYO))
    for path, title in (("/today", "Today"), ("/upcoming", "Upcoming")):
        fragment = on(logged_in, path, TOKYO, **HX)
        assert "<html" not in fragment and 'id="task-list"' in fragment
        assert f"<title>{title} · taskweb</title>" in fragment
        assert 'hx-swap-oob="innerHTML"' in fragment  # the count, announced
        page = on(logged_in, path, TOKYO)
        assert "<html" in page and f"<title>{title} · taskweb</title>" in page


def test_the_sidebar_links_today_with_its_count_and_upcoming_above_all_tasks(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task]
) -> None:
    stand_at(local(date(2026, 11, 26), TOKYO, time(8, 0)))
    dated("Thursday", local(date(2026, 11, 26), TOKYO))
    dated("Late", local(date(2026, 11, 1), TOKYO))
    dated("Friday", local(date(2026, 11, 27), TOKYO))
    for path in ("/", "/today", "/upcoming"):
        page = on(logged_in, path, TOKYO)
        today = page.index('aria-label="Today, 2 open tasks"')
        upcoming = page.index('href="/upcoming" aria-label="Upcoming"')
        assert today < upcoming < page.index('aria-label="All tasks, 3 open tasks"')
    assert 'href="/today" aria-label="Today, 2 open tasks" aria-current="page"' in \
        on(logged_in, "/today", TOKYO)
    assert 'href="/upcoming" aria-label="Upcoming" aria-current="page"' in \
        on(logged_in, "/upcoming", TOKYO)


@pytest.fixture
def on_today(logged_in: FlaskClient, stand_at: StandAt) -> dict[str, str]:
    """htmx headers of a request sent from the Today page in Tokyo on 26 November."""
    stand_at(local(date(2026, 11, 26), TOKYO, time(8, 0)))
    return {**HX, "X-CSRFToken": csrf_token(logged_in, "/today"),
            "X-Timezone": TOKYO.key, "HX-Current-URL": "http://localhost/today"}


def test_a_task_completed_on_today_leaves_it(
    logged_in: FlaskClient, on_today: dict[str, str], dated: Callable[..., Task]
) -> None:
    done = dated("Finish", local(date(2026, 11, 26), TOKYO))
    dated("Stay", local(date(2026, 11, 26), TOKYO))
    response = logged_in.post(f"/tasks/{done.id}/complete", headers=on_today,
                              data={"completed": "1"})
    assert response.status_code == 200
    assert response.headers["HX-Retarget"] == "#task-list"
    page = text(response)
    assert titles_in(page) == ["Stay"] and "Completed “Finish”." in page
    assert "1 task: 1 due today" in page and 'aria-label="Today, 1 open task"' in page


def test_a_task_re_dated_out_of_today_leaves_it(
    logged_in: FlaskClient, on_today: dict[str, str], dated: Callable[..., Task]
) -> None:
    moved = dated("Later", local(date(2026, 11, 26), TOKYO))
    edit = text(logged_in.get(f"/tasks/{moved.id}/edit", headers=on_today))
    version = edit.split('name="version" type="hidden" value="', 1)[1].split('"', 1)[0]
    response = logged_in.post(f"/tasks/{moved.id}", headers=on_today, data={
        "title": "Later", "priority": "medium", "status": "todo", "version": version,
        "due_date": "2026-12-03",
    })
    assert response.status_code == 200, text(response)
    assert titles_in(text(response)) == [] and "Nothing due today." in text(response)
    page = on(logged_in, "/upcoming", TOKYO)
    assert titles_in(section(page, "day-2026-12-03")) == ["Later"]


def test_delete_on_today_answers_today_and_undo_brings_the_task_back(
    logged_in: FlaskClient, on_today: dict[str, str], dated: Callable[..., Task]
) -> None:
    gone = dated("Drop", local(date(2026, 11, 26), TOKYO))
    response = logged_in.delete(f"/tasks/{gone.id}", headers=on_today)
    page = text(response)
    assert response.status_code == 200 and "Nothing due today." in page
    assert "Deleted “Drop”." in page and ">Undo</button>" in page
    undo = {name: value for name, value in
            [(chunk.split('"', 1)[0], chunk.split('value="', 1)[1].split('"', 1)[0])
             for chunk in page.split('class="flash__undo"', 1)[1].split("</form>", 1)[0]
             .split('name="')[1:] if 'value="' in chunk.split(">", 1)[0]]}
    restored = logged_in.post("/tasks/restore", headers=on_today, data=undo)
    assert restored.status_code == 200
    assert titles_in(text(restored)) == ["Drop"]


def test_today_has_the_quick_add_box_and_a_task_added_for_today_joins_it(
    logged_in: FlaskClient, on_today: dict[str, str], dated: Callable[..., Task]
) -> None:
    dated("Already there", local(date(2026, 11, 26), TOKYO))
    page = on(logged_in, "/today", TOKYO)
    assert '<label for="quick-add">Quick add</label>' in page and 'id="bulk-actions"' in page
    response = logged_in.post("/tasks/quick", headers=on_today, data={
        "text": "Call the bank today !high"})
    assert response.status_code == 201, text(response)
    assert response.headers["HX-Retarget"] == "#task-list"
    answer = text(response)
    assert titles_in(answer) == ["Call the bank", "Already there"]
    # A fresh box comes back out of band, so the next task can be typed at once.
    assert 'id="quick-add-form"' in answer and 'hx-swap-oob="true"' in answer


def test_bulk_complete_on_today_answers_today_without_them(
    logged_in: FlaskClient, on_today: dict[str, str], dated: Callable[..., Task]
) -> None:
    done = [dated(f"Done {n}", local(date(2026, 11, 26), TOKYO)) for n in range(3)]
    dated("Stay", local(date(2026, 11, 26), TOKYO))
    on(logged_in, "/today", TOKYO)
    response = logged_in.post("/tasks/bulk", headers=on_today, data={
        "action": "complete", "ids": [str(task.id) for task in done]})
    assert response.status_code == 200, text(response)
    answer = text(response)
    assert titles_in(answer) == ["Stay"] and "Completed 3 tasks." in answer


def test_without_script_a_change_on_today_goes_back_to_today(
    logged_in: FlaskClient, stand_at: StandAt, dated: Callable[..., Task]
) -> None:
    stand_at(local(date(2026, 11, 26), TOKYO, time(8, 0)))
    task = dated("Plain", local(date(2026, 11, 26), TOKYO))
    response = logged_in.post(f"/tasks/{task.id}/complete", data={
        "completed": "1", "csrf_token": csrf_token(logged_in, "/today"),
    }, headers={"Referer": "http://localhost/today"})
    assert response.status_code == 303 and response.headers["Location"] == "/today"
    assert "Completed “Plain”." in on(logged_in, "/today", TOKYO)


def test_assigned_to_me_and_a_label_have_their_own_heading_and_title(
    logged_in: FlaskClient, make_task: Callable[..., Task], user: User
) -> None:
    make_task(user, "Mine", assignee_id=user.id, labels=["Home"])
    make_task(user, "Nobody's")
    page = text(logged_in.get("/?assignee=me"))
    assert "<title>Assigned to me · taskweb</title>" in page and ">Assigned to me</h1>" in page
    assert titles_in(page) == ["Mine"]
    page = text(logged_in.get("/?label=Home"))
    assert "<title>Label: Home · taskweb</title>" in page and ">Label: Home</h1>" in page
    assert titles_in(page) == ["Mine"]
    assert 'aria-current="page"' in page.split('aria-label="Home, 1 open task"', 1)[1][:40]


def test_views_need_a_login(client: FlaskClient) -> None:
    for path in ("/today", "/upcoming"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]

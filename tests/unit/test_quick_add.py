"""The quick-add grammar as a table: (text, zone, now) -> the fields understood.

Expected due dates are written on the wall clock of the case's zone: "2026-11-27" is a
day without a time, "2026-11-27 17:00" a day and a time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from taskweb.domain.quick_add import QuickAddError, parse_quick_add

UTC_ZONE = "UTC"
BERLIN = "Europe/Berlin"
TOKYO = "Asia/Tokyo"
NEW_YORK = "America/New_York"
AUCKLAND = "Pacific/Auckland"
# A Thursday, 10:00 UTC (11:00 in Berlin, 19:00 in Tokyo, 05:00 in New York).
THURSDAY = "2026-11-26T10:00Z"


def case(text: str, title: str, due: str | None = None, *, zone: str = UTC_ZONE,
         now: str = THURSDAY, priority: str | None = None, project: str | None = None,
         labels: tuple[str, ...] = (), rule: str | None = None):
    return pytest.param(text, zone, now, dict(title=title, due=due, priority=priority,
                                              project=project, labels=labels, rule=rule),
                        id=f"{text}|{zone}|{now}")


CASES = [
    # Titles alone and whitespace.
    case("Buy milk", "Buy milk"),
    case("  Buy   milk  ", "Buy milk"),
    case("buy milk at the shop", "buy milk at the shop"),
    case("Fix issue #123", "Fix issue #123"),
    case("mail bob@example.com", "mail bob@example.com"),
    case("read chapter 5", "read chapter 5"),
    case("every", "every"),
    case("in 3 apples", "in 3 apples"),
    case("next thing", "next thing"),
    case("score 25:00 points", "score 25:00 points"),
    # Priorities.
    case("Call Ann !high", "Call Ann", priority="high"),
    case("!medium Call Ann", "Call Ann", priority="medium"),
    case("Call !low Ann", "Call Ann", priority="low"),
    case("Call Ann !1", "Call Ann", priority="high"),
    case("Call Ann !2", "Call Ann", priority="medium"),
    case("Call Ann !3", "Call Ann", priority="low"),
    case("Call Ann !HIGH", "Call Ann", priority="high"),
    case("Call Ann !high !high", "Call Ann", priority="high"),
    case("Call Ann !high !low", "Call Ann", priority="low"),
    case("Call Ann !urgent", "Call Ann !urgent"),
    case("Wow!", "Wow!"),
    # Projects and labels.
    case("Paint fence #Home", "Paint fence", project="Home"),
    case("#home Paint fence", "Paint fence", project="home"),
    case('Plan trip #"Two words"', "Plan trip", project="Two words"),
    case('Plan trip #"  Two   words "', "Plan trip", project="Two words"),
    case("Plan #Work trip #Home", "Plan trip", project="Home"),
    case("Plan #Unknown", "Plan", project="Unknown"),
    case("Plan # trip", "Plan # trip"),
    case("Buy paint @errand", "Buy paint", labels=("errand",)),
    case("Buy @errand paint @Shop", "Buy paint", labels=("errand", "Shop")),
    case("Buy paint @", "Buy paint @"),
    # Quotes keep text literally.
    case('Read "next monday" notes', "Read next monday notes"),
    case('Watch "Tomorrow Never Dies" tonight', "Watch Tomorrow Never Dies",
         "2026-11-26 20:00"),
    case('"!high" is a token', "!high is a token"),
    case('"#Home" sweet home', "#Home sweet home"),
    case('Say "hi  there"', "Say hi  there"),
    case('Unclosed " quote', 'Unclosed " quote'),
    # Relative days.
    case("Pay today", "Pay", "2026-11-26"),
    case("Pay tomorrow", "Pay", "2026-11-27"),
    case("Pay TOMORROW", "Pay", "2026-11-27"),
    case("Pay in 3 days", "Pay", "2026-11-29"),
    case("Pay in 1 day", "Pay", "2026-11-27"),
    case("Pay in 2 weeks", "Pay", "2026-12-10"),
    case("Pay in 1 month", "Pay", "2026-12-26"),
    case("Pay in 2 years", "Pay", "2028-11-26"),
    case("Pay in 0 days", "Pay in 0 days"),
    # Weekdays: today when still ahead, else next week; "next" always after today.
    case("Standup friday", "Standup", "2026-11-27"),
    case("Standup on friday", "Standup", "2026-11-27"),
    case("Standup monday", "Standup", "2026-11-30"),
    case("Standup wednesday", "Standup", "2026-12-02"),
    case("Standup thursday", "Standup", "2026-11-26"),
    case("Standup thursday 5pm", "Standup", "2026-11-26 17:00"),
    case("Standup thursday 9am", "Standup", "2026-12-03 09:00"),
    case("Standup next thursday", "Standup", "2026-12-03"),
    case("Standup next monday", "Standup", "2026-11-30"),
    case("Standup thursday 11:30", "Standup", "2026-11-26 11:30", zone=BERLIN),
    case("Standup thursday 10:30", "Standup", "2026-12-03 10:30", zone=BERLIN),
    # Month days and full dates.
    case("Party dec 5", "Party", "2026-12-05"),
    case("Party december 5", "Party", "2026-12-05"),
    case("Party 5 december", "Party", "2026-12-05"),
    case("Party 5th dec", "Party", "2026-12-05"),
    case("Party nov 26", "Party", "2026-11-26"),
    case("Party nov 25", "Party", "2027-11-25"),
    case("Party jan 3", "Party", "2027-01-03"),
    case("Party feb 29", "Party", "2028-02-29"),
    case("Party nov 25 2026", "Party", "2026-11-25"),
    case("Party 2026-12-05", "Party", "2026-12-05"),
    case("Party 2020-01-02", "Party", "2020-01-02"),
    case("Party 2026-12-05 at 18:30", "Party", "2026-12-05 18:30"),
    case("Party on 2026-12-05", "Party", "2026-12-05"),
    case("May 5 dinner", "dinner", "2027-05-05"),
    case("may I help", "may I help"),
    # Times.
    case("Call 5pm", "Call", "2026-11-26 17:00"),
    case("Call 9am", "Call", "2026-11-27 09:00"),
    case("Call 5:30pm", "Call", "2026-11-26 17:30"),
    case("Call 5 pm", "Call", "2026-11-26 17:00"),
    case("Call 17:00", "Call", "2026-11-26 17:00"),
    case("Call at 9", "Call", "2026-11-27 09:00"),
    case("Call at 21", "Call", "2026-11-26 21:00"),
    case("Call at noon", "Call", "2026-11-26 12:00"),
    case("Call noon tomorrow", "Call", "2026-11-27 12:00"),
    case("Call 12am tomorrow", "Call", "2026-11-27"),
    case("Call 12pm tomorrow", "Call", "2026-11-27 12:00"),
    case("Call tomorrow 5pm", "Call", "2026-11-27 17:00"),
    case("Call 5pm tomorrow", "Call", "2026-11-27 17:00"),
    case("Call tonight", "Call", "2026-11-26 20:00"),
    case("Call tonight at 9", "Call", "2026-11-26 21:00"),
    case("Call tonight", "Call", "2026-11-26", now="2026-11-26T21:00Z"),
    case("Call at 13pm", "Call at 13pm"),
    # The last date counts; earlier ones stay in the title.
    case("Move monday meeting to friday", "Move monday meeting to", "2026-11-27"),
    # Time zones: the day is the person's day.
    case("Pay tomorrow", "Pay", "2026-11-28", zone=TOKYO, now="2026-11-26T15:30Z"),
    case("Pay tomorrow", "Pay", "2026-11-27", zone=TOKYO, now="2026-11-26T14:00Z"),
    case("Pay tomorrow", "Pay", "2026-11-27", zone=BERLIN, now="2026-11-26T22:30Z"),
    case("Pay today", "Pay", "2026-11-27", zone=AUCKLAND, now="2026-11-26T12:00Z"),
    case("Pay tomorrow", "Pay", "2026-11-26", zone=NEW_YORK, now="2026-11-26T03:00Z"),
    case("Pay 9am", "Pay", "2026-11-27 09:00", zone=TOKYO),
    # Across a daylight saving change.
    case("Pay tomorrow 9am", "Pay", "2026-03-29 09:00", zone=BERLIN, now="2026-03-28T12:00Z"),
    case("Pay tomorrow 9am", "Pay", "2026-10-25 09:00", zone=BERLIN, now="2026-10-24T12:00Z"),
    case("Pay in 1 week 9am", "Pay", "2026-04-03 09:00", zone=BERLIN, now="2026-03-27T12:00Z"),
    case("Pay sunday 2:30am", "Pay", "2026-03-08 03:30", zone=NEW_YORK,
         now="2026-03-06T12:00Z"),
    # Recurrences.
    case("Water plants every day", "Water plants", "2026-11-26", rule="FREQ=DAILY"),
    case("Standup every weekday", "Standup", "2026-11-26",
         rule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    case("Standup every weekday", "Standup", "2026-11-30", now="2026-11-28T10:00Z",
         rule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
    case("Gym every monday", "Gym", "2026-11-30", rule="FREQ=WEEKLY;BYDAY=MO"),
    case("Gym every mondays", "Gym", "2026-11-30", rule="FREQ=WEEKLY;BYDAY=MO"),
    case("Gym every thursday 9am", "Gym", "2026-12-03 09:00", rule="FREQ=WEEKLY;BYDAY=TH"),
    case("Gym every thursday 6pm", "Gym", "2026-11-26 18:00", rule="FREQ=WEEKLY;BYDAY=TH"),
    case("Review every 2 weeks", "Review", "2026-11-26", rule="FREQ=WEEKLY;INTERVAL=2"),
    case("Review every other week", "Review", "2026-11-26", rule="FREQ=WEEKLY;INTERVAL=2"),
    case("Review every 1 week", "Review", "2026-11-26", rule="FREQ=WEEKLY"),
    case("Review every week", "Review", "2026-11-26", rule="FREQ=WEEKLY"),
    case("Rent every month", "Rent", "2026-11-26", rule="FREQ=MONTHLY"),
    case("Taxes every year", "Taxes", "2026-11-26", rule="FREQ=YEARLY"),
    case("Rent every 1st", "Rent", "2026-12-01", rule="FREQ=MONTHLY;BYMONTHDAY=1"),
    case("Rent every 26th", "Rent", "2026-11-26", rule="FREQ=MONTHLY;BYMONTHDAY=26"),
    case("Rent every 1st dec 5", "Rent", "2026-12-05", rule="FREQ=MONTHLY;BYMONTHDAY=1"),
    case("Rent every 3 months", "Rent", "2026-11-26", rule="FREQ=MONTHLY;INTERVAL=3"),
    case("every day every week", "every week", "2026-11-26", rule="FREQ=DAILY"),
    case("Every Day stretch", "stretch", "2026-11-26", rule="FREQ=DAILY"),
    case("every bit counts", "every bit counts"),
    # All at once.
    case("Pay rent tomorrow 5pm #Home @money !high every month", "Pay rent",
         "2026-11-27 17:00", zone=BERLIN, priority="high", project="Home",
         labels=("money",), rule="FREQ=MONTHLY"),
]


@pytest.mark.parametrize(("text", "zone", "now", "expected"), CASES)
def test_quick_add_table(text: str, zone: str, now: str, expected: dict) -> None:
    local_zone = ZoneInfo(zone)
    result = parse_quick_add(text, local_zone, datetime.fromisoformat(now))
    due = None
    if result.due_date is not None:
        assert result.due_date.tzinfo is not None
        assert result.due_date.utcoffset().total_seconds() == 0
        local = result.due_date.astimezone(local_zone)
        due = local.strftime("%Y-%m-%d %H:%M") if result.has_time else local.strftime("%Y-%m-%d")
        if not result.has_time:
            assert local.hour == local.minute == 0
    got = dict(title=result.title, due=due, priority=result.priority,
               project=result.project, labels=result.labels, rule=result.recurrence)
    assert got == expected


def test_the_table_has_at_least_80_cases() -> None:
    assert len(CASES) >= 80


@pytest.mark.parametrize(("text", "message"), [
    ("", "Write a title"),
    ("   ", "Write a title"),
    ("tomorrow !high #Home @x", "Write a title"),
    ('""', "Write a title"),
    ("Call today 9am", "already passed today"),
    ("Call today at 9", "already passed today"),
    ("Party 2026-02-30", "no such date"),
    ("Party feb 30", "no day 30"),
    ("Rent every 0 days", "Repeat every 1 to"),
    ("Rent every 32nd", "1st to the 31st"),
])
def test_what_cannot_be_read_is_an_error_on_text(text: str, message: str) -> None:
    with pytest.raises(QuickAddError) as raised:
        parse_quick_add(text, ZoneInfo("UTC"), datetime(2026, 11, 26, 10, tzinfo=UTC))
    assert raised.value.field == "text"
    assert message in raised.value.message


def test_a_date_is_aware_utc_at_the_start_of_the_local_day() -> None:
    result = parse_quick_add("Pay tomorrow", ZoneInfo(BERLIN),
                             datetime(2026, 11, 26, 22, 30, tzinfo=UTC))
    assert result.due_date == datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
    assert result.has_time is False

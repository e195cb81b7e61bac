"""`flask` CLI commands of taskweb."""

from __future__ import annotations

import secrets
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import click
from flask import Flask

from taskweb.errors import Conflict, ValidationFailed
from taskweb.services.maintenance import purge_expired_records
from taskweb.wiring import auth_service, task_service, unit_of_work

DEMO_EMAIL = "demo@example.com"
DEMO_USERNAME = "demo"
DEMO_FULL_NAME = "Demo User"

TODO, IN_PROGRESS, DONE = "todo", "in_progress", "completed"
LOW, MEDIUM, HIGH = "low", "medium", "high"

# (title, priority, status, due in days from today or None, description or None): a week
# of work with something overdue, something due today and something for next week.
DEMO_TASKS: tuple[tuple[str, str, str, int | None, str | None], ...] = (
    ("Renew the domain name", HIGH, TODO, -2,
     "The registrar's reminder came last week; auto-renew is off on this account."),
    ("Send the monthly invoice to Northwind", HIGH, IN_PROGRESS, -1, None),
    ("Prepare slides for the quarterly review", HIGH, IN_PROGRESS, 0,
     "Revenue, churn and the three launches. Ask Priya for the support numbers."),
    ("Call the dentist to move Thursday's appointment", MEDIUM, TODO, 0, None),
    ("Review Sam's pull request on CSV export", MEDIUM, TODO, 1,
     "Check that dates keep their time zone and that large exports stream."),
    ("Book train tickets to the Lyon conference", MEDIUM, TODO, 3, None),
    ("Write the onboarding guide for new support staff", MEDIUM, IN_PROGRESS, 6,
     "Cover the ticket queue, escalation rules and the weekly rota."),
    ("Plan the team offsite", LOW, TODO, 8,
     "Budget: 40 people, two days, within 2 hours by train."),
    ("Back up the family photos to the external disk", LOW, TODO, None, None),
    ("Read 'Designing Data-Intensive Applications', chapter 5", LOW, TODO, None, None),
    ("Update the password manager's recovery codes", MEDIUM, DONE, -3, None),
    ("Order a new laptop charger", LOW, DONE, -5, "The 65 W USB-C one, not the 45 W."),
)


def demo_task_fields(today: date) -> list[dict[str, Any]]:
    """The sample tasks as the fields TaskService.create takes, due at 17:00 UTC."""
    five_pm = datetime.combine(today, time(17), tzinfo=timezone.utc)
    fields = []
    for title, priority, status, due_in_days, description in DEMO_TASKS:
        task: dict[str, Any] = {"title": title, "priority": priority, "status": status}
        if due_in_days is not None:
            task["due_date"] = (five_pm + timedelta(days=due_in_days)).isoformat()
        if description is not None:
            task["description"] = description
        fields.append(task)
    return fields


def _option_messages(error: ValidationFailed | Conflict) -> str:
    """The service's messages, each under the option it is about (the field's name)."""
    return " ".join(
        f"--{field}: {message}" for field, messages in error.errors.items() for message in messages
    )


def register_commands(app: Flask) -> None:
    @app.cli.command("purge-expired")
    def purge_expired() -> None:
        """Delete expired token records and old idempotency keys (run it daily)."""
        removed = purge_expired_records(unit_of_work())
        click.echo(f"Removed {removed} expired records.")

    @app.cli.command("demo")
    @click.option("--email", default=DEMO_EMAIL, show_default=True,
                  help="Email of the demo account.")
    @click.option("--username", default=DEMO_USERNAME, show_default=True,
                  help="Username of the demo account.")
    @click.option("--password", default=None,
                  help="Its password (default: a random one, printed once).")
    def demo(email: str, username: str, password: str | None) -> None:
        """Create a demo account with a dozen sample tasks, to try taskweb out."""
        generated = password is None
        password = password if password is not None else secrets.token_urlsafe(12)
        try:
            user = auth_service().register(email, username, password, DEMO_FULL_NAME)
        except Conflict as conflict:
            raise click.ClickException(
                f"The demo account exists already ({_option_messages(conflict)}). Nothing was "
                "changed: sign in with it, or pass another --email and --username."
            ) from None
        except ValidationFailed as invalid:
            raise click.ClickException(_option_messages(invalid)) from None
        tasks = task_service()
        for fields in demo_task_fields(datetime.now(timezone.utc).date()):
            tasks.create(user, fields)
        click.echo(f"Created the demo account with {len(DEMO_TASKS)} sample tasks.")
        click.echo(f"  Email:    {user.email}")
        click.echo(f"  Password: {password}")
        if generated:
            click.echo("Note the password: it is stored only as a hash and shown this once.")
        click.echo("Sign in at /login (with `make run`: http://127.0.0.1:5000/login).")

"""The task forms' "Repeat" field: a choice of common rules and, for anything else, the
RRULE text itself (``domain.recurrence``). Without script both inputs show and typed
text wins; with script (static/repeat.js) the text input shows only for "Custom…"."""

from __future__ import annotations

from datetime import date

from wtforms.fields.choices import SelectChoice

from taskweb.errors import ValidationFailed

CUSTOM = "custom"
NEVER = ""
PRESETS = {
    "daily": "FREQ=DAILY",
    "weekdays": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
    "yearly": "FREQ=YEARLY",
}
CUSTOM_RULE_MISSING = ("Type a rule such as FREQ=WEEKLY;INTERVAL=2;BYDAY=MO, "
                       "or pick another choice.")
RULE_HINT = "An RFC 5545 RRULE, such as FREQ=WEEKLY;INTERVAL=2;BYDAY=MO (every 2 weeks on Monday)."


def repeat_choices(due_day: date | None) -> list[SelectChoice]:
    """The choices; "Weekly" names the due date's weekday when there is one."""
    weekly = f"Weekly on {due_day:%A}" if due_day else "Weekly (on the due date's weekday)"
    labels = {"daily": "Daily", "weekdays": "Weekdays (Monday to Friday)", "weekly": weekly,
              "monthly": "Monthly", "yearly": "Yearly"}
    return [SelectChoice(NEVER, "Never"),
            *(SelectChoice(name, labels[name]) for name in PRESETS),
            SelectChoice(CUSTOM, "Custom…")]


def repeat_inputs(rule: str | None) -> tuple[str, str]:
    """What the choice and the text input show for a stored rule."""
    if not rule:
        return NEVER, ""
    for name, preset in PRESETS.items():
        if preset == rule:
            return name, ""
    return CUSTOM, rule


def recurrence_from(choice: str | None, text: str | None) -> str | None:
    """The rule the inputs mean: typed text first, else the choice (None: no repeat).
    An unknown choice goes to the service as typed, so its message lands on the field."""
    typed = (text or "").strip()
    if typed:
        return typed
    if choice == CUSTOM:
        raise ValidationFailed({"repeat_rule": [CUSTOM_RULE_MISSING]})
    if not choice:
        return None
    return PRESETS.get(choice, choice)

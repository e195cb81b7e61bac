"""The "Remind me" part of the task edit form, and the reminder count on a task's row.

The form lists the task's reminders (hidden inputs, each with a Remove button) and adds
one on Save: a preset relative to the due date, or a custom time typed in the person's
own zone. Remove takes a reminder off the list until the form is saved: app-side in
static/reminders.js, or, without script, by posting the form, which comes back without
it (nothing is saved until Save). The list goes to TaskService whole, as ``reminders``,
so the service's rules (at most five, no duplicates) give the messages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from flask import request
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateTimeLocalInput

from taskweb.domain.dates import in_zone
from taskweb.errors import ValidationFailed
from taskweb.models import Task
from taskweb.services.reminder_fields import REMINDERS_MAX
from taskweb.web.time_zone import now, request_zone

NO_NEW_REMINDER = ""
CUSTOM = "custom"
# Presets relative to the due date: the value sent, what it says, how long before.
PRESETS = {
    "at-due": ("At due time", timedelta(0)),
    "10m": ("10 minutes before", timedelta(minutes=10)),
    "1h": ("1 hour before", timedelta(hours=1)),
    "1d": ("1 day before", timedelta(days=1)),
}
PRESET_CHOICES = [SelectChoice(NO_NEW_REMINDER, "No new reminder"),
                  *(SelectChoice(value, label) for value, (label, _) in PRESETS.items()),
                  SelectChoice(CUSTOM, "Custom time")]
NEEDS_DUE_DATE = "Set a due date to be reminded relative to it, or choose Custom time."
NEEDS_CUSTOM_TIME = "Pick the date and time of the custom reminder."
BAD_CUSTOM_TIME = "Pick a date and time, such as 2026-12-01 09:00."
AT_LIMIT = f"A task has at most {REMINDERS_MAX} reminders: remove one to add another."
PRESETS_HINT = "Presets count from the due date (a date without a time: its start)."


@dataclass(frozen=True)
class ShownReminder:
    """One reminder in the form: the value it carries and how it reads."""

    value: str
    iso: str
    label: str
    passed: bool


class ReminderFormFields:
    """Fields a task form mixes in (WTForms finds them on any base class)."""

    reminders = HiddenField()
    # Present when the form showed the reminders: a form without them changes none.
    reminders_shown = HiddenField(default="1")
    remind_preset = SelectField("Remind me", choices=PRESET_CHOICES, default=NO_NEW_REMINDER,
                                validate_choice=False)
    remind_at = StringField("Custom time", widget=DateTimeLocalInput())

    def field_for_error(self, name: str) -> str:
        # The service's messages on `reminders` (at most five) belong to the new one.
        return "remind_preset" if name == "reminders" else super().field_for_error(name)

    def reminder_values(self, task: Task) -> list[str]:
        """The reminders the form holds: those it was posted with, else the task's."""
        if self.reminders_shown.raw_data:
            removed = set(self._removed())
            return [value for value in self.reminders.raw_data if value and value not in removed]
        return [moment.isoformat() for moment in task.reminders]

    def removing_reminder(self) -> bool:
        """True when the form was posted by a Remove button (without script)."""
        return bool(self._removed())

    def _removed(self) -> list[str]:
        return request.form.getlist("remove_reminder")

    def shown_reminders(self, task: Task) -> list[ShownReminder]:
        zone, instant = request_zone(), now()
        shown = []
        for value in self.reminder_values(task):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                continue
            local = in_zone(moment, zone)
            shown.append(ShownReminder(value=value, iso=moment.isoformat(),
                                       label=local.strftime("%a %-d %b %Y, %H:%M"),
                                       passed=moment <= instant))
        return shown

    def reminder_changes(self, zone: tzinfo) -> dict[str, Any]:
        """``{"reminders": [...]}`` for TaskService when the form showed them: those kept,
        plus the new one chosen."""
        if not self.reminders_shown.raw_data:
            return {}
        values: list[Any] = [value for value in self.reminders.raw_data if value]
        new = self._new_reminder(zone)
        if new is not None:
            values.append(new)
        return {"reminders": values}

    def _new_reminder(self, zone: tzinfo) -> datetime | None:
        preset = self.remind_preset.data or NO_NEW_REMINDER
        if preset == NO_NEW_REMINDER:
            return None
        if preset == CUSTOM:
            typed = (self.remind_at.data or "").strip()
            if not typed:
                raise ValidationFailed({"remind_at": [NEEDS_CUSTOM_TIME]})
            try:
                local = datetime.fromisoformat(typed)
            except ValueError:
                raise ValidationFailed({"remind_at": [BAD_CUSTOM_TIME]}) from None
            return local.replace(tzinfo=zone, second=0, microsecond=0)
        if preset not in PRESETS:
            raise ValidationFailed({"remind_preset": ["Choose one of the listed options."]})
        due = self.due_instant(zone)  # the due date the form will save
        if not isinstance(due, datetime):
            raise ValidationFailed({"remind_preset": [NEEDS_DUE_DATE]})
        return due - PRESETS[preset][1]


def upcoming_reminders(task: Task) -> int:
    """How many of the task's reminders are still to come (the row's bell)."""
    instant = now()
    return sum(moment > instant for moment in task.reminders)


def remind_me_context() -> dict[str, Any]:
    """What the "Remind me" fieldset's template needs besides the form."""
    return {
        "reminders_max": REMINDERS_MAX,
        "at_limit_message": AT_LIMIT,
        "presets_hint": PRESETS_HINT,
        "needs_due_hint": NEEDS_DUE_DATE,
        "preset_choices": [(choice.value, choice.label) for choice in PRESET_CHOICES],
        "relative_presets": tuple(PRESETS),
    }

"""The task forms: add, edit in place, and the fields Undo carries.

A due date is typed as a date and an optional time in the person's own zone and goes to
TaskService as one UTC instant (``domain.dates`` says what a date without a time means).
The edit form sends only what the person changed: it carries the due date and time it
was opened with, and leaves the stored instant alone when they are untouched, so a
due time set through the API (17:00:30Z, say) survives a title-only edit.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time, tzinfo
from typing import Any

from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput, TimeInput

from taskweb import rules
from taskweb.domain.dates import local_date_and_time, utc_instant
from taskweb.domain.projects import MemberView, ProjectView
from taskweb.errors import ValidationFailed
from taskweb.models import Task, TaskPriority, TaskStatus
from taskweb.web.display import PRIORITY_LABELS, STATUS_LABELS
from taskweb.web.forms import WebForm
from taskweb.web.reminders import ReminderFormFields
from taskweb.web.repeat_field import (
    RULE_HINT,
    recurrence_from,
    repeat_choices,
    repeat_inputs,
)

PRIORITY_CHOICES = [SelectChoice(value.value, label) for value, label in PRIORITY_LABELS.items()]
STATUS_CHOICES = [SelectChoice(value.value, label) for value, label in STATUS_LABELS.items()]
TIME_WITHOUT_DATE = "Pick a date for this time, or clear the time."
LABEL_SEPARATORS_RE = re.compile(r"[\s,]+")
# The datalist of the labels already in use, rendered once per page (with_sidebar.html).
LABEL_SUGGESTIONS = "label-suggestions"
NOBODY = ""


def split_labels(text: str | None) -> list[str]:
    """The labels typed in one input, separated by spaces or commas."""
    return [part for part in LABEL_SEPARATORS_RE.split(text or "") if part]


def id_or_typed(raw: Any) -> int | str | None:
    """A submitted id: blank is None, digits an int; anything else goes to the service as
    typed, so that its message lands on the field."""
    text = (raw or "").strip() if isinstance(raw, str) else raw
    if text in ("", None):
        return None
    return int(text) if isinstance(text, str) and text.isascii() and text.isdigit() \
        and len(text) <= 10 else text


def due_inputs(task: Task, zone: tzinfo) -> tuple[str, str]:
    """What the date and time inputs show for ``task``'s due date in ``zone``."""
    if task.due_date is None:
        return "", ""
    day, at = local_date_and_time(task.due_date, zone)
    return day.isoformat(), (at.strftime("%H:%M") if at else "")


class TaskForm(WebForm):
    """Add a task: a title, and the rest behind "More options"."""

    title = StringField(
        "Title", render_kw={"required": True, "maxlength": rules.TITLE_MAX,
                            "autocomplete": "off"}
    )
    description = TextAreaField(
        "Description", render_kw={"rows": 2, "maxlength": rules.DESCRIPTION_MAX}
    )
    priority = SelectField("Priority", choices=PRIORITY_CHOICES,
                           default=TaskPriority.MEDIUM.value)
    due_date = StringField("Due date", widget=DateInput())
    due_time = StringField("Due time (optional)", widget=TimeInput())
    project_id = SelectField("Project", choices=[], validate_choice=False)
    labels = StringField(
        "Labels", description="Separated by spaces or commas, such as: home errand",
        render_kw={"list": LABEL_SUGGESTIONS, "autocomplete": "off",
                   "autocapitalize": "none", "spellcheck": "false"},
    )
    assignee_id = SelectField("Assign to", choices=[], validate_choice=False)
    repeat = SelectField("Repeat", choices=repeat_choices(None), validate_choice=False,
                         render_kw={"data-repeat": True})
    repeat_rule = StringField("Custom rule", description=RULE_HINT, render_kw={
        "data-repeat-rule": True, "autocomplete": "off", "autocapitalize": "characters",
        "spellcheck": "false"})

    # Shown when the project is shared (or the task already has an assignee).
    offers_assignee = False

    @property
    def more_options_open(self) -> bool:
        """The "More options" disclosure stays open when one of its fields has an error
        or a value."""
        hidden = (self.description, self.priority, self.due_date, self.due_time,
                  self.project_id, self.labels, self.assignee_id, self.repeat,
                  self.repeat_rule)
        return (
            any(field.errors for field in hidden)
            or any(self.value(name) for name in ("description", "due_date", "due_time",
                                                 "labels", "assignee_id", "repeat",
                                                 "repeat_rule"))
            or self.priority.data != TaskPriority.MEDIUM.value
        )

    def offer_projects(self, projects: Sequence[ProjectView], selected: int | None) -> None:
        """The projects the person may add tasks to, ``selected`` chosen unless the form
        carries a choice already."""
        self.project_id.choices = [SelectChoice(str(view.project.id), view.project.name)
                                   for view in projects]
        if not self.project_id.data and selected is not None:
            self.project_id.data = str(selected)

    def offer_assignees(self, members: Sequence[MemberView], me: int) -> None:
        """The members of the task's project; "Assign to" shows only when there are others."""
        choices = [SelectChoice(NOBODY, "Nobody")]
        choices += [SelectChoice(str(member.user_id),
                                 f"{member.username} (you)" if member.user_id == me
                                 else member.username)
                    for member in members]
        self.assignee_id.choices = choices
        self.offers_assignee = len(members) > 1 or bool(self.assignee_id.data)

    def task_fields(self, zone: tzinfo) -> dict[str, Any]:
        """The fields for TaskService; a blank description or due date means none, no
        project the Inbox."""
        fields: dict[str, Any] = {
            "title": self.title.data or "",
            "description": self.value("description"),
            "priority": self.priority.data,
            "due_date": self.due_instant(zone),
        }
        return {**fields, **self.relation_fields()}

    def relation_fields(self) -> dict[str, Any]:
        """The project, labels and assignee, for those the request carries."""
        fields: dict[str, Any] = {}
        project = id_or_typed(self.project_id.data) if self.project_id.raw_data else None
        if project is not None:
            fields["project_id"] = project
        if self.labels.raw_data:
            fields["labels"] = split_labels(self.labels.data)
        if self.assignee_id.raw_data:
            fields["assignee_id"] = id_or_typed(self.assignee_id.data)
        if self.repeat.raw_data or self.repeat_rule.raw_data:
            fields["recurrence"] = recurrence_from(self.repeat.data, self.repeat_rule.data)
        return fields

    def field_for_error(self, name: str) -> str:
        # The rule's message goes where the rule came from: the typed text, or the choice.
        if name == "recurrence":
            return "repeat_rule" if (self.repeat_rule.data or "").strip() else "repeat"
        return super().field_for_error(name)

    def due_instant(self, zone: tzinfo) -> datetime | str | None:
        """The typed date and time in ``zone`` as a UTC instant; None when both are blank.

        Input that is not a date (which a browser's date input never sends) goes to the
        service as it was typed, so that the service's own message lands on the field.
        """
        day_text = (self.due_date.data or "").strip()
        time_text = (self.due_time.data or "").strip()
        if not day_text:
            if time_text:
                raise ValidationFailed({"due_date": [TIME_WITHOUT_DATE]})
            return None
        try:
            day = date.fromisoformat(day_text)
            at = time.fromisoformat(time_text) if time_text else None
            return utc_instant(day, at, zone)
        except (ValueError, OverflowError):
            return f"{day_text}T{time_text}" if time_text else day_text


class TaskEditForm(ReminderFormFields, TaskForm):
    """Edit a task; ``version`` is the version the form was loaded from."""

    status = SelectField("Status", choices=STATUS_CHOICES, default=TaskStatus.TODO.value)
    version = HiddenField()
    due_date_original = HiddenField()
    due_time_original = HiddenField()

    EDITABLE = ("title", "description", "status", "priority")

    @classmethod
    def of(cls, task: Task, zone: tzinfo, formdata: Any = None) -> TaskEditForm:
        """A form holding ``task``'s stored values and version (``formdata`` wins if given)."""
        day, clock = due_inputs(task, zone)
        repeat, rule = repeat_inputs(task.recurrence)
        form = cls(
            id_scope=f"task-{task.id}",
            formdata=formdata,
            data={
                "title": task.title,
                "description": task.description or "",
                "status": task.status.value,
                "priority": task.priority.value,
                "due_date": day, "due_time": clock,
                "due_date_original": day, "due_time_original": clock,
                "version": str(task.version),
                "project_id": str(task.project_id),
                "labels": " ".join(task.label_names),
                "assignee_id": str(task.assignee_id) if task.assignee_id else NOBODY,
                "repeat": repeat, "repeat_rule": rule,
            },
        )
        form.repeat.choices = repeat_choices(date.fromisoformat(day) if day else None)
        return form

    def task_fields(self, zone: tzinfo) -> dict[str, Any]:
        """Only the fields the request carries, and the due date only when it changed."""
        fields: dict[str, Any] = {}
        for name in self.EDITABLE:
            if self[name].raw_data:
                fields[name] = self.value(name) if name == "description" else self[name].data or ""
        if self.due_changed():
            fields["due_date"] = self.due_instant(zone)
        return {**fields, **self.relation_fields(), **self.reminder_changes(zone)}

    def due_changed(self) -> bool:
        """True when the date or time input differs from what the form was opened with."""
        if not (self.due_date.raw_data or self.due_time.raw_data):
            return False
        typed = ((self.due_date.data or "").strip(), (self.due_time.data or "").strip())
        original = (self.due_date_original.data or "", self.due_time_original.data or "")
        return typed != original

    def expected_versions(self) -> frozenset[int] | None:
        """The version the form was loaded from (None if the form carries none)."""
        raw = self.version.data
        return frozenset({int(raw)}) if isinstance(raw, str) and raw.isdigit() else None

    def rebase(self, stored: Task, zone: tzinfo) -> None:
        """After a conflict: keep what the person typed, but carry the stored version, so
        that saving again stores their version. A due date they did not touch shows
        (and keeps) the stored one."""
        day, clock = due_inputs(stored, zone)
        if not self.due_changed():
            self.due_date.data, self.due_time.data = day, clock
        self.due_date_original.data, self.due_time_original.data = day, clock
        self.version.data = str(stored.version)


class RestoreTaskForm(WebForm):
    """Undo of a delete: the ids of the tasks that went to the trash, space-separated
    (a bulk delete's Undo restores them all)."""

    ids = HiddenField()

    @classmethod
    def of(cls, task_ids: Sequence[int]) -> RestoreTaskForm:
        return cls(formdata=None, id_scope="undo",
                   data={"ids": " ".join(str(task_id) for task_id in task_ids)})

    def task_ids(self) -> list[int]:
        """The ids named (a word that is not an id is left out)."""
        words = (self.ids.data or "").split()
        return [int(word) for word in words if word.isascii() and word.isdigit()
                and 0 < int(word) < 2**31]


class SubtaskForm(WebForm):
    """Add a subtask under a task: a title is all it takes."""

    title = StringField(
        "New subtask", render_kw={"required": True, "maxlength": rules.TITLE_MAX,
                                  "autocomplete": "off"}
    )

    def field_for_error(self, name: str) -> str:
        # The parent (one level deep, same project) is the form's own task: its
        # message belongs next to the one field there is.
        return "title" if name in ("parent_id", "project_id") else name

"""Reading a CSV of tasks: a header line naming the columns, then one task a record, each
fault named by the line its record starts on (``line 4.status``; line 1 is the header)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from taskweb.errors import ValidationFailed
from taskweb.services.auth import INBOX_NAME
from taskweb.services.portability.plan import (
    CSV_COLUMNS,
    MAX_TASKS,
    ImportedTask,
    ImportPlan,
    PlacedErrors,
    project_of_task,
    task_fields,
)


def _records(text: str, errors: PlacedErrors) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            errors.at(f"line {start}", "", f"Not readable as CSV: {error}.")
            return
        if any(cell.strip() for cell in record):
            yield start, record


def _header(line: int, record: list[str], errors: PlacedErrors) -> list[str]:
    where = f"line {line}"
    columns = [cell.strip().lower() for cell in record]
    for number, column in enumerate(columns):
        if column not in CSV_COLUMNS:
            errors.at(where, "", f"Unknown column {column!r}: the columns are "
                                 f"{', '.join(CSV_COLUMNS)}.")
        elif column in columns[:number]:
            errors.at(where, "", f"The column {column!r} appears twice.")
    if "title" not in columns:
        errors.at(where, "", "The first line must name the columns, title among them.")
    errors.raise_if_any()
    return columns


def read_csv(text: str) -> ImportPlan:
    """The plan of a CSV whose first line names its columns (any of CSV_COLUMNS, in any
    order; title required). An empty cell means the default: no description, status todo,
    priority medium, no due date, the Inbox, no labels. Labels are separated by spaces."""
    errors = PlacedErrors()
    records = _records(text.removeprefix("\ufeff"), errors)
    first = next(records, None)
    if first is None:
        errors.raise_if_any()
        message = "The CSV is empty: its first line must name the columns."
        raise ValidationFailed({"line 1": [message]}, "Nothing was imported: the CSV is empty.")
    columns = _header(*first, errors)
    inbox_names = {INBOX_NAME.lower()}
    plan = ImportPlan()
    for line, record in records:
        where = f"line {line}"
        if errors.full:
            break
        if len(plan.tasks) == MAX_TASKS:
            errors.at(where, "", f"At most {MAX_TASKS} tasks in one import: split it into "
                                 "several.")
            break
        if len(record) > len(columns):
            errors.at(where, "", f"Has {len(record)} cells; the first line names "
                                 f"{len(columns)} columns.")
            continue
        cells = dict(zip(columns, record))
        values: dict[str, Any] = {"title": cells.get("title", "")}
        for name in ("description", "status", "priority", "due_date"):
            if cells.get(name, "").strip():
                values[name] = cells[name].strip() if name != "description" else cells[name]
        values["labels"] = cells.get("labels", "").split()
        fields = task_fields(where, values, errors)
        project = project_of_task(cells.get("project", "").strip() or None, where,
                                   inbox_names, errors)
        plan.name_project(project)
        plan.tasks.append(ImportedTask(where, project, fields))
    errors.raise_if_any()
    return plan

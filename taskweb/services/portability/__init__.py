"""The shapes an account travels in: the JSON document of an export (which an import
reads back) and the CSV of tasks an import also reads. Both are here and nowhere else:

- ``plan``: the formats' names, columns and limits, and the plan an import reads into;
- ``export``: the document of an export;
- ``document``: reading that document back;
- ``csv_tasks``: reading a CSV of tasks.

Export order is canonical, so that exporting, importing into a new account and exporting
again gives the same document but for ids and timestamps: the Inbox, then the projects by
name; in each project its top-level tasks by manual order, each followed by its subtasks.
A task names its project by name and its parent by ``parent_ref``, the parent's ``ref``
(a number local to the document).

Reading is pure and complete before anything is written: every value goes through the
rules tasks are created by (``clean_task_fields``), and each message names its place —
``tasks[3].status`` in a document, ``line 4.status`` in a CSV (line 1 is the header).
"""

from taskweb.services.portability.csv_tasks import read_csv
from taskweb.services.portability.document import read_document
from taskweb.services.portability.export import export_document
from taskweb.services.portability.plan import (
    CSV_COLUMNS,
    FORMAT,
    MAX_FILTERS,
    MAX_PROJECTS,
    MAX_REPORTED_ROWS,
    MAX_TASKS,
    POSITION_MAX,
    VERSION,
    ImportedProject,
    ImportedTask,
    ImportPlan,
)

__all__ = [
    "CSV_COLUMNS", "FORMAT", "MAX_FILTERS", "MAX_PROJECTS", "MAX_REPORTED_ROWS", "MAX_TASKS", "POSITION_MAX",
    "VERSION", "ImportPlan", "ImportedProject", "ImportedTask", "export_document",
    "read_csv", "read_document",
]

"""What an open page of a project compares to know whether its list is still current."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProjectVersion:
    """A project's state as far as its pages are concerned.

    ``last_change`` is the greatest change number (migration 0012's triggers stamp every
    write) of the project and its tasks: an edit, a completion, a trash or a restore, a
    task moved in. ``task_count`` catches what leaves no number behind in the project:
    a task moved out to another project or deleted for good. Whatever changes what a
    page shows changes one of the two.
    """

    project_id: int
    last_change: int
    task_count: int

    @property
    def tag(self) -> str:
        """The entity tag of the version (an ETag's opaque value)."""
        return f"project-{self.project_id}-{self.last_change}-{self.task_count}"

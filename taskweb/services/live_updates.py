"""Live updates: whether a project's open pages still show its current state."""

from __future__ import annotations

from taskweb.domain.live_updates import ProjectVersion
from taskweb.errors import NotFound
from taskweb.models import User
from taskweb.unit_of_work import UnitOfWork


class LiveUpdateService:
    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def project_version(self, user: User, project_id: int) -> ProjectVersion:
        """The version of a project ``user`` belongs to (``NotFound`` for any other, so
        a project one cannot see is indistinguishable from one that does not exist)."""
        with self.uow:
            version = self.uow.live_updates.project_version(user.id, project_id)
        if version is None:
            raise NotFound("No such project.")
        return version

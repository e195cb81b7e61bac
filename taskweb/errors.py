"""Domain errors raised by services; each adapter maps them to its own answer once."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    status_code = 400
    title = "Bad request"

    def __init__(self, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or {}


class ValidationFailed(DomainError):
    status_code = 422
    title = "Validation failed"

    def __init__(self, errors: dict[str, list[str]], detail: str = "The input is not valid.") -> None:
        super().__init__(detail, errors)


class NotFound(DomainError):
    status_code = 404
    title = "Not found"


class Conflict(DomainError):
    status_code = 409
    title = "Conflict"


class InvalidCredentials(DomainError):
    status_code = 401
    title = "Unauthorized"


class InvalidToken(DomainError):
    status_code = 401
    title = "Unauthorized"


class PermissionDenied(DomainError):
    status_code = 403
    title = "Forbidden"


class PreconditionFailed(DomainError):
    status_code = 412
    title = "Precondition failed"


class ChangedMeanwhile(PreconditionFailed):
    """The row was changed or deleted by another transaction between read and write."""

    def __init__(self) -> None:
        super().__init__("It was changed by another request while this one was saving it.")

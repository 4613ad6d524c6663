"""One error type for every refusal a service makes; the HTML layer shows it, the API returns it as JSON."""

from __future__ import annotations

from typing import Any

from .codes import ErrorCode


class ApplicationError(Exception):
    """A refusal that the user can act on: bad input, no permission, a conflict, a locked period.

    `code` is stable and machine-readable (a member of the raising app's `codes.ErrorCode`), `message` is shown to people (already translated),
    `details` carries structured context such as the list of cell errors of an upload.
    """

    status = 400

    def __init__(self, code: str, message: str, details: Any = None, *, status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.details = details
        if status is not None:
            self.status = status

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


class NotFound(ApplicationError):
    status = 404

    def __init__(self, message: str, details: Any = None, *, code: str = ErrorCode.NOT_FOUND) -> None:
        super().__init__(code, message, details)


class PermissionDenied(ApplicationError):
    status = 403

    def __init__(self, message: str, details: Any = None, *, code: str = ErrorCode.FORBIDDEN) -> None:
        super().__init__(code, message, details)


class ValidationFailed(ApplicationError):
    status = 422

    def __init__(self, message: str, details: Any = None, *, code: str = ErrorCode.INVALID) -> None:
        super().__init__(code, message, details)


class Conflict(ApplicationError):
    status = 409

    def __init__(self, message: str, details: Any = None, *, code: str = ErrorCode.CONFLICT) -> None:
        super().__init__(code, message, details)

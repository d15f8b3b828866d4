"""The one way the domain says no. A service raises a Refusal (its status, the field at fault, a message); a
route lets it pass; the handler here undoes the refused change and answers it through Flask's own error
handling, so each blueprint's renderer applies: the API's JSON (flask-smorest's error shape), Open311's
<errors> under /open311, a page for the HTML routes."""
from collections.abc import Mapping

from flask import Flask, current_app
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException, default_exceptions

from app.web.extensions import db


class Refusal(Exception):
    """Understood, and refused by a rule: 422 unless a subclass or `status` says otherwise. `zh` says it in Chinese
    for the staff console's pages, where a person reads it (the API answers `message`, as it always has)."""

    status = 422

    def __init__(self, message: str, field: str | None = None, *, status: int | None = None,
                 headers: Mapping[str, str] | None = None, zh: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.zh = message, field, zh
        if status is not None:
            self.status = status
        self.headers = dict(headers or {})

    @property
    def text(self) -> str:
        """The message as answered: "field: message" when a field is at fault."""
        return f"{self.field}: {self.message}" if self.field else self.message

    def as_http(self) -> HTTPException:
        error = default_exceptions[self.status](description=self.text)
        data: dict[str, object] = {"message": self.text, "headers": self.headers}   # flask-smorest's error shape
        if self.field:
            data["errors"] = {"json": {self.field: [self.message]}}
        if self.zh:
            data["zh"] = self.zh   # read by the console only: flask-smorest answers message, errors and headers
        error.data = data  # type: ignore[attr-defined]  # flask-smorest reads an attribute werkzeug does not declare
        return error


class Forbidden(Refusal):
    """This caller may not do it."""

    status = 403


class NotFound(Refusal):
    status = 404


class Conflict(Refusal):
    """It clashes with the state of what is stored (or a change made at the same moment)."""

    status = 409


class Gone(Refusal):
    status = 410


class TooMany(Refusal):
    """Over a limit for now; `retry_after` seconds until the caller may try again."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})
        self.retry_after = retry_after


class Unavailable(Refusal):
    """A service the app needs did not answer; nothing was done, and a retry may succeed."""

    status = 503

    def __init__(self, message: str, retry_after: int = 5) -> None:
        super().__init__(message, headers={"Retry-After": str(retry_after)})


def init_app(app: Flask) -> None:
    app.register_error_handler(Refusal, _answer)
    app.register_error_handler(IntegrityError, _raced)


def _answer(refusal: Refusal):
    db.session.rollback()   # nothing of a refused change is kept
    return current_app.handle_http_exception(refusal.as_http())


def _raced(_error: IntegrityError):
    """A unique or foreign key that another request's change, committed a moment earlier, now breaks: the checks
    before it passed, so trying again meets that change and answers for it."""
    return _answer(Conflict("This changed at the same moment elsewhere; please try again."))

"""A database that stops answering (restarting, failing over, out of connections) gets a 503, never a bare 500."""
import logging

from flask import Flask, current_app
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import ServiceUnavailable

from app.web.extensions import db

log = logging.getLogger(__name__)
MESSAGE = "The database is not answering right now; try again shortly."


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _not_answering)
    # Registered after db.init_app, so it runs before Flask-SQLAlchemy's own teardown (last registered runs
    # first), which then finds the session closed already.
    app.teardown_appcontext(_close_session)


def first_line(exc: Exception) -> str:
    """A database error in one log line: the driver's own message where there is one (never a traceback)."""
    return str(getattr(exc, "orig", None) or exc).strip().partition("\n")[0]


def _not_answering(exc: OperationalError):
    # One line, no traceback: an outage would print one per request.
    log.warning("database not answering: %s", first_line(exc))
    _close_session()   # the failed transaction ends here: nothing later in the request may use or commit it
    answer = ServiceUnavailable()
    # flask-smorest's error shape, in an attribute werkzeug does not declare
    answer.data = {"message": MESSAGE, "headers": {"Retry-After": "5"}}  # type: ignore[attr-defined]
    return current_app.handle_http_exception(answer)


def _close_session(exc=None):
    """End the request's session, rolling back what it did not commit. That ROLLBACK fails on a connection the
    database has just cut, which would turn an answer already made into a 500; the connection is invalidated
    by then, so closing again is clean."""
    try:
        db.session.remove()
    except OperationalError as error:
        log.warning("database connection lost before the request's session closed: %s", first_line(error))
        db.session.remove()

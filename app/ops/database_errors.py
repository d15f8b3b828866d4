"""A database that stops answering (restarting, failing over, out of connections) gets a 503, never a bare 500;
one that restarted between requests is not noticed by them at all (_ping_if_cut)."""
import logging
import select
from functools import partial

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.exc import InvalidatePoolError, OperationalError
from werkzeug.exceptions import ServiceUnavailable

from app.web.extensions import db

log = logging.getLogger(__name__)
MESSAGE = "The database is not answering right now; try again shortly."


def init_app(app: Flask) -> None:
    app.register_error_handler(OperationalError, _not_answering)
    # Registered after db.init_app, so it runs before Flask-SQLAlchemy's own teardown (last registered runs
    # first), which then finds the session closed already.
    app.teardown_appcontext(_close_session)
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "postgresql":   # a server, which can restart; SQLite is a file
                event.listen(engine, "checkout", partial(_ping_if_cut, engine.dialect))


def _ping_if_cut(dialect, dbapi_connection, _record, _proxy) -> None:
    """SQLAlchemy's pool_pre_ping, made only when it can find something. A pooled connection the server has
    closed (a restart, a terminated backend) has the server's last words or its end waiting on the socket; a
    live idle one has nothing to read. Only then is it pinged, and the pool emptied if that fails (the pool
    then connects anew). A SELECT 1 at every checkout cost about 70 Python calls a request."""
    try:
        waiting = bool(select.select([dbapi_connection], [], [], 0)[0])
    except Exception:   # closed already: no socket to look at
        waiting = True
    if waiting:
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            raise InvalidatePoolError(f"the database closed the connection: {first_line(error)}") from error


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

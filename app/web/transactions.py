"""How a request's transaction ends when the view did not end it: a read-only one commits, anything else rolls back.

Why: psycopg forgets every prepared statement on a ROLLBACK (and sends DEALLOCATE ALL), and Flask-SQLAlchemy
ends each request by rolling back. Reads, most of the traffic, then never reach psycopg's threshold for
preparing a statement (5 runs on one connection), so PostgreSQL parses and plans every one of their
statements again, and a read after a write throws away what the write had prepared. Committing a transaction
that wrote nothing changes nothing in the database and keeps the statements prepared.

"Wrote nothing" is judged on the session: no flush, no statement through it but SELECTs, nothing pending. A
transaction with any of those, or a request ending in an exception, still rolls back, so a refused change is
never kept by this.

It also tells whether the request has committed a change (committed_a_change), for answers that fail after
the change was saved (app/ops/idempotency.py then keeps a retry from doing it twice).
"""
import logging

from flask import Flask, g, has_request_context
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from app.ops.database_errors import first_line
from app.web.extensions import db

_WROTE = "jiashu.wrote"
_COMMITTED = "jiashu_committed_a_change"
log = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    app.before_request(_forget_commits)
    app.teardown_request(_end_read_only)


def _forget_commits():
    g.pop(_COMMITTED, None)   # g outlives a request in tests


def committed_a_change() -> bool:
    return g.get(_COMMITTED, False)


def commit_keeping_objects() -> None:
    """Commit without expiring the objects in the session, for an answer made of what the request just wrote
    (a commit expires them all, and the answer would read every one back)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


def _end_read_only(exc):
    if exc is not None or not db.session.registry.has():
        return
    session = db.session()
    if session.in_transaction() and not session.info.get(_WROTE) and not (session.new or session.dirty or
                                                                          session.deleted):
        try:
            session.commit()
        except SQLAlchemyError as error:   # the answer is made; the app context's end rolls back and cleans up
            log.warning("a read-only transaction did not commit: %s", first_line(error))


@event.listens_for(db.session, "after_flush")
def _flushed(session, flush_context):
    session.info[_WROTE] = True


@event.listens_for(db.session, "do_orm_execute")
def _executed(state):
    if not state.is_select:            # ORM and Core DML, text(): anything not known to be a SELECT
        state.session.info[_WROTE] = True


@event.listens_for(db.session, "after_commit")
def _committed(session):
    if session.info.get(_WROTE) and has_request_context():
        setattr(g, _COMMITTED, True)


@event.listens_for(db.session, "after_transaction_end")
def _ended(session, transaction):
    if transaction.parent is None:     # the outermost transaction, not a savepoint
        session.info.pop(_WROTE, None)

"""Row locks that hold on SQLite too, and a named lock for checks that count rows before adding one.

SQLite has no row locks: SQLAlchemy leaves FOR UPDATE out of the statement, and pysqlite begins a transaction only
at the first INSERT, UPDATE or DELETE. A step that read a wish "locked", checked its state and wrote it therefore
raced every request that read it before that write (20 confirms at once closed one wish 15 times; 4 wisher photos
were stored under a limit of 1). Here a statement that asks for a row lock first begins the transaction with
BEGIN IMMEDIATE, SQLite's write lock of the whole file, held to the commit or rollback: whoever asks next waits
at their own locked read (the busy timeout) and reads what the first one wrote. A transaction pysqlite has opened
already has written, so it holds that lock already. PostgreSQL is left to its own row locks.
"""
from flask import Flask
from sqlalchemy import event, text

from app.web.extensions import db


def init_app(app: Flask) -> None:
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                event.listen(engine, "before_execute", _lock_before_locked_read)


def _lock_before_locked_read(conn, clauseelement, multiparams, params, execution_options):
    if getattr(clauseelement, "_for_update_arg", None) is not None:
        _take_sqlite_write_lock(conn)


def _take_sqlite_write_lock(conn) -> None:
    if not conn.connection.dbapi_connection.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def serialise(key: str) -> None:
    """Hold a lock on `key` to the end of the transaction, so that checks counting rows before adding one (a limit
    per hour) run one at a time: PostgreSQL's advisory lock on the key; on SQLite, the database's write lock."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    else:
        _take_sqlite_write_lock(db.session.connection())

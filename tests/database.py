"""The test database: one per pytest-xdist worker on PostgreSQL, emptied between tests whichever engine holds it."""
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.web.extensions import db

# Every id sequence of the schema back to 1, in one statement.
_RESTART_SEQUENCES = text("""SELECT setval(c.oid::regclass, 1, false) FROM pg_class c
                             WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace""")


def worker_database(url: str, worker: str) -> str:
    """On PostgreSQL, the URL's database, or under pytest-xdist the worker's own beside it (`test` → `test_gw0`),
    made if missing. Workers must not share one: each test empties every table, and tests/ops/test_faults.py
    cuts every connection to its database. The suite needs no durable commits, so they do not wait for the disk."""
    url = make_url(url)
    if url.get_backend_name() != "postgresql":
        return url.render_as_string(hide_password=False)
    if worker:
        url = url.set(database=f"{url.database}_{worker}")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}) is None:
                conn.execute(text(f'CREATE DATABASE "{url.database}"'))
            conn.execute(text(f'ALTER DATABASE "{url.database}" SET synchronous_commit = off'))
    finally:
        server.dispose()
    return url.render_as_string(hide_password=False)


def empty_tables(engine):
    """Delete every row of every table the models know (and restart PostgreSQL's id sequences).

    DELETE rather than TRUNCATE on PostgreSQL: a test leaves a few rows, and TRUNCATE gives each of ~30 tables
    new files, 150-500 ms a test against a few ms. Foreign keys are not checked meanwhile (replica role, as
    the suite's superuser), so the order of the deletes does not matter."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            conn.execute(text("; ".join(f"DELETE FROM {name}" for name in tables)))
            conn.execute(_RESTART_SEQUENCES)
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))

"""Emptying the test database between tests, whichever engine holds it."""
from sqlalchemy import text

from app.web.extensions import db

# Every id sequence of the schema back to 1, in one statement.
_RESTART_SEQUENCES = text("""SELECT setval(c.oid::regclass, 1, false) FROM pg_class c
                             WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace""")


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

"""Emptying the test database between tests, whichever engine holds it."""
from sqlalchemy import text

from app.extensions import db


def empty_tables(engine):
    """Delete every row of every table the models know (and restart PostgreSQL's id sequences)."""
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))

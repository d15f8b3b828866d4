"""A row lock taken in code holds whichever database is underneath: on SQLite, the locked read begins the
transaction that holds the database's write lock, so nobody writes between the read and the commit."""
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError

from app.models import Community
from app.web.extensions import db
from tests import factories as f


@pytest.fixture
def sqlite(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL locks the rows themselves")


def test_a_locked_read_keeps_other_writers_out_until_the_commit(app, sqlite):
    f.community()
    db.session.commit()
    other = create_engine(db.engine.url, connect_args={"timeout": 0.1})
    try:
        db.session.scalar(select(Community).with_for_update())
        with pytest.raises(OperationalError, match="locked"), other.begin() as conn:
            conn.execute(text("UPDATE community SET name = '插队'"))
        db.session.commit()
        with other.begin() as conn:
            assert conn.execute(text("UPDATE community SET name = '排队'")).rowcount == 1
    finally:
        other.dispose()


def test_a_plain_read_takes_no_lock(app, sqlite):
    f.community()
    db.session.commit()
    other = create_engine(db.engine.url, connect_args={"timeout": 0.1})
    try:
        db.session.scalar(select(Community))
        with other.begin() as conn:
            assert conn.execute(text("UPDATE community SET name = '照常'")).rowcount == 1
        db.session.rollback()
    finally:
        other.dispose()

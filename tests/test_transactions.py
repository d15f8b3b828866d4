"""A request's leftover transaction: committed when it only read (psycopg keeps its prepared statements),
rolled back when it wrote anything, so a refused change is never kept."""
import pytest
from flask import abort
from sqlalchemy import func, select, text

from app.models import Community
from app.web.extensions import db
from tests import factories as f


@pytest.fixture
def routes(app):
    # Bare routes standing for the API's, which take a bearer token and no CSRF token (app/__init__.py).
    app.config["WTF_CSRF_ENABLED"] = False

    @app.get("/t/read")
    def read():
        return {"communities": db.session.scalar(select(func.count(Community.id)))}

    @app.post("/t/refused-after-flush")
    def refused_after_flush():
        f.community(code="ZZ", name="半途社区")
        db.session.flush()
        abort(409)

    @app.post("/t/refused-pending")
    def refused_pending():
        db.session.scalar(select(Community)).name = "改了一半"
        abort(409)

    @app.post("/t/refused-statement")
    def refused_statement():
        db.session.execute(text("UPDATE community SET name = '改了一半'"))
        abort(409)

    return app.test_client()


def names():
    db.session.rollback()
    return db.session.scalars(select(Community.name).order_by(Community.name)).all()


def test_a_read_only_request_ends_its_transaction_with_a_commit(routes, world):
    db.session.remove()
    assert routes.get("/t/read").get_json() == {"communities": 2}
    assert not db.session().in_transaction()              # committed: no ROLLBACK reached the connection


@pytest.mark.parametrize("route", ["/t/refused-after-flush", "/t/refused-pending", "/t/refused-statement"])
def test_a_refused_change_is_rolled_back_not_committed(routes, world, route):
    before = names()
    db.session.remove()
    assert routes.post(route).status_code == 409
    assert names() == before


def test_reads_keep_postgresql_prepared_statements(client, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's (psycopg prepares a query run 5 times on a connection)")
    headers = f.auth(world.head1)
    db.session.remove()
    for _ in range(6):
        assert client.get("/api/households", headers=headers).status_code == 200
        db.session.remove()   # the app context's end in production (a test's outlives its requests)
    # The pool hands the same connection back in a single-threaded test: the reads' statements are prepared.
    assert db.session.scalar(text("SELECT count(*) FROM pg_prepared_statements")) > 0

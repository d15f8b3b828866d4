"""A fresh app per test on a clean database: SQLite by default, PostgreSQL when DATABASE_URL says so."""
import os

import pytest
from sqlalchemy import text

from app import create_app
from app.web.extensions import db
from config import TestConfig, _database_url
from tests.database import empty_tables


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("DATABASE_URL"):
        return _database_url()
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    """Create the tables once per run; each test then empties them."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # Tables another checkout left behind may hold foreign keys drop_all does not know of.
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            db.drop_all()
        db.create_all()
    return database_url


@pytest.fixture
def app(_schema):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=_schema)
    with app.app_context():
        yield app
        db.session.remove()
        empty_tables(db.engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two communities; community A has two grids, each with its head, a unit and two households."""
    from tests import factories as f

    w = f.two_communities()
    db.session.commit()
    return w


@pytest.fixture
def fake_wechat(app):
    """A loopback fake WeChat server, wired into the app's config."""
    import uuid

    from fakes.wechat_server import FakeWeChat
    # A fresh app id per test: with Redis, a token cached for an earlier fake must not be reused.
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}") as server:
        app.config.update(WECHAT_APPID=server.appid, WECHAT_SECRET=server.secret,
                          WECHAT_API_BASE=server.base_url, WECHAT_TIMEOUT=0.5)
        yield server

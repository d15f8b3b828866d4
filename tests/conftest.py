"""A fresh app per test on a clean database: SQLite by default, PostgreSQL when DATABASE_URL says so."""
import os

import pytest
from sqlalchemy import create_engine, text

from app import create_app
from app.extensions import db
from config import TestConfig, _database_url


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


def _empty_tables(engine):
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for name in tables:
                conn.execute(text(f"DELETE FROM {name}"))


@pytest.fixture
def app(_schema):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=_schema)
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables(db.engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def world(app):
    """Two communities; community A has two grids, each with its head, a unit and two households."""
    from types import SimpleNamespace

    from app.models import Role
    from tests import factories as f

    a, b = f.community("SQ", "胜泉社区"), f.community("DF", "东风社区")
    w = SimpleNamespace(a=a, b=b)
    w.head1, w.head2 = f.staff(a, Role.GRID_HEAD, name="王网格"), f.staff(a, Role.GRID_HEAD)
    w.grid1, w.grid2 = f.grid(a, 1, head=w.head1), f.grid(a, 2, head=w.head2)
    w.leader = f.staff(a, Role.UNIT_LEADER)
    w.joint = f.staff(a, Role.JOINT_HEAD)
    w.unit1, w.unit2 = f.unit(w.grid1, 1, leader=w.leader), f.unit(w.grid2, 1)
    w.house1 = f.household(w.unit1, "101", joint_head=w.joint)
    w.house1b = f.household(w.unit1, "102")
    w.house2 = f.household(w.unit2, "101")
    w.house2b = f.household(w.unit2, "102")
    w.admin_a, w.admin_b = f.staff(a, Role.ADMIN), f.staff(b, Role.ADMIN)
    w.police1 = f.police(a, [w.grid1])
    w.police_all = f.police(a)
    w.grid_b = f.grid(b, 1)
    w.house_b = f.household(f.unit(w.grid_b, 1), "101")
    w.resident1, w.wechat1 = f.resident(w.house1, is_head=True)
    w.resident2, w.wechat2 = f.resident(w.house2, is_head=True)
    db.session.commit()
    return w



@pytest.fixture
def fake_wechat(app):
    """A loopback fake WeChat server, wired into the app's config."""
    import uuid

    from wechat.fake_server import FakeWeChat
    # A fresh app id per test: with Redis, a token cached for an earlier fake must not be reused.
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}") as server:
        app.config.update(WECHAT_APPID=server.appid, WECHAT_SECRET=server.secret,
                          WECHAT_API_BASE=server.base_url, WECHAT_TIMEOUT=0.5)
        yield server

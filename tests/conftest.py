"""One app for the whole run, handed to each test as if new, on a clean database: SQLite by default, PostgreSQL
when DATABASE_URL says so. Under pytest-xdist (`make test`) each worker has its own database."""
import copy
import os
import sqlite3

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from app import create_app
from app.web.extensions import db
from app.web.limits import limiter
from config import TestConfig, _database_url
from tests.database import empty_tables, worker_database

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")   # gw0, gw1 … under pytest-xdist, else empty


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("DATABASE_URL"):
        return worker_database(_database_url(), WORKER)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session", autouse=True)
def _no_disk_flush():
    """The suite needs no durable commits: SQLite's do not wait for the disk (nor PostgreSQL's, tests/database.py)."""
    def no_sync(connection, _record):
        if isinstance(connection, sqlite3.Connection):
            connection.execute("PRAGMA synchronous = OFF")

    event.listen(Engine, "connect", no_sync)
    yield
    event.remove(Engine, "connect", no_sync)


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
        db.engine.dispose()
    return database_url


def _setup(app):
    """What a test can add to an app that cannot be taken back: routes and hooks."""
    hooks = (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs,
             app.url_value_preprocessors, app.url_default_functions, app.template_context_processors)
    return (len(app.view_functions), len(list(app.url_map.iter_rules())), len(app.teardown_appcontext_funcs),
            len(app.blueprints), sum(len(funcs) for kind in hooks for funcs in kind.values()),
            sum(len(handlers) for codes in app.error_handler_spec.values() for handlers in codes.values()))


class SessionApp:
    """Building the app (and its OpenAPI document) takes ~0.1 s, so the run builds one and puts back what a test
    changed: its config and its extensions (clients cached from that config), and the rate limiter, which is
    global. A test that added routes or hooks gets the app thrown away, and the next test a new one."""

    def __init__(self, database_url):
        self.database_url = database_url
        self.app = None

    def get(self):
        if self.app is None:
            self.app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=self.database_url)
            # Workers share Redis; limits_on resets every counter under the prefix, and tests count from the
            # same addresses, so each worker keeps its own.
            self.app.config["RATELIMIT_STORAGE_OPTIONS"] = {**self.app.config.get("RATELIMIT_STORAGE_OPTIONS", {}),
                                                            "key_prefix": f"LIMITS-{WORKER or 'main'}"}
            self.config = copy.deepcopy(dict(self.app.config))
            self.extensions = dict(self.app.extensions)
            self.setup = _setup(self.app)
        self.app._got_first_request = False   # a test may add routes and hooks, as to a new app
        return self.app

    def restore(self):
        app = self.app
        app.config.clear()
        app.config.update(copy.deepcopy(self.config))
        app.extensions.clear()
        app.extensions.update(self.extensions)
        limiter.init_app(app)   # off again, whatever a test turned on
        if _setup(app) != self.setup:
            with app.app_context():
                db.engine.dispose()
            self.app = None


@pytest.fixture(scope="session")
def _session_app(_schema):
    return SessionApp(_schema)


@pytest.fixture
def app(_session_app):
    app = _session_app.get()
    try:
        with app.app_context():
            yield app
            db.session.remove()
            empty_tables(db.engine)
    finally:
        _session_app.restore()


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
    """A loopback fake WeChat server, wired into the app's config (put back after the test)."""
    import uuid

    from fakes.wechat_server import FakeWeChat
    # A fresh app id per test: with Redis, a token cached for an earlier fake must not be reused.
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}") as server:
        app.config.update(WECHAT_APPID=server.appid, WECHAT_SECRET=server.secret,
                          WECHAT_API_BASE=server.base_url, WECHAT_TIMEOUT=0.5)
        yield server

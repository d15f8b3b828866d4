"""A module-wide app on the test database, with a loopback fake WeChat and a temporary upload folder."""
import uuid

import pytest

from app import create_app
from app.web.extensions import db
from config import TestConfig
from fakes.wechat_server import FakeWeChat
from tests.database import empty_tables
from tests.security.stage import Stage


@pytest.fixture(scope="module")
def stage(_schema, tmp_path_factory):
    """Thousands of calls on one app: the world is rebuilt only when a call may have changed it."""
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}") as fake:
        app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=_schema, UPLOAD_DIR=str(tmp_path_factory.mktemp("uploads")),
                         WECHAT_APPID=fake.appid, WECHAT_SECRET=fake.secret, WECHAT_API_BASE=fake.base_url,
                         WECHAT_TIMEOUT=5)   # no fault is staged here: a busy machine must not time the fake out
        with app.app_context():
            yield Stage(app, fake)
            db.session.remove()
            empty_tables(db.engine)

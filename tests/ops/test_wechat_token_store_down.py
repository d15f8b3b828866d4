"""Redis, where the WeChat access token is kept, not answering: the routes that call WeChat answer 503 with a message
and Retry-After (never a 500), and `flask worker` logs it and goes on, the message kept for a later round."""
import logging

import pytest
from sqlalchemy import func, select

from app.models import Delivery, Notification, Wish
from app.notifications.notify import notify
from app.web.extensions import db
from tests import factories as f
from tests.auth.test_wechat_login import bearer, sign_in
from tests.wishes.helpers import post
from tests.wishes.test_photos import upload


@pytest.fixture
def redis_gone(app, closed_port):
    """From now on REDIS_URL names a port nobody listens on (clients made earlier are dropped)."""
    def cut():
        app.config["REDIS_URL"] = f"redis://127.0.0.1:{closed_port}/0"
        for name in ("jiashu.redis", "jiashu.wechat"):
            app.extensions.pop(name, None)
    return cut


def assert_try_again(answer):
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert answer.json["message"] and int(answer.headers["Retry-After"]) > 0


def test_a_phone_number_is_503_not_500(client, fake_wechat, redis_gone):
    redis_gone()
    signed_in, _ = sign_in(client, fake_wechat)   # a login needs no access token
    fake_wechat.register_phone_code("p-1", "13812345678")
    assert_try_again(client.post("/api/auth/wechat/phone", headers=bearer(signed_in), json={"code": "p-1"}))


def test_a_wish_is_503_and_nothing_is_saved(client, world, fake_wechat, redis_gone):
    redis_gone()
    answer = client.post("/api/wishes", headers=f.auth(world.wechat1), json={"text": "想要一台收音机", "category": "goods"})
    assert_try_again(answer)
    assert db.session.scalar(select(func.count(Wish.id))) == 0


def test_a_photo_is_503(client, world, fake_wechat, redis_gone, app, tmp_path):
    app.config["UPLOAD_DIR"] = str(tmp_path)
    wish = post(client, world.wechat1)
    redis_gone()
    assert_try_again(upload(client, world.wechat1, wish["id"]))


def test_the_worker_logs_and_goes_on(app, runner, world, fake_wechat, redis_gone, caplog):
    notify(world.wechat1, "test", "通知", "内容")
    db.session.commit()
    redis_gone()
    caplog.set_level(logging.INFO)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    note = db.session.scalars(select(Notification)).one()
    assert note.state == Delivery.PENDING and "token store" in note.last_error
    assert any("token store" in r.getMessage() for r in caplog.records)

"""With credentials WeChat refuses, the outbox fails each message once instead of retrying it ten times, a phone gets
an answer that says retrying will not help, and /readyz says why, until a fetch succeeds again."""
from sqlalchemy import select

from app.models import Delivery, Notification
from app.notifications.delivery import deliver_due
from app.web.extensions import db
from tests.auth.test_wechat_login import bearer, sign_in
from tests.notifications.test_delivery import later, queue


def test_the_outbox_does_not_retry_refused_credentials_and_readyz_says_why(client, app, world, fake_wechat):
    fake_wechat.fail("stable_token", errcode=40001, times=None)
    queue([world.wechat1])
    deliver_due()
    deliver_due(now=later(60))

    note = db.session.scalars(select(Notification)).one()
    assert note.state == Delivery.FAILED and note.attempts == 1 and "WECHAT_SECRET" in note.last_error
    assert fake_wechat.calls["stable_token"] == 1 and fake_wechat.calls["subscribe"] == 0
    ready = client.get("/readyz")
    assert ready.status_code == 200 and "errcode 40001" in ready.json["checks"]["wechat"]
    assert "WECHAT_SECRET" in ready.json["checks"]["wechat"]

    fake_wechat.clear()   # the settings are fixed: the next fetch succeeds and /readyz says nothing more
    queue([world.wechat1])
    deliver_due()
    assert len(fake_wechat.sent) == 1 and "wechat" not in client.get("/readyz").json["checks"]


def test_a_phone_is_told_not_to_retry(client, fake_wechat):
    signed_in, _ = sign_in(client, fake_wechat)
    fake_wechat.fail("stable_token", errcode=40001, times=None)
    fake_wechat.register_phone_code("p-1", "13812345678")
    answer = client.post("/api/auth/wechat/phone", headers=bearer(signed_in), json={"code": "p-1"})
    assert answer.status_code == 502 and "Retry-After" not in answer.headers
    assert fake_wechat.calls["stable_token"] == 1

"""No response and no log line ever carries WeChat's session_key or the app secret."""
import logging
from datetime import UTC

from app.notifications.delivery import deliver_due
from app.notifications.notify import notify
from app.web.extensions import db
from tests.auth.test_wechat_login import _user_data


def test_session_keys_and_secret_stay_out_of_responses_and_logs(client, world, fake_wechat, caplog):
    caplog.set_level(logging.DEBUG)
    bodies, keys = [], []

    def call(method, path, **kwargs):
        response = getattr(client, method)(path, **kwargs)
        bodies.append(response.get_data(as_text=True) + str(response.headers))
        return response

    for n in range(3):
        keys.append(fake_wechat.register_code(f"c{n}", f"o-{n}"))
    token = call("post", "/api/auth/wechat", json={"code": "c0"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    call("post", "/api/auth/wechat", json={"code": "c0"})                 # reused code
    fake_wechat.fail("jscode2session", status=500)
    call("post", "/api/auth/wechat", json={"code": "c1"})                 # WeChat 5xx
    fake_wechat.fail("jscode2session", delay=1)
    call("post", "/api/auth/wechat", json={"code": "c2"})                 # timeout
    call("post", "/api/auth/wechat/profile", headers=headers,
         json=_user_data(keys[0], fake_wechat.appid, {"nickName": "x"}))
    call("post", "/api/auth/wechat/profile", headers=headers,
         json=_user_data(keys[1], fake_wechat.appid, {"nickName": "x"}))  # wrong key: tampered
    call("get", "/api/auth/me", headers=headers)
    fake_wechat.register_phone_code("p", "13812345678")
    call("post", "/api/auth/wechat/phone", headers=headers, json={"code": "p"})

    notify(world.wechat1, "test", "标题", "内容")
    db.session.commit()
    fake_wechat.expire_tokens()
    fake_wechat.fail("stable_token", status=500)
    deliver_due()                                                          # token fetch fails
    fake_wechat.clear()
    from datetime import datetime, timedelta
    deliver_due(now=datetime.now(UTC) + timedelta(hours=1))

    assert len(fake_wechat.sent) == 1 and caplog.records                    # the flows really ran
    everything = "\n".join(bodies) + "\n" + caplog.text
    for secret in [fake_wechat.secret, *keys]:
        assert secret not in everything

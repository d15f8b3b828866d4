"""The mini-program calls, over real HTTP to the fake WeChat server."""
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
import zxingcpp
from PIL import Image

from wechat.client import (
    code_to_session,
    make_client,
    phone_number,
    send_subscribe,
    url_link,
    wxa_code,
)
from wechat.errors import InvalidCode, WeChatError
from wechat.storage import redis_storage


def test_login_returns_openid_and_session_key(client, fake):
    session_key = fake.register_code("code-1", "o-alice", unionid="u-alice")

    session = code_to_session(client, "code-1")

    assert (session.openid, session.session_key, session.unionid) == ("o-alice", session_key, "u-alice")
    assert session_key not in repr(session)


def test_login_code_is_single_use(client, fake):
    fake.register_code("code-1", "o-alice")
    code_to_session(client, "code-1")

    with pytest.raises(InvalidCode) as raised:
        code_to_session(client, "code-1")
    assert raised.value.errcode == 40163 and not raised.value.retryable


def test_unknown_login_code_is_refused(client):
    with pytest.raises(InvalidCode) as raised:
        code_to_session(client, "never-issued")
    assert raised.value.errcode == 40029 and not raised.value.retryable


def test_login_works_without_an_access_token(client, fake):
    # jscode2session takes the app secret, not a token: logins survive a failing token API
    fake.fail("stable_token", status=502, times=None)
    fake.register_code("code-1", "o-alice")

    assert code_to_session(client, "code-1").openid == "o-alice"
    assert fake.calls["stable_token"] == 0


def test_demo_mode_maps_any_code_to_a_stable_openid(fake, client):
    fake.auto_codes = True

    first, again, other = (code_to_session(client, code) for code in ("alice", "alice", "bob"))

    assert first.openid == again.openid != other.openid
    assert len(first.openid) == 28
    assert first.session_key != again.session_key  # a fresh session per login


def test_phone_number(client, fake):
    fake.register_phone_code("phone-code", "13800138000")

    assert phone_number(client, "phone-code") == "13800138000"
    with pytest.raises(InvalidCode):
        phone_number(client, "phone-code")


def test_wxa_code_is_an_image_of_the_scene_as_wechat_sent_it(client, fake):
    code = wxa_code(client, "place=42&t=door", page="pages/scan/index")

    image = Image.open(io.BytesIO(code.image))
    assert code.content_type == "image/jpeg" and image.format == "JPEG" and 280 <= image.width <= 450
    assert [code.text for code in zxingcpp.read_barcodes(image)] == ["place=42&t=door"]


def test_wxa_code_scene_too_long_is_refused(client):
    with pytest.raises(WeChatError) as raised:
        wxa_code(client, "x" * 33)
    assert raised.value.errcode == 40169 and not raised.value.retryable


def test_url_link_opens_the_page_with_the_query(client, fake):
    link = url_link(client, "pages/scan/index", "scene=abc123", 30)
    assert link.startswith("https://wxaurl.cn/") and fake.links == [(link, "pages/scan/index", "scene=abc123")]


@pytest.mark.parametrize("path, query, days, errcode", [
    ("/pages/scan/index", "scene=a", 30, 40165), ("pages/scan/index?scene=a", "", 30, 40165),
    ("pages/scan/index", "scene=<a>", 30, 40212), ("pages/scan/index", "scene=a", 31, 85401)])
def test_url_link_refusals(client, fake, path, query, days, errcode):
    with pytest.raises(WeChatError) as raised:
        url_link(client, path, query, days)
    assert raised.value.errcode == errcode and not fake.links


def test_subscribe_message_is_delivered_once(client, fake):
    fake.add_template("TPL-visit", "thing1", "time2")
    send_subscribe(client, "o-alice", "TPL-visit", {"thing1": "Visitor at gate", "time2": {"value": "10:00"}},
                   page="pages/visit/index")

    assert fake.sent == [{
        "touser": "o-alice", "template_id": "TPL-visit", "page": "pages/visit/index",
        "data": {"thing1": {"value": "Visitor at gate"}, "time2": {"value": "10:00"}},
    }]


def test_expired_token_is_refreshed_transparently(client, fake):
    send_subscribe(client, "o-alice", "TPL", {"thing1": "first"})
    fake.expire_tokens()

    send_subscribe(client, "o-alice", "TPL", {"thing1": "second"})

    assert [m["data"]["thing1"]["value"] for m in fake.sent] == ["first", "second"]
    assert fake.calls["stable_token"] == 2 and fake.calls["subscribe"] == 3  # one 42001, retried once


def test_token_refused_twice_is_retried_only_once(client, fake):
    # wechatpy's own auto_retry would loop here, fetching a token per round, until RecursionError
    fake.fail("subscribe", errcode=40001, times=None)

    with pytest.raises(WeChatError) as raised:
        send_subscribe(client, "o-alice", "TPL", {"thing1": "x"})

    assert raised.value.errcode == 40001 and raised.value.retryable
    assert fake.calls["stable_token"] == 2 and fake.calls["subscribe"] == 2
    assert fake.sent == []


def test_clients_sharing_redis_share_one_token(fake, redis_conn, redis_prefix):
    def worker():
        storage = redis_storage(redis_conn, prefix=redis_prefix)
        return make_client(fake.appid, fake.secret, base_url=fake.base_url, storage=storage, timeout=2.0)

    first, second = worker(), worker()
    send_subscribe(first, "o-alice", "TPL", {"thing1": 1})
    send_subscribe(second, "o-alice", "TPL", {"thing1": 2})
    assert fake.calls["stable_token"] == 1

    fake.expire_tokens()
    send_subscribe(second, "o-alice", "TPL", {"thing1": 3})  # 42001: second refreshes the shared token
    send_subscribe(first, "o-alice", "TPL", {"thing1": 4})  # and first picks it up from Redis

    assert fake.calls["stable_token"] == 2
    assert [m["data"]["thing1"]["value"] for m in fake.sent] == [1, 2, 3, 4]


def test_clients_with_separate_storage_each_fetch_a_token(fake):
    first, second = (make_client(fake.appid, fake.secret, base_url=fake.base_url) for _ in range(2))
    send_subscribe(first, "o-alice", "TPL", {"thing1": 1})
    send_subscribe(second, "o-alice", "TPL", {"thing1": 2})

    assert fake.calls["stable_token"] == 2


def test_concurrent_sends_are_each_delivered_once(client, fake):
    send_subscribe(client, "o-warmup", "TPL", {"thing1": 0})  # token in place before the burst
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda n: send_subscribe(client, f"o-{n}", "TPL", {"thing1": n}), range(1, 25)))

    assert sorted(m["data"]["thing1"]["value"] for m in fake.sent) == list(range(25))
    assert fake.calls["stable_token"] == 1


"""How WeChat failures reach callers: which error class, and whether retrying makes sense."""
import socket
import time
import traceback

import pytest

from wechat.client import code_to_session, make_client, send_subscribe
from wechat.errors import NoSubscription, QuotaExceeded, Unavailable, WeChatError


def _send(client, openid="o-alice"):
    send_subscribe(client, openid, "TPL", {"thing1": "hello"})


def test_quota_exceeded_is_retryable_and_later_succeeds(client, fake):
    fake.fail("subscribe", errcode=45009)

    with pytest.raises(QuotaExceeded) as raised:
        _send(client)
    assert raised.value.errcode == 45009 and raised.value.retryable
    assert fake.sent == []

    _send(client)
    assert len(fake.sent) == 1


def test_user_without_subscription_is_final(client, fake):
    fake.no_subscription("o-bob")

    with pytest.raises(NoSubscription) as raised:
        _send(client, "o-bob")
    assert raised.value.errcode == 43101 and not raised.value.retryable
    assert fake.sent == []


@pytest.mark.parametrize("status", [500, 502, 503])
def test_http_5xx_is_unavailable(client, fake, status):
    fake.fail("message/subscribe/send", status=status)

    with pytest.raises(Unavailable) as raised:
        _send(client)
    assert raised.value.retryable and raised.value.errcode is None


def test_system_busy_is_unavailable(client, fake):
    fake.fail("subscribe", errcode=-1)

    with pytest.raises(Unavailable) as raised:
        _send(client)
    assert raised.value.errcode == -1 and raised.value.retryable


def test_unknown_errcode_is_final(client, fake):
    fake.fail("subscribe", errcode=47003)

    with pytest.raises(WeChatError) as raised:
        _send(client)
    assert type(raised.value) is WeChatError and raised.value.errcode == 47003 and not raised.value.retryable


def test_down_then_up(client, fake):
    fake.down()
    with pytest.raises(Unavailable):
        _send(client)
    fake.up()
    _send(client)
    assert len(fake.sent) == 1


def test_persistent_fault_lasts_until_cleared(client, fake):
    fake.fail("subscribe", errcode=45011, times=None)
    for _ in range(3):
        with pytest.raises(QuotaExceeded):
            _send(client)
    fake.clear()
    _send(client)
    assert len(fake.sent) == 1


@pytest.mark.parametrize("api", ["subscribe", "stable_token"])
def test_slow_answer_times_out_as_unavailable(fake, api):
    # "stable_token" checks the timeout also covers the token fetch
    client = make_client(fake.appid, fake.secret, base_url=fake.base_url, timeout=0.3)
    fake.fail(api, delay=1.0)

    started = time.monotonic()
    with pytest.raises(Unavailable):
        _send(client)
    assert time.monotonic() - started < 0.9


def test_unreachable_server_is_unavailable_without_leaking_the_secret(fake):
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    client = make_client(fake.appid, fake.secret, base_url=f"http://127.0.0.1:{closed_port}", timeout=0.5)

    with pytest.raises(Unavailable) as raised:
        code_to_session(client, "code-1")  # the secret travels in this request's URL

    text = "".join(traceback.format_exception(raised.value))
    assert fake.secret not in text and "jscode2session" not in text


def test_wrong_secret_is_final_and_not_echoed(fake):
    client = make_client(fake.appid, "not-the-secret-123", base_url=fake.base_url)

    with pytest.raises(WeChatError) as raised:
        _send(client)

    assert raised.value.errcode == 40125 and not raised.value.retryable
    assert "not-the-secret-123" not in "".join(traceback.format_exception(raised.value))

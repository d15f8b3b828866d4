"""A scan page waits for WeChat's "open in WeChat" link no longer than WECHAT_URLLINK_TIMEOUT in all, the access
token's fetch included, and after WeChat did not answer, no scan on any server waits on it for a minute."""
import socket
import time

import pytest

from app.notifications.wechat_gateway import wechat_client
from tests.codes.test_scan_pages import card_token, page, wechat_link
from tests.residents.helpers import letter_token


@pytest.fixture
def silent_port():
    """A loopback port that takes connections and never answers, as a WeChat cut off by a firewall would."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        yield sock.getsockname()[1]


def timed_scan(client, path):
    started = time.monotonic()
    html = page(client, path)
    return wechat_link(html), time.monotonic() - started


def test_a_scan_waits_no_longer_than_its_budget_for_a_wechat_that_does_not_answer(app, client, world, fake_wechat,
                                                                                  silent_port):
    app.config.update(WECHAT_API_BASE=f"http://127.0.0.1:{silent_port}", WECHAT_TIMEOUT=10,
                      WECHAT_URLLINK_TIMEOUT=0.5)
    link, took = timed_scan(client, f"/s/{letter_token(world.house1)}")
    assert link is None and took < 4   # not the token fetch's 10 s (the margin: a busy machine's page)


def test_a_slow_token_fetch_comes_out_of_the_scans_budget(app, client, world, fake_wechat):
    app.config.update(WECHAT_TIMEOUT=10, WECHAT_URLLINK_TIMEOUT=0.5)
    fake_wechat.fail("stable_token", delay=8)
    link, took = timed_scan(client, f"/s/{letter_token(world.house1)}")
    assert link is None and took < 4 and fake_wechat.calls["urllink"] == 0


def test_after_wechat_did_not_answer_no_scan_of_any_code_asks_it_for_a_minute(app, client, world, fake_wechat):
    app.config["WECHAT_URLLINK_TIMEOUT"] = 0.3
    assert wechat_client().access_token   # fetched beforehand: the 0.3 s are generate_urllink's alone
    fake_wechat.fail("urllink", delay=2, times=None)
    assert timed_scan(client, f"/s/{letter_token(world.house1)}")[0] is None

    app.extensions.pop("jiashu.wechat")   # another app server: its own client, the same shared storage
    for path in (f"/s/{letter_token(world.house2)}", f"/c/{card_token(world.police1)}"):
        assert wechat_link(page(client, path)) is None
    assert fake_wechat.calls["urllink"] == 1

"""The access token as WeChat hands it out: the fake rotates cgi-bin/token's and keeps stable_token's as WeChat's
documentation says, and the app's servers share one stable token, fetched by one of them."""
import os
import subprocess
import sys
import time
import uuid

import pytest
import redis
import requests

from fakes.wechat_server import FakeWeChat
from wechat.client import make_client, send_subscribe, url_link
from wechat.errors import Unavailable
from wechat.storage import LocalStorage
from wechat.tokens import MARGIN

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def token_call(fake, path, **body):
    credentials = {"grant_type": "client_credential", "appid": fake.appid, "secret": fake.secret}
    if path == "token":
        return requests.get(f"{fake.base_url}/cgi-bin/token", params=credentials, timeout=5).json()
    return requests.post(f"{fake.base_url}/cgi-bin/stable_token", json={**credentials, **body}, timeout=5).json()


def errcode_for(fake, token):
    """What WeChat answers a call made with `token` (0: accepted)."""
    answer = requests.post(f"{fake.base_url}/cgi-bin/message/subscribe/send", params={"access_token": token},
                           json={"touser": "o-x", "template_id": "TPL", "data": {"thing1": {"value": "x"}}},
                           timeout=5).json()
    return answer["errcode"]


def test_a_cgi_bin_token_fetch_retires_the_previous_token_five_minutes_later(fake):
    first = token_call(fake, "token")["access_token"]
    second = token_call(fake, "token")["access_token"]
    assert first != second and errcode_for(fake, first) == errcode_for(fake, second) == 0

    fake.advance(301)
    assert errcode_for(fake, first) == 40001 and errcode_for(fake, second) == 0


def test_stable_token_is_the_same_for_every_caller_until_its_last_five_minutes(fake):
    first = token_call(fake, "stable_token")
    fake.advance(1000)
    again = token_call(fake, "stable_token")
    assert again["access_token"] == first["access_token"] and first["expires_in"] == 7200
    assert 6199 <= again["expires_in"] <= 6200       # what is left of it

    fake.advance(6200 - 299)                           # its last five minutes: the next token, the old one still good
    nxt = token_call(fake, "stable_token")
    assert nxt["access_token"] != first["access_token"] and nxt["expires_in"] == 7200
    assert errcode_for(fake, first["access_token"]) == errcode_for(fake, nxt["access_token"]) == 0
    fake.advance(300)
    assert errcode_for(fake, first["access_token"]) == 42001 and errcode_for(fake, nxt["access_token"]) == 0


def test_stable_token_is_apart_from_cgi_bin_token(fake):
    stable = token_call(fake, "stable_token")["access_token"]
    token_call(fake, "token")
    fake.advance(301)
    assert errcode_for(fake, stable) == 0


def test_force_refresh_retires_the_token_at_once_twenty_times_a_day_and_not_twice_in_30_seconds(fake):
    first = token_call(fake, "stable_token")["access_token"]
    forced = token_call(fake, "stable_token", force_refresh=True)["access_token"]
    assert forced != first and errcode_for(fake, first) == 40001 and errcode_for(fake, forced) == 0
    assert token_call(fake, "stable_token", force_refresh=True)["access_token"] == forced   # within 30 s
    for _ in range(19):
        fake.advance(31)
        assert token_call(fake, "stable_token", force_refresh=True)["access_token"] != forced
    fake.advance(31)
    assert token_call(fake, "stable_token", force_refresh=True)["errcode"] == 45009
    fake.advance(86400)
    assert "access_token" in token_call(fake, "stable_token", force_refresh=True)


class RecordingStorage(LocalStorage):
    def __init__(self):
        super().__init__()
        self.ttls = {}

    def set(self, key, value, ttl=None):
        self.ttls[key] = ttl
        super().set(key, value, ttl)


def test_the_app_fetches_a_stable_token_and_keeps_it_a_margin_short_of_its_life(fake):
    storage = RecordingStorage()
    client = make_client(fake.appid, fake.secret, base_url=fake.base_url, storage=storage)
    send_subscribe(client, "o-alice", "TPL", {"thing1": "hello"})
    assert fake.calls["stable_token"] == 1 and fake.calls["token"] == 0
    assert storage.ttls[client.access_token_key] == 7200 - MARGIN

    fake.advance(5000)   # another server's client, later: WeChat says what is left of the same token
    later = RecordingStorage()
    send_subscribe(make_client(fake.appid, fake.secret, base_url=fake.base_url, storage=later), "o-bob", "TPL",
                   {"thing1": "hello"})
    assert later.get(client.access_token_key) == storage.get(client.access_token_key)
    assert 2200 - MARGIN - 1 <= later.ttls[client.access_token_key] <= 2200 - MARGIN


def test_another_caller_of_cgi_bin_token_does_not_rotate_the_apps_token(client, fake):
    send_subscribe(client, "o-alice", "TPL", {"thing1": "first"})
    token_call(fake, "token")          # staging, or a tool, with the same app id
    fake.advance(301)
    send_subscribe(client, "o-alice", "TPL", {"thing1": "second"})
    assert len(fake.sent) == 2 and fake.calls["subscribe"] == 2   # never refused, never fetched again
    assert fake.calls["stable_token"] == 1


@pytest.fixture
def store_url(request):
    """REDIS_URL for the app processes: the test's Redis (its keys of the test's app id deleted after), or none."""
    if request.param == "database":
        yield ""
        return
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    conn = redis.Redis.from_url(url, socket_timeout=1)
    try:
        conn.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable")
    yield url
    for key in conn.scan_iter(f"jiashu:wechat:{APPID}_*"):
        conn.delete(key)


# Its own app id: a token a Redis store kept from another test or run would spare the fetch.
APPID = f"wx{uuid.uuid4().hex[:16]}"


@pytest.mark.parametrize("store_url", ["database", "redis"], indirect=True)
def test_eight_processes_sharing_one_store_fetch_one_token_and_none_is_refused(app, database_url, store_url):
    with FakeWeChat(appid=APPID) as fake:
        env = dict(os.environ, DATABASE_URL=database_url, REDIS_URL=store_url,
                   WECHAT_APPID=fake.appid, WECHAT_SECRET=fake.secret, WECHAT_API_BASE=fake.base_url,
                   WECHAT_TIMEOUT="10")
        processes = [subprocess.Popen([sys.executable, "-m", "tests.wechat.token_race", f"o-{n}"], cwd=ROOT, env=env,
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                     for n in range(8)]
        try:
            for process in processes:
                assert process.stdout.readline().strip() == "ready"
            for process in processes:   # all at once: each finds the store empty
                process.stdin.write("go\n")
                process.stdin.flush()
            outcomes = [process.communicate(timeout=60)[0].strip() for process in processes]
        finally:
            for process in processes:
                process.kill()
        assert outcomes == ["sent"] * 8
        assert fake.calls["stable_token"] == 1 and fake.calls["token"] == 0
        assert fake.calls["subscribe"] == 8 and len(fake.sent) == 8   # no call refused (and so repeated)


def test_a_lease_left_by_a_server_that_died_mid_fetch_frees_itself(fake):
    storage = LocalStorage()
    client = make_client(fake.appid, fake.secret, base_url=fake.base_url, storage=storage, timeout=0.2)
    storage.acquire(f"{client.access_token_key}_lease", "a server that died", 0.5)
    send_subscribe(client, "o-alice", "TPL", {"thing1": "hello"})
    assert len(fake.sent) == 1 and fake.calls["stable_token"] == 1


def test_waiting_on_another_servers_fetch_comes_out_of_the_calls_budget(fake):
    storage = LocalStorage()
    client = make_client(fake.appid, fake.secret, base_url=fake.base_url, storage=storage, timeout=5)
    storage.acquire(f"{client.access_token_key}_lease", "a server still fetching", 10)
    started = time.monotonic()
    with pytest.raises(Unavailable):
        url_link(client, "pages/scan/index", "scene=abc", 30, timeout=0.3)
    assert time.monotonic() - started < 1 and fake.calls["stable_token"] == 0

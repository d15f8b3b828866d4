"""Fixtures: a fake WeChat server on loopback and wechatpy clients pointed at it."""
import os
import uuid

import pytest
import redis

from fakes.wechat_server import FakeWeChat
from wechat.client import make_client


@pytest.fixture
def fake():
    with FakeWeChat() as server:
        server.add_template("TPL", "thing1")   # the template these tests send
        yield server


@pytest.fixture
def client(fake):
    return make_client(fake.appid, fake.secret, base_url=fake.base_url, timeout=2.0)


@pytest.fixture
def redis_conn():
    conn = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), socket_timeout=1)
    try:
        conn.ping()
    except redis.RedisError:
        pytest.skip("Redis is not reachable")
    yield conn
    conn.close()


@pytest.fixture
def redis_prefix(redis_conn):
    prefix = f"test-wechat-{uuid.uuid4().hex}"
    yield prefix
    for key in redis_conn.scan_iter(f"{prefix}:*"):
        redis_conn.delete(key)

"""The browser build of the mini-program signs in with a typed stand-in for wx.login's code, which only the loopback
fake WeChat accepts: production refuses to start pointed at a fake (or any plain-HTTP "WeChat"), so there the
stand-in meets real WeChat, which knows no such code."""
import pytest

from app import create_app
from config import TestConfig

KEY = "A" * 43 + "="   # base64 of 32 bytes


def _production(database_url, **overrides):
    return create_app(TestConfig, ENV_NAME="production", SECRET_KEY="a-real-secret",
                      SQLALCHEMY_DATABASE_URI=database_url, ID_ENCRYPTION_KEYS=f"k1:{KEY}", ID_BLIND_INDEX_KEY=KEY,
                      WECHAT_APPID="wx1234567890abcdef", WECHAT_SECRET="s" * 32,
                      WECHAT_TEMPLATE_ID="tmpl-of-the-mini-program", **overrides)


@pytest.mark.parametrize("base", ["http://127.0.0.1:8801", "http://localhost:8801", "https://127.0.0.1",
                                  "https://[::1]:8443", "http://api.weixin.qq.com"])
def test_production_refuses_a_fake_or_plain_http_wechat(database_url, base):
    with pytest.raises(RuntimeError, match="WECHAT_API_BASE"):
        _production(database_url, WECHAT_API_BASE=base)


@pytest.mark.parametrize("base", [None, "https://api.weixin.qq.com", "https://wechat-proxy.gov.example"])
def test_production_starts_with_real_wechat_or_an_https_relay(database_url, base):
    assert _production(database_url, WECHAT_API_BASE=base).config["ENV_NAME"] == "production"


def test_the_benchmarks_say_so_to_run_production_against_the_fake(database_url):
    app = _production(database_url, WECHAT_API_BASE="http://127.0.0.1:8801", WECHAT_FAKE_IN_PRODUCTION=True)
    assert app.config["ENV_NAME"] == "production"


def test_the_demos_fake_takes_the_h5_clients_typed_code(client, fake_wechat):
    """The demo's and the tests' stand-in: a browser's typed code, reused, signs it in as one person (the demo's
    fake takes made-up codes); WeChat's own answer to an unknown code stands without that."""
    assert client.post("/api/auth/wechat", json={"code": "h5-mgabc-0123abcd"}).status_code == 401
    fake_wechat.auto_codes = True
    first, again = (client.post("/api/auth/wechat", json={"code": "h5-mgabc-0123abcd"}) for _ in range(2))
    assert first.status_code == again.status_code == 200
    me = [client.get("/api/auth/me", headers={"Authorization": f"Bearer {a.json['token']}"}) for a in (first, again)]
    assert me[0].status_code == me[1].status_code == 200

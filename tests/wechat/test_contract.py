"""WeChat's server API as the app uses it, one case per documented rule: paths, fields, limits and error codes.

Every case runs against the loopback fake (in CI), and again against WeChat itself when the environment names a
mini-program, so a deployment can check its appid before going live (README, "Checking WeChat's contract"):

    WECHAT_CONTRACT_APPID=wx... WECHAT_CONTRACT_SECRET=... pytest -n 0 tests/wechat/test_contract.py

A case that needs what only a phone makes (a wx.login or getPhoneNumber code, a subscription) runs on the fake
only; a case that needs a tester's openid or the mini-program's template runs on WeChat only when those are given
(WECHAT_CONTRACT_OPENID, WECHAT_CONTRACT_TEMPLATE_ID: a template whose fields include thing1 and time3). Against
WeChat the run fetches one access token, as an app server does.
"""
import io
import os
from dataclasses import dataclass

import pytest
import requests
import zxingcpp
from PIL import Image
from wechatpy import WeChatClient

from fakes.wechat_server import ROUTES, FakeWeChat
from wechat.client import (
    code_to_session,
    make_client,
    media_check_async,
    msg_sec_check,
    phone_number,
    send_subscribe,
    url_link,
    wxa_code,
)
from wechat.errors import InvalidCode, WeChatError

WECHAT = "https://api.weixin.qq.com"
# The path of each call the app makes, as WeChat documents it; the fake answers each on the same path.
PATHS = {
    "token": "/cgi-bin/token",
    "stable_token": "/cgi-bin/stable_token",
    "jscode2session": "/sns/jscode2session",
    "phone": "/wxa/business/getuserphonenumber",
    "wxacode": "/wxa/getwxacodeunlimit",
    "urllink": "/wxa/generate_urllink",
    "subscribe": "/cgi-bin/message/subscribe/send",
    "msg_sec_check": "/wxa/msg_sec_check",
    "media_check_async": "/wxa/media_check_async",
}
# A page no mini-program has released.
UNRELEASED_PAGE = "pages/contract-check/never-released"
TEMPLATE_ON_FAKE = "contract-template"


@dataclass
class Side:
    """The WeChat a case talks to: the fake (with its controls) or WeChat itself."""

    name: str
    appid: str
    secret: str
    client: WeChatClient
    base_url: str
    fake: FakeWeChat | None = None
    openid: str | None = None        # a user of the mini-program (WeChat: a tester's)
    template_id: str | None = None   # a template with thing1 and time3
    page: str = "pages/scan/index"   # a page of the released mini-program

    def fake_only(self, why: str) -> FakeWeChat:
        if self.fake is None:
            pytest.skip(f"on the fake only: {why}")
        return self.fake

    def needs(self, value: str | None, setting: str) -> str:
        if value is None:
            pytest.skip(f"set {setting} to check this against WeChat")
        return value


def _fake_side():
    fake = FakeWeChat().start()
    fake.add_template(TEMPLATE_ON_FAKE, "thing1", "phrase2", "time3")
    return Side("fake", fake.appid, fake.secret, make_client(fake.appid, fake.secret, base_url=fake.base_url,
                                                             timeout=5.0),
                fake.base_url, fake, openid="o-contract", template_id=TEMPLATE_ON_FAKE)


def _wechat_side():
    appid, secret = os.environ.get("WECHAT_CONTRACT_APPID"), os.environ.get("WECHAT_CONTRACT_SECRET")
    if not (appid and secret):
        pytest.skip("WeChat itself: set WECHAT_CONTRACT_APPID and WECHAT_CONTRACT_SECRET")
    # Another host only to try this module's own run against WeChat on a fake started apart.
    base_url = os.environ.get("WECHAT_CONTRACT_API_BASE", WECHAT)
    return Side("wechat", appid, secret, make_client(appid, secret, base_url=None if base_url == WECHAT else base_url,
                                                     timeout=10.0), base_url,
                openid=os.environ.get("WECHAT_CONTRACT_OPENID"),
                template_id=os.environ.get("WECHAT_CONTRACT_TEMPLATE_ID"),
                page=os.environ.get("WECHAT_CONTRACT_PAGE", "pages/scan/index"))


@pytest.fixture(scope="module", params=["fake", "wechat"])
def side(request):
    made = _fake_side() if request.param == "fake" else _wechat_side()
    yield made
    if made.fake is not None:
        made.fake.stop()


def refused(call, *args, **kwargs) -> int | None:
    """The errcode WeChat refused the call with."""
    with pytest.raises(WeChatError) as raised:
        call(*args, **kwargs)
    return raised.value.errcode


def test_the_fake_answers_on_every_path_the_app_calls():
    served = set(ROUTES)
    missing = {name for name, path in PATHS.items() if path not in served}
    assert not missing, f"the fake lacks {missing}"


# -- access token --------------------------------------------------------------------------------------------

def test_token_is_fetched_with_the_app_secret(side):
    answer = requests.get(side.base_url + PATHS["token"], timeout=10, params={
        "grant_type": "client_credential", "appid": side.appid, "secret": side.secret}).json()
    assert isinstance(answer.get("access_token"), str) and answer["expires_in"] == 7200, answer


def test_a_wrong_secret_is_40125(side):
    answer = requests.get(side.base_url + PATHS["token"], timeout=10, params={
        "grant_type": "client_credential", "appid": side.appid, "secret": "0" * 32}).json()
    assert answer["errcode"] == 40125, answer


def test_stable_token_gives_every_caller_the_same_token(side):
    body = {"grant_type": "client_credential", "appid": side.appid, "secret": side.secret}
    first, second = (requests.post(side.base_url + PATHS["stable_token"], json=body, timeout=10).json()
                     for _ in range(2))
    assert isinstance(first.get("access_token"), str) and 0 < first["expires_in"] <= 7200, first
    assert second["access_token"] == first["access_token"]


# -- sign-in and phone ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [code_to_session, phone_number], ids=["code2session", "getuserphonenumber"])
def test_an_unknown_login_or_phone_code_is_40029(side, call):
    with pytest.raises(InvalidCode) as raised:
        call(side.client, "contract-never-issued-code")
    assert raised.value.errcode == 40029


def test_code2session_answers_openid_and_session_key_once_per_code(side):
    fake = side.fake_only("a wx.login code comes from a phone")
    fake.register_code("contract-code", "o-contract", unionid="u-contract")
    session = code_to_session(side.client, "contract-code")
    assert (session.openid, session.unionid) == ("o-contract", "u-contract") and len(session.session_key) == 24
    assert refused(code_to_session, side.client, "contract-code") == 40163


def test_getuserphonenumber_answers_the_number_once_per_code(side):
    fake = side.fake_only("a getPhoneNumber code comes from a phone")
    fake.register_phone_code("contract-phone", "13800138000")
    assert phone_number(side.client, "contract-phone") == "13800138000"
    assert refused(phone_number, side.client, "contract-phone") == 40029


# -- mini-program codes --------------------------------------------------------------------------------------

def test_getwxacodeunlimit_draws_a_jpeg_of_the_scene(side):
    code = wxa_code(side.client, "Ab3dEf7hIj9kLm1nOp2qRs", page=side.page, check_path=False, env_version="trial")
    image = Image.open(io.BytesIO(code.image))
    assert code.content_type == "image/jpeg" and image.format == "JPEG" and 280 <= image.width <= 450
    if side.fake is not None:   # WeChat draws a round code that only WeChat reads
        assert [found.text for found in zxingcpp.read_barcodes(image)] == ["Ab3dEf7hIj9kLm1nOp2qRs"]


def test_getwxacodeunlimit_scene_is_at_most_32_characters(side):
    assert refused(wxa_code, side.client, "x" * 33, page=side.page, check_path=False) == 40169


def test_getwxacodeunlimit_checks_the_page_against_the_released_version(side):
    assert refused(wxa_code, side.client, "contract", page=UNRELEASED_PAGE) == 41030
    assert refused(wxa_code, side.client, "contract", page=UNRELEASED_PAGE, check_path=True,
                   env_version="trial") == 41030
    assert wxa_code(side.client, "contract", page=UNRELEASED_PAGE, check_path=False, env_version="develop").image


def test_getwxacodeunlimit_env_version_is_release_trial_or_develop(side):
    assert refused(wxa_code, side.client, "contract", page=side.page, check_path=False, env_version="beta") == 40097


# -- URL Links -----------------------------------------------------------------------------------------------

def test_generate_urllink_answers_a_wxaurl_link(side):
    assert url_link(side.client, side.page, "scene=contract", 30).startswith("https://wxaurl.cn/")


@pytest.mark.parametrize("path, query, days, errcode", [
    ("/pages/scan/index", "scene=a", 30, 40165),   # no leading slash
    ("pages/scan/index?scene=a", "", 30, 40165),   # the query goes in query
    ("pages/scan/index", "scene=<a>", 30, 40212),  # the characters a URL's query may hold
    ("pages/scan/index", "scene=a", 31, 85401),    # at most 30 days
])
def test_generate_urllink_refusals(side, path, query, days, errcode):
    assert refused(url_link, side.client, path, query, days) == errcode


# -- subscribe messages --------------------------------------------------------------------------------------

def test_subscribe_send_refuses_an_unknown_template_with_40037(side):
    openid = side.needs(side.openid, "WECHAT_CONTRACT_OPENID")
    assert refused(send_subscribe, side.client, openid, "contract-no-such-template",
                   {"thing1": "x", "time3": "2026年12月7日 15:01"}) == 40037


@pytest.mark.parametrize("fields", [
    {"thing1": "一二三四五六七八九十" * 2 + "一"},    # a thing holds at most 20 characters
    {"thing1": ""},                                  # and is never empty
    {"time3": "2026-12-07 15:01"},                   # a time as WeChat writes it: 2026年12月7日 15:01
    {"time3": "2026年12月7日"},                        # with its clock
])
def test_subscribe_send_refuses_values_unlike_their_kind_with_47003(side, fields):
    openid = side.needs(side.openid, "WECHAT_CONTRACT_OPENID")
    template = side.needs(side.template_id, "WECHAT_CONTRACT_TEMPLATE_ID")
    data = {"thing1": "楼道灯已修好", "phrase2": "已办结", "time3": "2026年12月7日 15:01", **fields}
    assert refused(send_subscribe, side.client, openid, template, data) == 47003


def test_subscribe_send_phrase_is_at_most_5_chinese_characters(side):
    fake = side.fake_only("the fake's contract template has a phrase field")
    data = {"thing1": "楼道灯已修好", "phrase2": "已经办结完毕", "time3": "2026年12月7日 15:01"}
    assert refused(send_subscribe, side.client, "o-contract", TEMPLATE_ON_FAKE, data) == 47003
    send_subscribe(side.client, "o-contract", TEMPLATE_ON_FAKE, {**data, "phrase2": "已办结"}, page="pages/inbox")
    assert fake.sent[-1]["data"]["phrase2"] == {"value": "已办结"}


def test_subscribe_send_without_a_subscription_is_43101(side):
    fake = side.fake_only("a subscription is what a user grants in the mini-program")
    fake.no_subscription("o-unsubscribed")
    data = {"thing1": "x", "phrase2": "已办结", "time3": "15:01"}
    assert refused(send_subscribe, side.client, "o-unsubscribed", TEMPLATE_ON_FAKE, data) == 43101


# -- content checks ------------------------------------------------------------------------------------------

def test_msg_sec_check_v2_suggests_pass_for_plain_text(side):
    openid = side.needs(side.openid, "WECHAT_CONTRACT_OPENID")
    assert msg_sec_check(side.client, openid, "楼下的花开了") == "pass"


def test_media_check_async_v2_answers_a_trace_id_for_a_public_image(side):
    """The verdict itself is pushed later to the mini-program's message push URL (tests/wishes/test_media_checks.py)."""
    openid = side.needs(side.openid, "WECHAT_CONTRACT_OPENID")
    trace_id = media_check_async(side.client, openid, f"{side.base_url}/contract-check.jpg")
    assert isinstance(trace_id, str) and trace_id

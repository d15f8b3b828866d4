"""wechatpy client factory and the mini-program API calls the app makes.

Where this module works around wechatpy 1.8.18 (and why), all in one place:
- **The host.** wechatpy keeps base URLs in more than one place. A transport adapter mounted on the client's
  requests session (`client._http`, the only handle wechatpy offers on its HTTP layer) sends every call to
  `base_url` (the loopback fake in tests and the demo), fills in the timeout, and keeps each request within the
  call's budget (wechat/budget.py).
- **The token** comes from stable_token, one server fetching at a time (wechat/tokens.py).
- **Retries.** `auto_retry=False`: against a server that keeps answering 40001, wechatpy's own retry fetched
  488 tokens and then hit RecursionError. `_call` refreshes once and retries once, and reuses a token another
  worker refreshed meanwhile instead of fetching again. The token store's own failures (Redis not answering) are
  WeChat being unavailable to the caller, as a timeout is.
- **Login.** `client.wxa.code_to_session` adds an access token to the query (fetching one first) although
  jscode2session takes none; `code_to_session` below passes its query as a string, which wechatpy leaves
  alone, so logins never wait for a token fetch (nor read the stored token).
- **Phone numbers, URL Links, codes.** 1.8.18 has no getuserphonenumber nor generate_urllink method, and its
  get_wxa_code_unlimited sends neither check_path nor env_version: the client's public `post()` calls them.
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit, urlunsplit

import redis
import requests
from requests.adapters import HTTPAdapter
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from wechat import budget
from wechat.errors import TOKEN_CODES, Unavailable, WeChatError, from_errcode, from_http_status
from wechat.storage import LocalStorage, TokenStorage
from wechat.tokens import StableTokenClient

T = TypeVar("T")

# urllib3 logs every request URL at DEBUG, and WeChat's URLs carry the app secret and login codes.
logging.getLogger("urllib3.connectionpool").setLevel(logging.INFO)


@dataclass(frozen=True)
class Session:
    """Result of code2session; session_key stays out of repr so it never lands in logs."""

    openid: str
    session_key: str = field(repr=False)
    unionid: str | None = None


class _Transport(HTTPAdapter):
    """Applies a default timeout, cut to what is left of the call's budget, and, when base_url is set, sends every
    request to that host."""

    def __init__(self, timeout: float, base_url: str | None = None) -> None:
        super().__init__()
        self._timeout = timeout
        self._base = urlsplit(base_url) if base_url else None

    def send(self, request: requests.PreparedRequest, timeout: Any = None,  # type: ignore[override]
             **kwargs: Any) -> requests.Response:
        if self._base:
            url = urlsplit(str(request.url))
            request = request.copy()
            request.url = urlunsplit((self._base.scheme, self._base.netloc,
                                      self._base.path.rstrip("/") + url.path, url.query, ""))
        timeout = self._timeout if timeout is None else timeout
        left = budget.remaining()
        if left is not None:
            if left <= 0:
                raise requests.Timeout("the call's time budget is spent")
            timeout = min(timeout, left)
        return super().send(request, timeout=timeout, **kwargs)


def make_client(appid: str, secret: str, base_url: str | None = None, storage: TokenStorage | None = None,
                timeout: float = 5.0) -> StableTokenClient:
    """A WeChatClient whose token lives in `storage` (this process's memory by default) and whose calls all time
    out after `timeout` s; with `base_url` (e.g. a FakeWeChat's) every request goes to that host instead of
    api.weixin.qq.com."""
    client = StableTokenClient(appid, secret, session=LocalStorage() if storage is None else storage,
                               timeout=timeout, auto_retry=False)
    if base_url:
        client._http.trust_env = False  # no proxy from the environment for the fake host
    transport = _Transport(timeout, base_url)
    client._http.mount("https://", transport)
    client._http.mount("http://", transport)
    return client


def _translate(exc: Exception) -> WeChatError:
    if isinstance(exc, requests.Timeout):
        return Unavailable("WeChat API timed out")
    if isinstance(exc, requests.RequestException):
        # str(exc) can hold the request URL, secret included: keep it out.
        return Unavailable(f"WeChat API unreachable ({type(exc).__name__})")
    assert isinstance(exc, WeChatClientException)
    if exc.errcode is None:
        return from_http_status(getattr(exc.response, "status_code", None))
    return from_errcode(exc.errcode, exc.errmsg)


def _call(client: WeChatClient, request: Callable[[], T], sends_token: bool = True,
          within: float | None = None) -> T:
    """Run request(), all of it (token included) within `within` s if given; on a rejected token (of a request
    that sends one) get another and retry once; map failures to WeChatError."""
    try:
        with budget.within(within):
            if not sends_token:
                return request()
            used = client.session.get(client.access_token_key)
            try:
                return request()
            except WeChatClientException as exc:
                if exc.errcode not in TOKEN_CODES:
                    raise
            # Another worker sharing the storage may have stored a new token already: fetch_access_token uses it.
            client.fetch_access_token(rejected=used or client.session.get(client.access_token_key))
            return request()
    except redis.RedisError as exc:
        error: WeChatError = Unavailable(f"WeChat's token store is not answering ({type(exc).__name__})")
    except (WeChatClientException, requests.RequestException) as exc:
        error = _translate(exc)
    # Raised outside the except block so no chained traceback carries the request URL.
    raise error


def _pick(answer: Any, *keys: str) -> Any:
    """answer[k1][k2]...; a missing key or a non-JSON answer is an unusable reply."""
    try:
        for key in keys:
            answer = answer[key]
    except (KeyError, TypeError):
        raise Unavailable(f"WeChat answer lacks {'.'.join(keys)}") from None
    return answer


def code_to_session(client: WeChatClient, js_code: str) -> Session:
    """Exchange a wx.login() code for the user's openid and session key."""
    answer = _call(client, lambda: client.get(
        "sns/jscode2session",
        api_base_url=client.wxa.API_BASE_URL,
        # Encoded here: wechatpy adds no access_token to a string (see the module's docstring), and requests
        # sends it as it is (a list it would encode item by item).
        params=urlencode({"appid": client.appid, "secret": client.secret, "js_code": js_code,
                          "grant_type": "authorization_code"}),
    ), sends_token=False)
    return Session(_pick(answer, "openid"), _pick(answer, "session_key"), answer.get("unionid"))


def phone_number(client: WeChatClient, code: str) -> str:
    """The phone number (without country code) for a getPhoneNumber button code."""
    answer = _call(client, lambda: client.post(
        "wxa/business/getuserphonenumber",
        api_base_url=client.wxa.API_BASE_URL,
        data={"code": code},
    ))
    return str(_pick(answer, "phone_info", "purePhoneNumber"))


@dataclass(frozen=True)
class WxaCode:
    """A mini-program code as WeChat drew it: the image and its content type (JPEG in practice, PNG at times)."""

    image: bytes = field(repr=False)
    content_type: str


def wxa_code(client: WeChatClient, scene: str, page: str | None = None, width: int = 430, check_path: bool = True,
             env_version: str = "release") -> WxaCode:
    """An unlimited mini-program code for `scene` (≤ 32 chars) opening `page` in the `env_version` of the
    mini-program. With `check_path` WeChat refuses a page its released version lacks (41030): before the first
    release, codes for a trial or develop version need check_path=False."""
    data: dict[str, Any] = {"scene": scene, "width": width, "check_path": check_path, "env_version": env_version}
    if page is not None:
        data["page"] = page
    answer = _call(client, lambda: client.post("wxa/getwxacodeunlimit", api_base_url=client.wxa.API_BASE_URL,
                                               data=data))
    # wechatpy hands back the Response when the body is not JSON; JSON here means no image.
    content_type = answer.headers.get("Content-Type", "") if isinstance(answer, requests.Response) else ""
    if not content_type.startswith("image/"):
        raise Unavailable("WeChat answered getwxacodeunlimit without an image")
    return WxaCode(answer.content, content_type.split(";")[0].strip())


def url_link(client: WeChatClient, path: str, query: str, days: int, timeout: float | None = None) -> str:
    """A URL Link (https://wxaurl.cn/...) that opens the mini-program's `path` with `query` from a browser outside
    WeChat, valid for `days` (WeChat allows 30 at most); within `timeout` s in all (a token fetch included) if
    given."""
    answer = _call(client, lambda: client.post(
        "wxa/generate_urllink",
        api_base_url=client.wxa.API_BASE_URL,
        data={"path": path, "query": query, "expire_type": 1, "expire_interval": days},
    ), within=timeout)
    link = str(_pick(answer, "url_link"))
    if not link.startswith("https://"):   # it becomes a page's link: nothing but a web address
        raise Unavailable("WeChat answered generate_urllink without an https link")
    return link


def send_subscribe(client: WeChatClient, openid: str, template_id: str, data: dict[str, Any],
                   page: str | None = None) -> None:
    """Send a subscribe message; plain values in `data` are wrapped as {"value": ...}."""
    data = {key: value if isinstance(value, dict) else {"value": value} for key, value in data.items()}
    _call(client, lambda: client.wxa.send_subscribe_message(openid, template_id, data, page=page))


# Scenes of msg_sec_check v2: 1 profile, 2 comment, 3 forum post, 4 social log.
SCENE_FORUM = 3


def msg_sec_check(client: WeChatClient, openid: str, content: str, scene: int = SCENE_FORUM) -> str:
    """WeChat's content security check (v2) of text a user publishes: its suggestion, "pass", "review" or
    "risky". `openid` is the author's (a user who opened the mini-program in the last two hours)."""
    answer = _call(client, lambda: client.post(
        "wxa/msg_sec_check",
        api_base_url=client.wxa.API_BASE_URL,
        data={"content": content, "version": 2, "scene": scene, "openid": openid},
    ))
    return str(_pick(answer, "result", "suggest"))


MEDIA_IMAGE = 2   # media_check_async's media_type for an image (1 is audio)


def media_check_async(client: WeChatClient, openid: str, media_url: str, scene: int = SCENE_FORUM) -> str:
    """Ask WeChat to check the image at `media_url` (fetched by WeChat: public, at most 10 MB) that the user
    `openid` (active in the last two hours) publishes; answers the trace id WeChat's verdict will carry when it
    is pushed to the mini-program's message push URL, within 30 minutes (app/wishes/media_checks.py)."""
    answer = _call(client, lambda: client.post(
        "wxa/media_check_async",
        api_base_url=client.wxa.API_BASE_URL,
        data={"media_url": media_url, "media_type": MEDIA_IMAGE, "version": 2, "scene": scene, "openid": openid},
    ))
    return str(_pick(answer, "trace_id"))

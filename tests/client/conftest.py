"""The mini-program's browser build (miniprogram/dist/build/h5, `make client`) served by the real app at /m/ on
loopback, with the loopback fake WeChat taking the build's typed sign-in codes, in Debian's Chromium at a phone's
size; every request a page makes is checked to stay on 127.0.0.1, and its errors are recorded."""
import os
import uuid
from urllib.parse import urlsplit

import pytest

from app.models import WeChatIdentity
from app.web.extensions import db
from fakes.wechat_server import FakeWeChat, _digest
from tests.console.conftest import PHONE, browser, live, live_uploads, served  # noqa: F401 (fixtures)

H5_BUILD = os.path.join(os.path.dirname(__file__), "..", "..", "miniprogram", "dist", "build", "h5", "index.html")
CODE_KEY = "jiashu.h5-code"   # src/platform/login.ts: the browser's stand-in for wx.login's code


@pytest.fixture(scope="module")
def live_wechat():
    """The fake WeChat, taking any code as WeChat takes a real one (the H5 build's stand-in)."""
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}", auto_codes=True) as wechat:
        yield wechat


def openid_of(code: str) -> str:
    """The openid the fake WeChat signs a stand-in code in as."""
    return "o" + _digest(code)[:27]


def as_phone_of(identity: WeChatIdentity) -> str:
    """Make `identity` the WeChat user a browser signs in as; the stand-in code to give that browser."""
    code = f"h5-{uuid.uuid4().hex[:12]}"
    identity.openid = openid_of(code)
    db.session.commit()
    return code


@pytest.fixture
def phone(browser, live):  # noqa: F811 (the imported fixtures)
    """phone(code) → a page of a fresh browser context at 390×844 signed in (on first call) with `code`; its
    `.outside` lists any request that tried to leave 127.0.0.1 (aborted), `.errors` its script and console errors."""
    if not os.path.exists(H5_BUILD):
        pytest.skip("the mini-program's browser build is missing (make client)")
    contexts = []

    def opened(code: str | None = None):
        context = browser.new_context(viewport=PHONE, base_url=live, locale="zh-CN", is_mobile=True,
                                      has_touch=True)
        contexts.append(context)
        if code:
            # about:blank (open_page_at) has no storage: only the app's own pages are given the code.
            context.add_init_script(f"location.protocol === 'http:' && localStorage.setItem({CODE_KEY!r}, {code!r})")
        page = context.new_page()
        page.errors, page.outside = [], []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))

        def guard(route):
            if urlsplit(route.request.url).hostname in ("127.0.0.1", None) or route.request.url.startswith(("data:", "blob:")):
                route.continue_()
            else:
                page.outside.append(route.request.url)
                route.abort()
        context.route("**/*", guard)
        return page

    yield opened
    for context in contexts:
        context.close()


def open_page_at(page, path: str) -> None:
    """Open a mini-program page (`pages/...?query`) afresh: a hash change alone does not run its onLoad."""
    page.goto("about:blank")
    page.goto(f"/m/#/{path}")


def tap(page, text: str, nth: int = 0) -> None:
    """Tap a button by its words (in H5, uni's <uni-button> element)."""
    page.locator("uni-button", has_text=text).nth(nth).click()

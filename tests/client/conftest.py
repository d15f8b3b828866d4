"""The mini-program's browser build (miniprogram/dist/build/h5, `make client`) served by the real app at /m/ on
loopback, in Debian's Chromium (tests/console/conftest.py's fixtures), against a fake WeChat that takes the H5
client's made-up login codes as the demo's does. Every request leaving 127.0.0.1 is refused and recorded."""
import os
import uuid
from urllib.parse import urlsplit

import pytest

from fakes.wechat_server import FakeWeChat
from tests.console.conftest import browser, live, live_uploads, served  # noqa: F401  # fixtures shared

BUILD = os.path.join(os.path.dirname(__file__), "..", "..", "miniprogram", "dist", "build", "h5", "index.html")
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def live_wechat():
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}", auto_codes=True) as wechat:
        yield wechat


@pytest.fixture
def phone(browser, live):   # noqa: F811  # the fixtures imported above
    """phone() → a page of a fresh browser context at 390×844 (its own storage: another person's WeChat); each
    page's errors and any request to another host are recorded on it."""
    if not os.path.exists(BUILD):
        pytest.skip("the mini-program's H5 build is missing (make client)")
    contexts = []

    def opened():
        context = browser.new_context(viewport=PHONE, base_url=live, locale="zh-CN", is_mobile=True, has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.errors, page.outside = [], []

        def guard(route):
            if urlsplit(route.request.url).hostname != "127.0.0.1":
                page.outside.append(route.request.url)
                return route.abort()
            return route.continue_()
        context.route("**/*", guard)
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        return page

    yield opened
    for context in contexts:
        context.close()

"""The app served on loopback (a threaded werkzeug server on the test database) and Debian's Chromium driven by
Playwright, for the console's browser tests; skipped where either is missing."""
import os
import shutil
import threading
import uuid

import pytest
from werkzeug.serving import make_server

from app import create_app
from config import TestConfig
from fakes.wechat_server import FakeWeChat

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = "/console/static/vendor/axe.min.js"


@pytest.fixture(scope="module")
def live_wechat():
    """The fake WeChat the served app talks to: it draws the sign-in page's mini-program codes and makes the scan
    pages' "open in WeChat" links."""
    with FakeWeChat(appid=f"wx{uuid.uuid4().hex[:16]}") as wechat:
        yield wechat


@pytest.fixture(scope="module")
def live_uploads(tmp_path_factory):
    """The folder the live app keeps photos and printed letters in."""
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="module")
def served(_schema, live_uploads, live_wechat):
    """The app the browser reaches (a worker run in its context stores letters where it serves them); prints of more
    than 3 houses go to the worker."""
    return create_app(TestConfig, SQLALCHEMY_DATABASE_URI=_schema, CONSOLE_SCREEN_SECONDS=1, LETTERS_DIRECT_MAX=3,
                      UPLOAD_DIR=str(live_uploads), WECHAT_APPID=live_wechat.appid,
                      WECHAT_SECRET=live_wechat.secret, WECHAT_API_BASE=live_wechat.base_url)


@pytest.fixture(scope="module")
def live(served):
    """The base URL of an app serving the test database from another thread, as a browser reaches it."""
    server = make_server("127.0.0.1", 0, served, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium is not installed (scripts/system-packages.sh installs it)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield launched
        launched.close()


PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1920, "height": 1080}


@pytest.fixture
def open_page(browser, live):
    """open_page(viewport) → a page of a fresh browser context (its own cookies) on the live app."""
    contexts = []

    def opened(viewport=DESKTOP):
        context = browser.new_context(viewport=viewport, base_url=live, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        return page

    yield opened
    for context in contexts:
        context.close()

"""The browser build's scan page as a resident's phone first opens it from a door's link: every asset it loads,
gzip-compressed (level 6, nginx's usual), and the time from navigation to the house code shown, on loopback in
Debian's Chromium (Playwright), against the real app (a throw-away SQLite database, the demo's community, the
loopback fake WeChat). Goals (issue 22): at most 250 KB and 1 s.

    .venv/bin/python -m bench.client_weight [--runs 5]

Needs the H5 build (`make client`). Each run is a fresh browser context (no cache), as a first scan is.
"""
import argparse
import gzip
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import quote

from werkzeug.serving import make_server

from app import create_app
from app.codes.services import code_for
from app.demo.community import seed_demo
from app.models.places import Household
from app.web.extensions import db
from config import TestConfig
from fakes.wechat_server import FakeWeChat

CHROMIUM = "/usr/bin/chromium"
BUILD = Path(__file__).resolve().parent.parent / "miniprogram" / "dist" / "build" / "h5" / "index.html"
GOAL_KB, GOAL_MS = 250, 1000


def served_app(folder: str, wechat: FakeWeChat):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder}/bench.db", UPLOAD_DIR=folder,
                     WECHAT_APPID=wechat.appid, WECHAT_SECRET=wechat.secret, WECHAT_API_BASE=wechat.base_url)
    with app.app_context():
        db.create_all()
        seed_demo(TestConfig.PASSWORD_HASH_METHOD)
        house = db.session.scalars(db.select(Household).order_by(Household.id)).first()
        token, house_code = code_for(house).token, house.code
        db.session.commit()
    return app, token, house_code


def one_visit(browser, base: str, token: str, house_code: str) -> tuple[int, int, int, float]:
    """(responses, raw bytes, gzip bytes, ms to the house code) of one first visit."""
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    bodies: list[bytes] = []
    page.on("requestfinished", lambda request: bodies.append(request.response().body()))
    link = quote(f"{base}/s/{token}", safe="")
    start = time.perf_counter()
    page.goto(f"/m/#/pages/scan/index?q={link}&scancode_time=1765152000")
    page.get_by_text(house_code).first.wait_for()
    elapsed = (time.perf_counter() - start) * 1000
    page.wait_for_load_state("networkidle")
    context.close()
    return len(bodies), sum(map(len, bodies)), sum(len(gzip.compress(body, 6)) for body in bodies), elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not BUILD.exists():
        sys.exit("the H5 build is missing: run `make client`")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder, FakeWeChat(auto_codes=True) as wechat:
        app, token, house_code = served_app(folder, wechat)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        base = f"http://127.0.0.1:{server.server_port}"
        app.config["PUBLIC_BASE_URL"] = base
        threading.Thread(target=server.serve_forever, daemon=True).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            visits = [one_visit(browser, base, token, house_code) for _ in range(args.runs)]
            browser.close()
        server.shutdown()
    count, raw, packed = visits[0][:3]
    times = [ms for *_, ms in visits]
    print(f"scan page, first visit ({len(visits)} runs): {count} responses, {raw / 1024:.1f} KB raw, {packed / 1024:.1f} KB gzip "
          f"(goal ≤ {GOAL_KB} KB)")
    print(f"navigation → house code shown: median {statistics.median(times):.0f} ms, min {min(times):.0f}, "
          f"max {max(times):.0f} (goal ≤ {GOAL_MS} ms)")
    return 0 if packed <= GOAL_KB * 1024 and statistics.median(times) <= GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())

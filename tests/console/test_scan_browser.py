"""The scan pages as a phone's own browser shows them (a camera app opening a letter's or a card's link, outside
WeChat), in Debian's Chromium: on a 390 px screen, the app's stylesheet applied under the pages' strict CSP,
dialling links, the contact download, the "open in WeChat" button from the fake WeChat, and no serious or
critical axe-core finding. JIASHU_SCREENSHOTS=docs/screenshots makes scan-house-phone.png and scan-card-phone.png."""

import pytest

from app.codes.services import reprint
from app.web.extensions import db
from tests.codes.test_scan_pages import card_token
from tests.console.conftest import PHONE
from tests.console.test_browser import accessible, fits, shot
from tests.residents.helpers import letter_token

pytestmark = pytest.mark.usefixtures("browser")
LETTER_RED = "rgb(168, 28, 28)"


def audited(browser, live, path: str) -> None:
    """axe-core on the page: in a context that lets the test inject the app's own axe, which the pages' policy
    (no script at all) would block."""
    context = browser.new_context(viewport=PHONE, base_url=live, locale="zh-CN", bypass_csp=True)
    try:
        page = context.new_page()
        page.goto(path)
        accessible(page)
    finally:
        context.close()


def shown(open_page, path: str, status: int = 200):
    """The page on a phone, styled by the app's stylesheet with nothing refused by its policy, fitting the screen."""
    page = open_page(PHONE)
    assert page.goto(path).status == status
    page.wait_for_load_state()
    assert page.evaluate("getComputedStyle(document.querySelector('header')).paddingTop") == "20px"
    # A policy violation or a missing file is a console error; the page's own refusal status is one too.
    errors = [error for error in page.errors if f"status of {status} " not in error]
    assert not errors, errors
    fits(page)
    return page


def test_a_house_page_on_a_phone_shows_the_letter_and_opens_in_wechat(open_page, browser, live, world, live_wechat):
    path = f"/s/{letter_token(world.house1)}"
    page = shown(open_page, path)
    assert page.get_by_role("heading", name="致居民的一封家书").is_visible()
    assert page.get_by_text(world.house1.code).is_visible() and page.get_by_text(world.house1.address).is_visible()
    call = page.get_by_role("link", name=f"拨打网格长王网格 {world.head1.phone}")
    assert call.get_attribute("href") == f"tel:{world.head1.phone}" and call.is_visible()
    officer = page.get_by_role("link", name=f"拨打社区民警{world.police1.name} {world.police1.phone}")
    assert officer.get_attribute("href") == f"tel:{world.police1.phone}"
    wechat = page.get_by_role("link", name="在微信中打开")
    assert wechat.get_attribute("href") == live_wechat.links[-1][0]
    assert page.evaluate("getComputedStyle(document.querySelector('.band')).backgroundColor") == LETTER_RED
    box = wechat.bounding_box()
    assert box and box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shot(page, "scan-house-phone")
    audited(browser, live, path)


def test_a_card_page_on_a_phone_saves_the_officer_as_a_contact(open_page, browser, live, world):
    path = f"/c/{card_token(world.police1)}"
    page = shown(open_page, path)
    assert page.get_by_role("heading", name=world.police1.name).is_visible()
    with page.expect_download() as saving:
        page.get_by_role("link", name="保存到通讯录").click()
    download = saving.value
    assert download.suggested_filename == "contact.vcf"
    with open(download.path(), "rb") as saved:
        vcard = saved.read().decode("utf-8")
    assert f"FN:{world.police1.name}\r\n" in vcard and f"TEL;TYPE=WORK,VOICE:{world.police1.phone}\r\n" in vcard
    assert page.get_by_role("link", name="在微信中打开").is_visible()
    shot(page, "scan-card-phone")
    audited(browser, live, path)


def test_a_replaced_letter_on_a_phone_says_to_scan_the_new_one(open_page, browser, live, world):
    token = letter_token(world.house1)
    reprint(world.house1)
    db.session.commit()
    page = shown(open_page, f"/s/{token}", 410)
    assert page.get_by_role("heading", name="二维码已更换").is_visible()
    audited(browser, live, f"/s/{token}")

"""The residents' community life in the mini-program (its H5 build served by the app at /m/, the fake WeChat behind
it, Debian's Chromium): a wish posted with its photo, approved by the grid head, claimed and fulfilled by a
volunteer on her phone, confirmed by the wisher, and the volunteer's points in the ledger; a check-in by an
activity's poster; 我的 (phone number, a staff invite's bind code, 关怀模式 remembered). Each checked where it lands
(the API); axe-core finds nothing serious or critical on these pages, and no request leaves 127.0.0.1.

JIASHU_SCREENSHOTS=docs/screenshots makes the README's screenshots (mp-*.png) on the way."""
from datetime import timedelta
from urllib.parse import quote

import pytest
from sqlalchemy import select

from app.clock import utcnow
from app.models import CheckIn, Wish, WishStatus
from app.web.extensions import db
from qr.tokens import activity_url
from tests import factories as f
from tests.client.conftest import as_phone_of, open_page_at, tap
from tests.console.test_browser import accessible, shot
from tests.images import image
from tests.wishes.helpers import volunteers, wire_message_push

pytestmark = pytest.mark.usefixtures("browser")


@pytest.fixture(autouse=True)
def _links_of_this_server(served, live, live_wechat):
    """The printed links name the server the phone reaches (the backend refuses a link to another host), which is
    also where the fake WeChat fetches photos and pushes its verdicts on them (message push, safe mode)."""
    wire_message_push(served, live, live_wechat)


def add_photo(page, button, colour):
    with page.expect_file_chooser() as chosen:
        tap(page, button)
    chosen.value.set_files(files=[{"name": "photo.jpg", "mimeType": "image/jpeg", "buffer": image("JPEG", (640, 480), colour)}])


def clean(*pages):
    for page in pages:
        assert not page.outside, page.outside


def test_a_wish_posted_approved_claimed_fulfilled_and_confirmed_earns_the_volunteer_points(phone, client, world,
                                                                                          live_wechat):
    wisher = phone(as_phone_of(world.wechat1))
    open_page_at(wisher, "pages/wishes/index")
    wisher.get_by_text("许个心愿").wait_for()
    wisher.get_by_text("许个心愿").click()
    wisher.get_by_role("radio", name="物品").wait_for()
    tap(wisher, "提交心愿")
    wisher.get_by_text("请写下心愿。").wait_for()   # beside its field, nothing sent
    wisher.locator('uni-textarea[aria-label="心愿"] textarea').fill("想要一台能听戏的收音机")
    wisher.get_by_role("radio", name="物品").click()
    add_photo(wisher, "添加照片", (214, 98, 40))
    wisher.get_by_role("img", name="心愿的照片").wait_for()
    shot(wisher, "mp-wish-new")
    accessible(wisher)
    tap(wisher, "提交心愿")
    wisher.get_by_text("等待网格长审核。").wait_for()

    wish = db.session.scalar(select(Wish).where(Wish.text == "想要一台能听戏的收音机"))
    assert wish.status is WishStatus.SUBMITTED and len(wish.photos) == 1, "the wish and its photo reached the API"
    approved = client.post(f"/api/wishes/{wish.id}/approve", headers=f.auth(world.head1), json={})
    assert approved.status_code == 200, approved.json

    volunteers(world.wechat2)   # resident2, of another grid of the same community
    helper = phone(as_phone_of(world.wechat2))
    open_page_at(helper, "pages/wishes/index")
    helper.get_by_text("想要一台能听戏的收音机", exact=True).wait_for()
    shot(helper, "mp-wishes")
    accessible(helper)
    tap(helper, "认领：想要一台能听戏的收音机")
    helper.get_by_text("上门事宜请联系网格长").wait_for()
    tap(helper, "报告已实现")
    helper.get_by_text("请写一句怎样帮助实现的。").wait_for()
    helper.locator('uni-textarea[aria-label="怎样帮助实现的"] textarea').fill("周六送去了一台收音机，教会了调台")
    add_photo(helper, "添加完成照片", (40, 98, 214))
    helper.get_by_role("img", name="完成照片 1").wait_for()
    shot(helper, "mp-wish-fulfil")
    accessible(helper)
    tap(helper, "报告已实现")
    helper.get_by_text("认领人说：周六送去了一台收音机").wait_for()

    db.session.expire_all()
    wish = db.session.get(Wish, wish.id)
    assert wish.status is WishStatus.FULFILLED and len(wish.photos) == 2

    db.session.rollback()   # this test's read would hold SQLite's lock against the pushes' writes
    assert [suggest for _, suggest, status in live_wechat.deliver_media_checks()] == ["pass", "pass"]
    open_page_at(wisher, f"pages/wishes/detail?id={wish.id}")
    tap(wisher, "确认已实现")
    wisher.get_by_text("心愿已实现").wait_for()
    shot(wisher, "mp-wish")
    accessible(wisher)

    ledger = client.get("/api/my/points", headers=f.auth(world.wechat2)).json
    earned = [e for e in ledger["entries"] if e["points"] > 0]
    assert earned and ledger["accounts"][0]["balance"] == sum(e["points"] for e in earned), ledger
    open_page_at(helper, "pages/points/index")
    helper.get_by_text(f"我的积分 {ledger['accounts'][0]['balance']}").wait_for()
    shot(helper, "mp-points")
    accessible(helper)

    open_page_at(wisher, "pages/inbox/index")
    wisher.get_by_text("您的微心愿已完成，请确认").wait_for()   # the notices the backend kept for the wisher
    accessible(wisher)
    clean(wisher, helper)


def test_an_activity_check_in_by_its_posters_code_records_it_and_its_points(phone, live, client, world):
    now = utcnow()
    activity = client.post("/api/activities", headers=f.auth(world.admin_a), json={
        "title": "社区义诊", "place": "社区广场", "points": 8, "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat()}).json
    token = client.post(f"/api/activities/{activity['id']}/code", headers=f.auth(world.admin_a)).json["token"]

    page = phone(as_phone_of(world.wechat1))
    page.goto("about:blank")
    page.goto(f"/m/#/pages/scan/index?q={quote(activity_url(live, token), safe='')}&scancode_time=1765152000")
    page.get_by_text("签到得 8 积分").wait_for()
    accessible(page)
    tap(page, "签到")
    page.get_by_text("签到成功，获得 8 积分。").wait_for()
    shot(page, "mp-checkin")
    accessible(page)

    assert db.session.scalar(select(CheckIn).where(CheckIn.activity_id == activity["id"])) is not None
    mine = client.get("/api/my/points", headers=f.auth(world.wechat1)).json
    assert mine["accounts"][0]["balance"] == 8 and mine["entries"][0]["reason"] == "社区义诊"
    clean(page)


def test_me_records_the_phone_binds_a_staff_invite_and_remembers_care_mode(phone, client, world):
    page = phone(as_phone_of(world.wechat1))
    open_page_at(page, "pages/me/index")
    page.get_by_text(world.resident1.name).first.wait_for()
    tap(page, "登记手机号")
    page.get_by_text("手机号 138").wait_for()

    page.get_by_role("switch", name="关怀模式").click()
    page.get_by_text("已开启").wait_for()
    assert page.evaluate("document.documentElement.classList.contains('care')")
    shot(page, "mp-me-care")
    accessible(page)
    open_page_at(page, "pages/wishes/index")   # remembered: another page, after a fresh load
    page.get_by_text("微心愿").first.wait_for()
    assert page.evaluate("document.documentElement.classList.contains('care')")
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.muted')).fontSize)")
    assert size >= 18

    officer = f.staff(world.a, f.Role.POLICE, name="周警官")
    db.session.commit()
    code = client.post(f"/api/admin/staff/{officer.id}/invite", headers=f.auth(world.admin_a)).json["invite_code"]
    staff_phone = phone()
    open_page_at(staff_phone, "pages/me/index")
    staff_phone.get_by_text("绑定工作账号").first.wait_for()
    staff_phone.locator('uni-input[aria-label="绑定码"] input').fill("wrong-code")
    tap(staff_phone, "绑定工作账号")
    staff_phone.locator(".error").first.wait_for()
    assert staff_phone.locator('uni-input[aria-label="绑定码"] input').input_value() == "wrong-code"
    staff_phone.locator('uni-input[aria-label="绑定码"] input').fill(code)
    tap(staff_phone, "绑定工作账号")
    staff_phone.get_by_text("社区民警").wait_for()
    assert staff_phone.get_by_text("工作台").count() == 1
    clean(page, staff_phone)

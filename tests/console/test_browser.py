"""Every role in real headless Chromium against the app on loopback: signs in, does its page's main action, and the
effect is checked where it lands (the resident's API, the sender's list); CSRF, scoping, the big screen against
/api/figures, phone-sized pages, and axe-core finding no serious or critical accessibility violation.

JIASHU_SCREENSHOTS=docs/screenshots makes the README's screenshots on the way."""
import io
import json
import os
import re
from datetime import datetime

import pytest

from app.auth.principal import Principal
from app.clock import CHINA
from app.letters.jobs import claim_job, run_job
from app.models import Role, ServiceRequest
from app.police.services import send
from app.privacy.audit import record
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.web.extensions import db
from tests import factories as f
from tests.console.conftest import AXE, DESKTOP, PHONE
from tests.qr.scan import pdf_text, qr_texts

pytestmark = pytest.mark.usefixtures("browser")
SHOTS = os.environ.get("JIASHU_SCREENSHOTS")


def _file(house, wechat, description, category="other"):
    filed = file_request(house, category_by_code(house.community_id, category), description, wechat, None)
    db.session.commit()
    return db.session.get_one(ServiceRequest, filed.id)


def sign_in(page, staff, then=None):
    page.goto(then or "/console/")
    page.get_by_label("用户名").fill(staff.username)
    page.get_by_label("密码").fill("password-1")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/console/login" not in url)
    page.wait_for_load_state()


def accessible(page) -> None:
    """axe-core (vendored, served by the app: the pages' CSP admits no inline script) finds nothing serious or
    critical on the page as it stands."""
    page.add_script_tag(url=AXE)
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result
           if v["impact"] in ("serious", "critical")]
    assert not bad, f"{page.url}: {bad}"


def fits(page) -> None:
    """Nothing runs off the side of the screen (a table may scroll inside its own box)."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def shot(page, name: str) -> None:
    """A small PNG for the README: its colours reduced to a palette."""
    if not SHOTS:
        return
    from PIL import Image
    image = Image.open(io.BytesIO(page.screenshot(full_page=False))).convert("RGB")
    image.quantize(colors=64).save(os.path.join(SHOTS, f"{name}.png"), optimize=True)


def test_a_grid_head_on_a_phone_resolves_a_request_and_the_resident_sees_it(open_page, client, world):
    _, wechat = f.resident(world.house1b, name="赵五", is_head=True)
    req = _file(world.house1b, wechat, "楼道里堆了旧家具，影响通行")
    page = open_page(PHONE)
    sign_in(page, world.head1)
    assert page.url.endswith("/console/requests")
    shot(page, "requests-phone")
    accessible(page)
    fits(page)
    page.get_by_role("link", name=re.compile("楼道里堆了旧家具")).click()
    page.get_by_role("button", name="受理").click()
    page.locator("#status", has_text="办理中").wait_for()
    page.get_by_label("办理情况").fill("已联系物业清理完毕")
    accessible(page)
    page.get_by_role("button", name="办结").click()
    page.locator("#status", has_text="已办结").wait_for()
    shot(page, "request-phone")
    fits(page)
    seen = client.get(f"/api/requests/{req.id}", headers=f.auth(wechat)).json
    assert seen["status"] == "resolved" and seen["resolution_note"] == "已联系物业清理完毕"
    assert [e["action"] for e in seen["events"]] == ["file", "accept", "resolve"]
    assert not page.errors


def test_a_refused_action_shows_its_reason_in_the_page(open_page, world):
    req = _file(world.house1b, None, "路灯不亮")
    page = open_page(PHONE)
    sign_in(page, world.head1, f"/console/requests/{req.id}")
    page.get_by_role("button", name="受理").click()
    page.locator("#status", has_text="办理中").wait_for()
    page.get_by_role("button", name="记录进展").click()   # the note is required: the browser says so first
    assert page.get_by_label("办理情况").evaluate("field => !field.validity.valid")
    page.get_by_label("办理情况").evaluate("field => field.removeAttribute('required')")
    page.get_by_role("button", name="记录进展").click()
    page.locator("#flash .error", has_text="“说明”填写有误").wait_for()


def test_a_form_without_its_csrf_token_is_refused(open_page, world):
    req = _file(world.house1b, None, "井盖松动")
    page = open_page()
    sign_in(page, world.head1)
    path = f"/console/requests/{req.id}/events"
    refused = page.request.post(path, form={"action": "accept"})   # the browser's own cookies, no token
    assert refused.status == 400
    forged = page.request.post(path, form={"action": "accept", "csrf_token": "forged"})
    assert forged.status == 400
    db.session.expire_all()
    assert req.status.value == "open"


def test_another_grids_request_answers_404(open_page, world):
    other = _file(world.house2, world.wechat2, "噪音扰民")
    page = open_page()
    sign_in(page, world.head1)
    answer = page.goto(f"/console/requests/{other.id}")
    assert answer.status == 404 and page.get_by_role("heading", name="未找到").is_visible()
    accessible(page)


def test_the_joint_head_transfers_to_a_listed_colleague_and_the_unit_leader_accepts(open_page, client, world):
    req = _file(world.house1, world.wechat1, "楼上漏水到我家", "dispute")
    page = open_page(PHONE)
    sign_in(page, world.joint, f"/console/requests/{req.id}")
    page.get_by_label("调解方式").select_option(label="人民调解")
    page.get_by_label("调解结果").select_option(label="未化解")
    page.get_by_role("button", name="保存调解情况").click()
    page.locator("dd", has_text="人民调解 · 未化解").wait_for()
    accessible(page)
    page.get_by_label("转办给").select_option(label=f"{world.leader.name}（楼栋长）")
    page.get_by_label("转办原因").fill("需楼栋长协调上下楼")
    page.get_by_role("button", name="转办").click()
    page.get_by_text(f"诉求 #{req.id} 已转办").wait_for()   # no longer theirs: back to their queue
    leader = open_page(PHONE)
    sign_in(leader, world.leader)
    leader.get_by_role("link", name=re.compile("楼上漏水")).click()
    leader.get_by_role("button", name="受理").click()
    leader.locator("#status", has_text="办理中").wait_for()
    seen = client.get(f"/api/requests/{req.id}", headers=f.auth(world.wechat1)).json
    assert seen["status"] == "accepted" and seen["handler"]["name"] == world.leader.name


def test_the_grid_head_confirms_a_registration(open_page, client, world):
    waiting, wechat = f.resident(world.house1b, name="待确认甲", confirmed=False)
    db.session.commit()
    page = open_page(PHONE)
    sign_in(page, world.head1, "/console/registrations")
    accessible(page)
    fits(page)
    shot(page, "registrations-phone")
    page.get_by_label("查看完整身份证号的原因").fill("核实户籍信息")
    page.get_by_role("button", name="查看完整信息：待确认甲").click()
    page.get_by_text("本次查看已记录").wait_for()
    page.get_by_role("button", name="确认待确认甲").click()
    page.get_by_text("待确认甲（").filter(has_text="已确认").wait_for()
    assert client.get("/api/auth/me", headers=f.auth(wechat)).json["role"] == "resident"   # no longer a registrant


def test_the_officer_on_a_phone_marks_a_contact_request(open_page, client, world):
    send(world.police1, world.wechat1, "13800138000", "家门口有可疑人员徘徊", True)
    db.session.commit()
    page = open_page(PHONE)
    sign_in(page, world.police1)
    assert page.url.endswith("/console/police")
    card = page.get_by_role("img", name=re.compile("警民联系卡预览"))
    card.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=card.element_handle())
    accessible(page)
    fits(page)
    shot(page, "police-phone")
    page.get_by_label("备注").fill("已电话联系，民警上门查看")
    page.get_by_role("button", name="已联系").click()
    page.locator(".badge", has_text="已联系").wait_for()
    mine = client.get("/api/my/contact-requests", headers=f.auth(world.wechat1)).json
    assert mine[0]["status"] == "contacted" and mine[0]["note"] == "已电话联系，民警上门查看"


def test_the_admins_dashboard_links_its_numbers_and_draws_its_chart(open_page, world):
    _file(world.house1b, None, "楼道堆物")
    _file(world.house2, world.wechat2, "邻里噪音", "dispute")
    page = open_page()
    sign_in(page, world.admin_a)
    assert page.url.endswith("/console/dashboard")
    page.locator("#grid-chart canvas").wait_for()
    accessible(page)
    shot(page, "dashboard")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    assert download.value.suggested_filename == "figures.xlsx"
    page.get_by_role("link", name=re.compile("待受理")).click()
    page.wait_for_url(re.compile(r"/console/requests\?status=open$"))
    page.get_by_role("link", name=re.compile("邻里噪音")).wait_for()   # waits: the list may still be loading
    assert not page.errors


def test_the_big_screen_shows_the_apis_figures_and_refreshes_itself(open_page, client, world):
    _file(world.house1b, None, "楼道堆物")
    page = open_page(DESKTOP)
    sign_in(page, world.admin_a, "/console/screen")
    page.locator("#updated").filter(has_text=re.compile(".")).wait_for()
    shown_at = datetime.strptime(page.locator("#updated").inner_text(), "%H:%M:%S").time()
    china_now = datetime.now(CHINA)   # the browser runs in UTC here: the screen still shows China time
    apart = (china_now.hour * 60 + china_now.minute - (shown_at.hour * 60 + shown_at.minute)) % (24 * 60)
    assert min(apart, 24 * 60 - apart) <= 1
    accessible(page)
    shot(page, "screen")
    api = client.get("/api/figures/community", headers=f.auth(world.admin_a)).json

    def shown(name):
        return page.locator(f'[data-figure="{name}"]').inner_text()

    assert (shown("requests"), shown("open"), shown("accepted")) == (
        str(api["requests"]), str(api["by_status"]["open"]), str(api["by_status"]["accepted"]))
    assert shown("coverage") == f"{api['registration']['coverage'] * 100:.1f}%"
    body = page.content()
    assert world.resident1.name not in body and world.head1.name not in body   # figures only, no names
    _file(world.house2, world.wechat2, "新的诉求")   # the next refresh (every second here) shows it, no reload
    page.locator('[data-figure="requests"]', has_text=str(api["requests"] + 1)).wait_for(timeout=5000)
    assert json.loads(page.evaluate("JSON.stringify(performance.getEntriesByType('navigation').length)")) == 1
    assert not page.errors


def test_the_sign_in_page_on_a_phone(open_page):
    page = open_page(PHONE)
    page.goto("/")
    assert page.url.endswith("/console/login?next=/console/")
    accessible(page)
    fits(page)
    shot(page, "login-phone")


def test_a_staff_member_signs_in_by_scanning_the_code_with_their_bound_wechat(open_page, client, world):
    page = open_page()
    page.goto("/console/")
    code = page.get_by_role("img", name=re.compile("小程序码"))
    code.wait_for()
    assert code.evaluate("img => img.complete && img.naturalWidth > 0")   # drawn by the fake WeChat, via the app
    accessible(page)
    shot(page, "login-scan")
    [ticket] = qr_texts(code.screenshot())   # the phone scans the screen
    phone = f.wechat_user()
    phone.staff_id = world.head1.id   # bound with an invite
    db.session.commit()
    asked = client.get(f"/api/console-login/{ticket}", headers=f.auth(phone)).json
    assert (asked["state"], asked["browser"]) == ("pending", "Chrome · Linux")
    assert client.post(f"/api/console-login/{ticket}/confirm", headers=f.auth(phone)).status_code == 200
    page.wait_for_url("**/console/requests")   # the page's next look signs it in
    assert page.get_by_text(f"{world.head1.name}（网格长）").is_visible()
    assert not page.errors


def test_the_admin_previews_and_imports_a_house_sheet(open_page, world, tmp_path):
    sheet = tmp_path / "houses.csv"
    sheet.write_text("网格编号,网格名称,楼栋编号,楼栋名称,门牌号,地址,户主姓名,户主电话\n"
                     "1,第1网格,1,1号楼,999,1号楼999室,赵六,13800138999\n", encoding="utf-8")
    page = open_page()
    sign_in(page, world.admin_a, "/console/houses")
    page.get_by_label("房屋表").set_input_files(str(sheet))
    page.get_by_role("button", name="预览变更").click()
    page.get_by_text("预览（尚未导入）：新增 1 户").wait_for()
    page.get_by_role("button", name="导入").click()   # the file is still chosen: the page was not reloaded
    page.get_by_text("已导入：新增 1 户").wait_for()
    accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="第1网格家书").click()
    assert download.value.suggested_filename == "letters-grid-1.pdf"


def test_the_admin_gives_a_bind_code_on_the_staff_page(open_page, world):
    page = open_page()
    sign_in(page, world.admin_a, "/console/staff")
    accessible(page)
    page.get_by_role("button", name=f"生成绑定码：{world.head1.name}").click()
    page.get_by_text("绑定码").filter(has_text="仅可使用一次").wait_for()


def test_the_wish_wall_on_a_phone_shows_approved_wishes_and_their_passed_photo(open_page, world, live_uploads):
    from PIL import Image

    from app.clock import utcnow
    from app.models import Wish, WishPhoto, WishStatus
    from app.models.wishes import PhotoKind, WishCategory

    def wish(house, name, text, category, status=WishStatus.APPROVED):
        row = Wish(community_id=house.community_id, grid_id=house.grid_id, household=house, beneficiary_name=name,
                   text=text, category=category, status=status, approved_at=utcnow(), posted_by_wechat=world.wechat1)
        db.session.add(row)
        return row

    radio = wish(world.house1, "王秀英", "想要一台能听戏的收音机", WishCategory.GOODS)
    wish(world.house2, "李建国", "希望有人每周陪我下两盘象棋", WishCategory.COMPANIONSHIP)
    wish(world.house1b, "赵小明", "想请大哥哥大姐姐辅导数学作业", WishCategory.SERVICE)
    wish(world.house2b, "孙桂兰", "还在审核的心愿", WishCategory.OTHER, WishStatus.SUBMITTED)
    image = io.BytesIO()
    Image.new("RGB", (750, 500), (214, 98, 40)).save(image, "JPEG")
    (live_uploads / "radio.jpg").write_bytes(image.getvalue())
    radio.photos.append(WishPhoto(kind=PhotoKind.WISH, stored_name="radio.jpg", content_type="image/jpeg",
                                  size=len(image.getvalue()), check="pass"))
    db.session.commit()
    page = open_page(PHONE)
    page.goto("/wall/sq")
    items = page.locator(".wall .item")
    assert items.count() == 3
    assert page.get_by_role("heading", name="微心愿").is_visible()
    assert [" ".join(t.split()) for t in items.all_text_contents()][2].startswith("想要一台能听戏的收音机 物品 第1网格 · 王**")
    assert page.get_by_text("还在审核的心愿").count() == 0
    photo = page.get_by_role("img", name="心愿照片：想要一台能听戏的收音机")
    photo.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth", photo.element_handle()) == 750
    accessible(page)
    fits(page)
    assert not page.errors
    shot(page, "wish-wall-phone")
    page.goto("/wall/XX")
    assert page.get_by_role("heading", name="没有这个社区").is_visible()


def test_the_admin_on_a_phone_adds_a_category_that_residents_then_file_by(open_page, client, world):
    page = open_page(PHONE)
    sign_in(page, world.admin_a)
    page.get_by_role("link", name="管理设置").click()
    page.get_by_role("heading", name="服务类别与分派").wait_for()
    page.get_by_label("名称").fill("停车管理")
    page.get_by_label("代码（小写字母、数字或下划线，提交后不可更改）").fill("parking")
    page.get_by_label("办理时限（小时）").fill("36")
    page.get_by_label("首先响应").select_option(label="楼栋长")
    page.get_by_role("button", name="添加").click()
    page.locator("#flash", has_text="已添加服务类别“停车管理”").wait_for()
    shot(page, "admin-categories")
    accessible(page)
    fits(page)
    api = {c["code"]: c for c in client.get("/api/categories", headers=f.auth(world.wechat1)).json}
    assert (api["parking"]["name"], api["parking"]["first_responder"]) == ("停车管理", "unit_leader")
    page.get_by_role("button", name="停用：停车管理").click()
    page.locator("#flash", has_text="已停用服务类别“停车管理”").wait_for()
    assert "parking" not in {c["code"] for c in client.get("/api/categories", headers=f.auth(world.wechat1)).json}


def test_the_admin_previews_the_letter_text_and_makes_a_key_shown_once(open_page, world):
    page = open_page(PHONE)
    sign_in(page, world.admin_a, "/console/admin/letter")
    before = page.get_by_role("img", name=re.compile("家书预览")).get_attribute("src")
    page.get_by_label("家书正文（最多 600 字）").fill("{community}的居民朋友：您家的房屋编号是 {house_code}。")
    page.get_by_role("button", name="预览").click()
    page.wait_for_function("src => document.querySelector('#letter-preview img').src !== src", arg=before)
    accessible(page)
    fits(page)
    page.get_by_role("link", name="Open311 密钥").click()
    page.get_by_label("对接方名称").fill("12345 热线")
    page.get_by_role("button", name="生成密钥").click()
    key = page.locator("#new-key").inner_text()
    assert key.startswith("o311_")
    page.goto("/console/admin/open311-keys")
    assert key not in page.content() and f"o311_…{key[-4:]}" in page.content()
    accessible(page)


def test_the_admin_finds_who_revealed_what_in_the_audit_log(open_page, world):
    record(Principal(Role.GRID_HEAD, staff=world.head1), "reveal", "resident", world.resident1.id, "核实户籍信息")
    record(Principal(Role.ADMIN, staff=world.admin_a), "export", "house_sheet", world.a.id)
    record(Principal(Role.ADMIN, staff=world.admin_b), "reveal", "resident", world.resident2.id, "别的社区")
    db.session.commit()
    page = open_page(PHONE)
    sign_in(page, world.admin_a, "/console/admin/audit")
    page.locator("select[name=action]").select_option(label="查看完整信息")
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile("action=reveal"))
    table = page.locator("#audit-log")
    assert world.head1.name in table.inner_text() and "核实户籍信息" in table.inner_text()
    assert "房屋表" not in table.inner_text() and "别的社区" not in page.content()
    shot(page, "admin-audit")
    accessible(page)
    fits(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("下载 Excel")).click()
    assert download.value.suggested_filename == "audit-log.xlsx"


def test_the_admin_prints_the_community_in_the_background_and_downloads_it(open_page, served, world, tmp_path):
    page = open_page()
    sign_in(page, world.admin_a, "/console/letters")
    page.get_by_role("button", name="后台生成全社区家书").click()
    page.get_by_text("排队中").wait_for()
    with served.app_context():   # the worker, as `flask worker` would: half-way, then done
        job = claim_job()
        job.total, job.pages = 4, 2
        db.session.commit()
        page.get_by_text("正在生成：2 / 4 页").wait_for()   # the page polls without reloading
        shot(page, "letters")
        accessible(page)
        run_job(job)
        db.session.remove()
    page.get_by_text("已完成，共 4 页").wait_for()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF", exact=True).click()
    assert download.value.suggested_filename == "letters-community.pdf"
    saved = tmp_path / "community.pdf"
    download.value.save_as(saved)
    assert len(pdf_text(saved).split("\f")[:-1]) == 4
    assert not page.errors


def test_the_households_page_on_a_phone_filters_the_unregistered(open_page, world):
    page = open_page(PHONE)
    sign_in(page, world.head1, "/console/households")
    page.get_by_text(world.house1b.code).wait_for()
    accessible(page)
    fits(page)
    shot(page, "households-phone")
    page.get_by_label("仅未登记").check()
    page.get_by_role("button", name="筛选").click()
    page.wait_for_url(re.compile(r"unregistered=true"))
    page.get_by_role("list", name="住户列表").wait_for()
    listed = page.get_by_role("list", name="住户列表").inner_text()
    assert world.house1b.code in listed and world.house1.code not in listed and world.house2.code not in listed
    fits(page)

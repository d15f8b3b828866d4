"""The console's pages through the Flask test client: sign-in and its session, CSRF, scoping, and each page's
main action landing where the API shows it."""
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage

from app.clock import china_today, utcnow
from app.models import ApiToken, AuditEvent, ConsoleSession, Household, Resident, ServiceRequest, Staff
from app.models.people import ResidenceType
from app.police.services import send
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.requests.photos import add_photos
from app.residents.id_numbers import store_id_number
from app.web.extensions import db
from tests import factories as f
from tests.console.signing import csrf_of, sign_in
from tests.security.stage import PNG


def _file(house, wechat, description="楼道堆物", category="other"):
    filed = file_request(house, category_by_code(house.community_id, category), description, wechat, None)
    db.session.commit()
    return db.session.get_one(ServiceRequest, filed.id)


@pytest.fixture
def req(world):
    """Filed by house1b's head; house1b has no joint head: the grid head (head1) holds it."""
    _, wechat = f.resident(world.house1b, name="赵五", is_head=True)
    return _file(world.house1b, wechat)


def test_the_root_leads_to_the_sign_in_and_then_to_the_roles_page(client, world):
    assert client.get("/").location == "/console/"
    assert client.get("/console/").location == "/console/login?next=/console/"
    login = client.get("/console/login")
    assert "工作人员登录" in login.get_data(as_text=True)
    answer = client.post("/console/login", data={"username": world.police1.username, "password": "password-1",
                                                 "csrf_token": csrf_of(client), "next": "/console/"})
    assert answer.status_code == 303 and answer.location == "/console/"
    assert client.get("/console/").location == "/console/police"


def test_a_wrong_password_is_refused_in_the_form_and_next_never_leaves_the_console(client, world):
    wrong = client.post("/console/login", data={"username": world.head1.username, "password": "nope",
                                                "csrf_token": csrf_of(client)})
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.get_data(as_text=True)
    answer = client.post("/console/login", data={"username": world.head1.username, "password": "password-1",
                                                  "csrf_token": csrf_of(client), "next": "//evil.example/"})
    assert answer.location == "/console/requests"


def test_the_session_cookie_is_httponly_and_samesite_lax(client, world):
    client.post("/console/login", data={"username": world.head1.username, "password": "password-1",
                                        "csrf_token": csrf_of(client)})
    cookie = client.get_cookie("jiashu_console")
    assert cookie.http_only and cookie.same_site == "Lax" and not cookie.secure   # Secure in production only


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(client, world, req):
    sign_in(client, world.head1)
    answer = client.post(f"/console/requests/{req.id}/events", data={"action": "accept"})
    assert answer.status_code == 400 and "刷新页面" in answer.get_data(as_text=True)
    forged = client.post(f"/console/requests/{req.id}/events", data={"action": "accept", "csrf_token": "forged"})
    assert forged.status_code == 400
    db.session.expire_all()
    assert req.status.value == "open"


def test_the_api_needs_no_csrf_token(client, world, req):
    answer = client.post(f"/api/requests/{req.id}/events", json={"action": "accept"}, headers=f.auth(world.head1))
    assert answer.status_code == 201


def test_a_grid_head_accepts_and_resolves_and_the_resident_sees_it_resolved(client, world, req):
    headers = sign_in(client, world.head1)
    queue = client.get("/console/requests").get_data(as_text=True)
    assert "楼道堆物" in queue and world.house1b.code in queue
    accepted = client.post(f"/console/requests/{req.id}/events", data={"action": "accept"}, headers=headers)
    assert accepted.status_code == 303 and accepted.location == f"/console/requests/{req.id}"
    resolved = client.post(f"/console/requests/{req.id}/events", data={"action": "resolve", "note": "已清理"},
                           headers={**headers, "HX-Request": "true"})
    assert resolved.status_code == 200 and "已办结" in resolved.get_data(as_text=True)
    seen = client.get(f"/api/requests/{req.id}", headers=f.auth(req.filed_by)).json
    assert seen["status"] == "resolved" and seen["resolution_note"] == "已清理"
    assert [e["action"] for e in seen["events"]] == ["file", "accept", "resolve"]
    assert seen["events"][-1]["actor"] == world.head1.name


def test_a_refusal_is_shown_in_the_page(client, world, req):
    headers = sign_in(client, world.head1)
    page = client.post(f"/console/requests/{req.id}/events", data={"action": "resolve", "note": "好了"},
                       headers=headers)
    assert page.status_code == 409 and "当前状态不允许此操作" in page.get_data(as_text=True)
    fragment = client.post(f"/console/requests/{req.id}/events", data={"action": "resolve"},
                           headers={**headers, "HX-Request": "true"})
    assert fragment.status_code == 422 and fragment.headers["HX-Retarget"] == "#flash"
    assert "“说明”填写有误" in fragment.get_data(as_text=True)   # the field, in Chinese


def test_another_grids_request_answers_404_and_police_have_no_queue(client, world):
    other = _file(world.house2, world.wechat2)
    sign_in(client, world.head1)
    assert client.get(f"/console/requests/{other.id}").status_code == 404
    assert "噪音" not in client.get("/console/requests").get_data(as_text=True)
    police = client.application.test_client()
    sign_in(police, world.police1)
    assert police.get("/console/requests").status_code == 403


def test_the_joint_head_transfers_to_a_listed_colleague(client, world):
    req = _file(world.house1, world.wechat1, "楼上漏水", "dispute")   # a dispute goes to the joint head first
    headers = sign_in(client, world.joint)
    page = client.get(f"/console/requests/{req.id}").get_data(as_text=True)
    assert f'value="{world.leader.id}"' in page and f'value="{world.police1.id}"' not in page
    moved = client.post(f"/console/requests/{req.id}/events", headers=headers,
                        data={"action": "transfer", "to_staff_id": world.leader.id, "note": "请楼栋长处理"})
    assert moved.status_code == 303 and moved.location == "/console/requests"
    assert client.get(f"/console/requests/{req.id}").status_code == 404   # no longer theirs to see
    assert client.get(f"/api/requests/{req.id}", headers=f.auth(world.leader)).json["handler"]["id"] == world.leader.id


def test_a_disputes_mediation_and_photos_reach_the_api(client, world):
    req = _file(world.house1, world.wechat1, "楼上漏水", "dispute")
    add_photos(req, [FileStorage(io.BytesIO(PNG), "door.png")])
    db.session.commit()
    headers = sign_in(client, world.joint)
    page = client.get(f"/console/requests/{req.id}").get_data(as_text=True)
    photo = req.photos[0].id
    assert f"/console/requests/{req.id}/photos/{photo}" in page
    assert client.get(f"/console/requests/{req.id}/photos/{photo}").data.startswith(b"\xff\xd8")   # kept as JPEG
    recorded = client.post(f"/console/requests/{req.id}/mediation", headers=headers,
                           data={"kind": "peoples", "outcome": "resolved", "mediator": "调解员老李"})
    assert recorded.status_code == 303
    seen = client.get(f"/api/requests/{req.id}", headers=f.auth(world.wechat1)).json
    assert seen["mediation"] == {"kind": "peoples", "outcome": "resolved", "mediator": "调解员老李", "note": None}
    bad = client.post(f"/console/requests/{req.id}/mediation", headers=headers, data={"kind": "duel"})
    assert bad.status_code == 422 and "“调解方式”填写有误" in bad.get_data(as_text=True)
    other = client.application.test_client()
    sign_in(other, world.head2)
    assert other.get(f"/console/requests/{req.id}/photos/{photo}").status_code == 404


def test_the_queue_filters_overdue_and_category(client, world):
    late, fresh = _file(world.house1b, None, "很久以前"), _file(world.house1b, None, "新的", "safety")
    late.due_at = late.filed_at.replace(year=2020)
    db.session.commit()
    sign_in(client, world.head1)
    overdue = client.get("/console/requests?overdue=true").get_data(as_text=True)
    assert "很久以前" in overdue and "新的" not in overdue and "已超期" in overdue
    safety = client.get("/console/requests?category=safety").get_data(as_text=True)
    assert "新的" in safety and "很久以前" not in safety
    assert client.get("/console/requests?status=nonsense").status_code == 422
    assert fresh.id


def idle(staff, minutes=31):
    """Let the staff member's console sign-ins go `minutes` without a page."""
    db.session.execute(update(ConsoleSession).where(ConsoleSession.staff_id == staff.id)
                       .values(seen_at=utcnow() - timedelta(minutes=minutes)))
    db.session.commit()


def sign_ins(staff) -> int:
    return db.session.scalar(select(func.count(ConsoleSession.id)).where(ConsoleSession.staff_id == staff.id))


def test_idle_expiry_signs_out_and_revokes_the_sign_in(client, world):
    sign_in(client, world.head1)
    idle(world.head1)
    answer = client.get("/console/requests")
    assert answer.location.startswith("/console/login")
    assert "长时间未操作" in client.get(answer.location).get_data(as_text=True)
    assert sign_ins(world.head1) == 0


def test_an_idle_sign_in_is_over_on_the_server_whatever_the_browser_holds(client, world):
    """A copy of the cookie taken before the idle time opens nothing after it, and the row goes at the next sign-in
    of anyone, though no browser came back."""
    sign_in(client, world.head1)
    copied = client.application.test_client()
    copied.set_cookie("jiashu_console", client.get_cookie("jiashu_console").value)
    assert copied.get("/console/requests").status_code == 200
    idle(world.head1, minutes=29)
    assert copied.get("/console/requests").status_code == 200   # a page: seen again
    idle(world.head1)
    assert copied.get("/console/requests").location.startswith("/console/login")
    sign_in(client.application.test_client(), world.head2)
    assert sign_ins(world.head1) == 0


def test_nothing_in_the_console_cookie_is_a_bearer_token(client, world):
    sign_in(client, world.head1)
    with client.session_transaction() as session:
        held = [value for value in session.values() if isinstance(value, str)]
    held.append(client.get_cookie("jiashu_console").value)
    for value in held:
        answer = client.get("/api/auth/me", headers={"Authorization": f"Bearer {value}"})
        assert answer.status_code == 401, value
    assert db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.staff_id == world.head1.id)) == 0


def test_logout_ends_the_sign_in_in_the_database(client, world):
    headers = sign_in(client, world.head1)
    with client.session_transaction() as session:
        kept = dict(session)
    assert client.post("/console/logout", headers=headers).location == "/console/login"
    with client.session_transaction() as session:   # even the old cookie's token no longer signs in
        session.update(kept)
    assert client.get("/console/requests").location.startswith("/console/login")


def test_a_deactivated_account_is_signed_out(client, world):
    sign_in(client, world.head1)
    world.head1.active = False
    db.session.commit()
    assert client.get("/console/requests").location.startswith("/console/login")


def test_the_grid_head_confirms_and_rejects_registrations(client, world):
    waiting, _ = f.resident(world.house1b, name="待确认甲", confirmed=False)
    turned_down, _ = f.resident(world.house1b, name="待确认乙", confirmed=False)
    elsewhere, _ = f.resident(world.house2, name="别的网格", confirmed=False)
    db.session.commit()
    headers = sign_in(client, world.head1)
    page = client.get("/console/registrations").get_data(as_text=True)
    assert "待确认甲" in page and "别的网格" not in page
    done = client.post(f"/console/members/{waiting.id}/confirm", headers={**headers, "HX-Request": "true"})
    assert done.status_code == 200 and "已确认" in done.get_data(as_text=True)
    assert client.post(f"/console/members/{turned_down.id}/reject", headers=headers).status_code == 303
    assert client.post(f"/console/members/{elsewhere.id}/confirm", headers=headers).status_code == 404
    db.session.expire_all()
    assert db.session.get(Resident, waiting.id).confirmed
    assert db.session.get(Resident, turned_down.id) is None


def test_the_officer_marks_a_contact_request_and_the_sender_sees_it(client, world):
    row = send(world.police1, world.wechat1, "13800138000", "家门口有可疑人员", True)
    db.session.commit()
    headers = sign_in(client, world.police1)
    assert "家门口有可疑人员" in client.get("/console/police").get_data(as_text=True)
    answer = client.post(f"/console/contacts/{row.id}", data={"status": "contacted", "note": "已电话联系"},
                         headers=headers)
    assert answer.status_code == 303
    mine = client.get("/api/my/contact-requests", headers=f.auth(world.wechat1)).json
    assert mine[0]["status"] == "contacted" and mine[0]["note"] == "已电话联系"
    again = client.post(f"/console/contacts/{row.id}", data={"status": "contacted"}, headers=headers)
    assert again.status_code == 409


def test_another_officer_cannot_answer_ones_contact_request(client, world):
    row = send(world.police1, world.wechat1, "13800138000", "请联系", False)
    db.session.commit()
    headers = sign_in(client, world.police_all)
    assert client.post(f"/console/contacts/{row.id}", data={"status": "handled"}, headers=headers).status_code == 404


def test_the_dashboard_and_the_screen_say_what_the_api_says(client, world, req):
    _file(world.house2, world.wechat2, "噪音", "dispute")
    sign_in(client, world.admin_a)
    api = client.get("/api/figures/community", headers=f.auth(world.admin_a)).json
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert f'id="n-requests">{api["requests"]}<' in page and f'id="n-open">{api["by_status"]["open"]}<' in page
    screen = client.get("/console/screen/figures").json
    assert (screen["requests"], screen["open"], screen["coverage"]) == (
        api["requests"], api["by_status"]["open"], api["registration"]["coverage"])
    assert screen["today"] == 2 and screen["disputes"] == api["disputes"]
    assert not [name for name in (world.resident1.name, world.head1.name) if name in str(screen)]
    workbook = client.get("/console/figures.xlsx")
    assert workbook.mimetype.endswith("spreadsheetml.sheet")


def test_a_grid_heads_dashboard_covers_their_own_grids(client, world, req):
    _file(world.house2, world.wechat2, "噪音")
    sign_in(client, world.head1)
    page = client.get("/console/dashboard").get_data(as_text=True)
    assert world.grid1.name in page and world.grid2.name not in page and 'id="n-requests">1<' in page
    assert client.get(f"/console/grids/{world.grid1.id}/figures.xlsx").status_code == 200
    assert client.get(f"/console/grids/{world.grid2.id}/figures.xlsx").status_code == 404
    assert client.get("/console/figures.xlsx").status_code == 403
    assert client.get("/console/screen").status_code == 403


SHEET = ("网格编号,网格名称,楼栋编号,楼栋名称,门牌号,地址,户主姓名,户主电话\n"
         "1,第1网格,1,1号楼,999,1号楼999室,赵六,13800138999\n")


def test_the_admin_previews_then_imports_a_house_sheet(client, world):
    headers = sign_in(client, world.admin_a)

    def upload(text, apply):
        return client.post("/console/houses", headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(text.encode()), "houses.csv"), "apply": apply})
    preview = upload(SHEET, "0")
    assert preview.status_code == 200 and "预览（尚未导入）：新增 1 户" in preview.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Household.id)).where(Household.code == "SQ-01-01-999")) == 0
    wrong = upload(SHEET + "1,第1网格,1,1号楼,,无门牌,钱七,123\n", "1")
    assert wrong.status_code == 422 and "第 3 行" in wrong.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Household.id)).where(Household.code == "SQ-01-01-999")) == 0
    done = upload(SHEET, "1")
    assert done.status_code == 200 and "已导入：新增 1 户" in done.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Household.id)).where(Household.code == "SQ-01-01-999")) == 1
    assert client.post("/console/houses", headers=headers, data={}).status_code == 422   # no file chosen


def test_the_admin_exports_houses_and_prints_letters(client, world):
    sign_in(client, world.admin_a)
    exported = client.get("/console/houses.xlsx")
    assert exported.mimetype.endswith("spreadsheetml.sheet")
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(AuditEvent.object_type == "house_sheet")) == 1
    assert client.get("/console/houses-template.xlsx").status_code == 200
    letters = client.get("/console/letters.pdf")
    assert letters.mimetype == "application/pdf" and letters.data.startswith(b"%PDF")
    head = client.application.test_client()
    sign_in(head, world.head1)
    assert head.get(f"/console/grids/{world.grid1.id}/letters.pdf").data.startswith(b"%PDF")
    assert head.get(f"/console/grids/{world.grid2.id}/letters.pdf").status_code == 404
    assert head.get("/console/houses").status_code == 403


def test_returning_migrants_this_month_and_open_contact_requests(client, world):
    for house, name in ((world.house1b, "返乡甲"), (world.house2, "返乡乙")):
        migrant, _ = f.resident(house, name=name)
        migrant.residence_type, migrant.return_date = ResidenceType.RETURNING_MIGRANT, china_today()
    send(world.police1, world.wechat1, "13800138000", "请联系", False)
    db.session.commit()
    sign_in(client, world.admin_a)
    screen = client.get("/console/screen/figures").json
    assert (screen["returning"], screen["contacts"]) == (2, 1)
    head = client.application.test_client()
    sign_in(head, world.head1)
    assert 'id="n-returning">1<' in head.get("/console/dashboard").get_data(as_text=True)   # their own grid's


def test_the_officer_downloads_their_own_card(client, world):
    sign_in(client, world.police1)
    assert "我的警民联系卡" in client.get("/console/police").get_data(as_text=True)
    assert client.get("/console/card.png").data.startswith(b"\x89PNG")
    assert client.get("/console/card.pdf?vcard=1").data.startswith(b"%PDF")
    contact = client.get("/console/card.vcf")
    assert contact.mimetype == "text/vcard" and "attachment" in contact.headers["Content-Disposition"]
    lines = contact.get_data(as_text=True).splitlines()
    assert lines[0] == "BEGIN:VCARD" and f"FN:{world.police1.name}" in lines and lines[-1] == "END:VCARD"
    assert client.get("/console/card.svg").status_code == 404


def test_the_admin_creates_an_account_and_gives_a_bind_code(client, world):
    headers = sign_in(client, world.admin_a)
    made = client.post("/console/staff", headers=headers, data={
        "name": "新网格长", "username": "grid.new", "password": "password-123", "role": "grid_head",
        "grid": str(world.grid2.id), "phone": ""})
    assert made.status_code == 303
    page = client.get("/console/staff").get_data(as_text=True)
    assert "已创建账号 grid.new" in page and "新网格长" in page
    again = client.post("/console/staff", headers=headers, data={
        "name": "重名", "username": "grid.new", "password": "password-123", "role": "unit_leader"})
    assert again.status_code == 409 and "用户名 grid.new 已被使用" in again.get_data(as_text=True)
    short = client.post("/console/staff", headers=headers, data={
        "name": "短密码", "username": "x.short", "password": "123", "role": "unit_leader"})
    assert short.status_code == 422 and "“密码”填写有误" in short.get_data(as_text=True)
    new = client.application.test_client()
    sign_in(new, db.session.scalar(select(Staff).where(Staff.username == "grid.new")), "password-123")
    assert world.grid2.name in new.get("/console/registrations").get_data(as_text=True)   # the grid is theirs
    code = client.post(f"/console/staff/{world.head1.id}/invite", headers={**headers, "HX-Request": "true"})
    assert code.status_code == 200 and "绑定码" in code.get_data(as_text=True)
    assert client.post(f"/console/staff/{world.admin_b.id}/invite", headers=headers).status_code == 404


def test_the_grid_head_reveals_an_id_number_with_a_reason_and_it_is_audited(client, world):
    waiting, _ = f.resident(world.house1b, name="待确认甲", confirmed=False)
    store_id_number(waiting, f.id_number(7))
    db.session.commit()
    headers = sign_in(client, world.head1)
    page = client.get("/console/registrations").get_data(as_text=True)
    assert f.id_number(7) not in page and waiting.id_number_masked in page
    bare = client.post(f"/console/members/{waiting.id}/reveal", headers=headers, data={"reason": " "})
    assert bare.status_code == 422
    shown = client.post(f"/console/members/{waiting.id}/reveal", headers={**headers, "HX-Request": "true"},
                        data={"reason": "核实户籍信息"})
    assert f.id_number(7) in shown.get_data(as_text=True)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reveal"))
    assert (audit.actor_staff_id, audit.reason, audit.object_id) == (world.head1.id, "核实户籍信息", str(waiting.id))
    assert client.post(f"/console/members/{world.resident2.id}/reveal", headers=headers,
                       data={"reason": "核实户籍信息"}).status_code == 404

"""The community admin's settings and audit log in the console: categories and their routing, the letter's text
and its preview, Open311 keys, the audit log; each on the admin's own community, through the API's services."""
import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app.clock import china_today, utcnow
from app.models import AuditEvent, Category, Open311Key
from app.open311.keys import issue_key
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.residents.id_numbers import store_id_number
from app.residents.services import register_members
from app.web.extensions import db
from tests import factories as f
from tests.console.signing import sign_in

PAGES = ["/console/admin/categories", "/console/admin/letter", "/console/admin/open311-keys", "/console/admin/audit"]


@pytest.fixture
def admin(client, world):
    """The admin of community A signed in; the headers of their forms."""
    return sign_in(client, world.admin_a)


def test_the_admin_adds_edits_and_retires_a_category_and_residents_file_by_it(client, world, admin):
    page = client.get("/console/admin/categories").get_data(as_text=True)
    assert "维修" in page and "楼栋长" in page   # the defaults, with whom each goes to first
    added = client.post("/console/admin/categories", headers=admin, data={
        "name": "停车管理", "code": "parking", "deadline_hours": "36", "first_responder": "unit_leader",
        "is_dispute": "false", "description": ""})
    assert added.status_code == 303
    assert "已添加服务类别“停车管理”" in client.get("/console/admin/categories").get_data(as_text=True)
    api = {c["code"]: c for c in client.get("/api/categories", headers=f.auth(world.wechat1)).json}
    assert (api["parking"]["deadline_hours"], api["parking"]["first_responder"]) == (36, "unit_leader")
    parking = db.session.scalar(select(Category).where(Category.code == "parking"))
    edited = client.post(f"/console/admin/categories/{parking.id}", headers=admin, data={
        "name": "停车秩序", "deadline_hours": "12", "first_responder": "grid_head", "is_dispute": "false",
        "active": "true", "description": "占道停车"})
    assert edited.status_code == 303
    db.session.expire_all()
    assert (parking.name, parking.deadline_hours, parking.first_responder, parking.description) == (
        "停车秩序", 12, None, "占道停车")
    req = file_request(world.house1, category_by_code(world.a.id, "parking"), "车位被占", world.wechat1, None)
    assert req.handler_id == world.head1.id   # no first responder now: the grid head
    db.session.commit()
    retired = client.post(f"/console/admin/categories/{parking.id}/retire", headers=admin)
    assert retired.status_code == 303
    assert "parking" not in {c["code"] for c in client.get("/api/categories", headers=f.auth(world.wechat1)).json}


def test_a_category_refusal_is_said_in_chinese(client, world, admin):
    category_by_code(world.a.id, "other")
    db.session.commit()
    taken = client.post("/console/admin/categories", headers=admin, data={
        "name": "重复", "code": "repair", "deadline_hours": "24", "first_responder": "grid_head"})
    assert taken.status_code == 409 and "本社区已有代码为 repair 的服务类别" in taken.get_data(as_text=True)
    bad = client.post("/console/admin/categories", headers={**admin, "HX-Request": "true"}, data={
        "name": "太久", "code": "slow", "deadline_hours": "99999", "first_responder": "grid_head"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 422 and "“办理时限”填写有误" in text and "Must be" not in text


def test_another_communitys_category_and_key_answer_404(client, world, admin):
    theirs = category_by_code(world.b.id, "other")
    _, key_b = issue_key(world.b.id, "东风热线")
    db.session.commit()
    assert client.get(f"/console/admin/categories/{theirs.id}").status_code == 404
    edit = client.post(f"/console/admin/categories/{theirs.id}", headers=admin, data={"name": "改名"})
    assert edit.status_code == 404 and "未找到该服务类别" in edit.get_data(as_text=True)
    assert client.post(f"/console/admin/categories/{theirs.id}/retire", headers=admin).status_code == 404
    assert client.post(f"/console/admin/open311-keys/{key_b.id}/revoke", headers=admin).status_code == 404
    db.session.expire_all()
    assert theirs.active and theirs.name == "其他" and key_b.revoked_at is None


@pytest.mark.parametrize("staff", ["head1", "police1", "leader"])
def test_other_roles_are_refused_every_admin_page(client, world, staff):
    headers = sign_in(client, getattr(world, staff))
    for path in PAGES:
        answer = client.get(path)
        assert answer.status_code == 403 and "您的角色无权使用此页面" in answer.get_data(as_text=True)
    assert client.post("/console/admin/open311-keys", headers=headers, data={"label": "x"}).status_code == 403


def test_signed_out_the_pages_lead_to_the_sign_in(client, world):
    for path in PAGES:
        assert client.get(path).location == f"/console/login?next={path}"


def test_a_form_without_its_csrf_token_changes_nothing(client, world, admin):
    answer = client.post("/console/admin/open311-keys", data={"label": "无令牌"})
    assert answer.status_code == 400 and "刷新页面" in answer.get_data(as_text=True)
    other = category_by_code(world.a.id, "other")
    db.session.commit()
    assert client.post(f"/console/admin/categories/{other.id}/retire").status_code == 400
    db.session.expire_all()
    assert other.active and db.session.scalar(select(Open311Key.id).where(Open311Key.label == "无令牌")) is None


def test_the_admin_previews_then_saves_the_letter_text_that_the_letters_print(client, world, admin):
    page = client.get("/console/admin/letter").get_data(as_text=True)
    assert "目前使用系统默认文字" in page and 'src="data:image/png;base64,' in page
    text = "各位居民：{community}的房屋编号 {house_code}，网格长{grid_head}。"
    preview = client.post("/console/admin/letter/preview", headers={**admin, "HX-Request": "true"},
                          data={"template": text, "code_kind": "link"})
    assert preview.status_code == 200 and preview.get_data(as_text=True).startswith('<img class="card-preview"')
    api = client.get("/api/community/letter-template", headers=f.auth(world.admin_a)).json
    assert api["is_default"]   # a preview saves nothing
    wrong = client.post("/console/admin/letter/preview", headers={**admin, "HX-Request": "true"},
                        data={"template": "{nickname} 您好"})
    assert wrong.status_code == 422 and "家书文字中没有 {nickname} 这一项" in wrong.get_data(as_text=True)
    saved = client.post("/console/admin/letter", headers=admin, data={"template": text, "code_kind": "link"})
    assert saved.status_code == 303
    assert "已保存家书文字" in client.get("/console/admin/letter").get_data(as_text=True)
    api = client.get("/api/community/letter-template", headers=f.auth(world.admin_a)).json
    assert (api["template"], api["is_default"]) == (text, False)
    other = client.get("/api/community/letter-template", headers=f.auth(world.admin_b)).json
    assert other["is_default"]   # community B's letters keep theirs
    too_long = client.post("/console/admin/letter", headers=admin, data={"template": "字" * 601})
    assert too_long.status_code == 422 and "一页最多容纳 600 个" in too_long.get_data(as_text=True)


def test_the_admin_creates_a_key_shown_once_that_files_and_revokes_it(client, world, admin):
    made = client.post("/console/admin/open311-keys", headers=admin, data={"label": "12345 热线"})
    page = made.get_data(as_text=True)
    assert made.status_code == 201 and "只显示这一次" in page
    key = re.search(r'id="new-key">(o311_[^<]+)<', page).group(1)
    listed = client.get("/console/admin/open311-keys").get_data(as_text=True)
    assert key not in listed and f"o311_…{key[-4:]}" in listed and "有效" in listed
    body = {"api_key": key, "service_code": "other", "description": "路灯不亮", "address_id": world.house1.code}
    assert client.post("/open311/v2/requests.json", data=body).status_code == 201
    row = db.session.scalar(select(Open311Key).where(Open311Key.label == "12345 热线"))
    assert client.post(f"/console/admin/open311-keys/{row.id}/revoke", headers=admin).status_code == 303
    assert "已吊销" in client.get("/console/admin/open311-keys").get_data(as_text=True)
    assert client.post("/open311/v2/requests.json", data=body).status_code == 403
    # Both are in the audit log, by this admin (a partner system may file and read the community's requests).
    log = client.get("/console/admin/audit").get_data(as_text=True)
    assert "生成接口密钥" in log and "吊销接口密钥" in log
    entries = db.session.execute(select(AuditEvent.action, AuditEvent.actor_staff_id, AuditEvent.object_id)
                                 .where(AuditEvent.object_type == "open311_key").order_by(AuditEvent.id)).all()
    assert entries == [("issue_key", world.admin_a.id, str(row.id)), ("revoke_key", world.admin_a.id, str(row.id))]


def _reveal(client, world):
    """head1 reveals a member's ID number in the console, with a reason."""
    member, _ = f.resident(world.house1b, name="待确认甲", confirmed=False)
    store_id_number(member, f.id_number(7))
    db.session.commit()
    head = client.application.test_client()
    headers = sign_in(head, world.head1)
    assert head.post(f"/console/members/{member.id}/reveal", headers=headers,
                     data={"reason": "核实户籍信息"}).status_code == 200
    return member


def test_a_reveal_and_an_export_appear_in_the_audit_log_with_who_what_and_why(client, world, admin):
    member = _reveal(client, world)
    assert client.get("/console/houses.xlsx").status_code == 200   # the admin's own export
    page = client.get("/console/admin/audit").get_data(as_text=True)
    rows = page[page.index('id="audit-log"'):]
    assert rows.index("导出") < rows.index("查看完整信息")   # newest first
    assert world.head1.name in rows and "核实户籍信息" in rows and f"居民 #{member.id}" in rows and "房屋表" in rows
    reveals = client.get(f"/console/admin/audit?action=reveal&actor={world.head1.id}").get_data(as_text=True)
    assert "核实户籍信息" in reveals and "房屋表" not in reveals
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reveal"))
    detail = client.get(f"/console/admin/audit/{event.id}").get_data(as_text=True)
    assert "核实户籍信息" in detail and world.head1.name in detail


def test_the_audit_log_filters_by_china_dates(client, world, admin):
    _reveal(client, world)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reveal"))
    # 23:30 UTC two days ago is 07:30 the next morning in China: it counts on yesterday's China date.
    event.at = (utcnow() - timedelta(days=2)).replace(hour=23, minute=30)
    db.session.commit()
    yesterday = china_today() - timedelta(days=1) if utcnow().hour < 16 else china_today() - timedelta(days=2)
    on_day = client.get(f"/console/admin/audit?from={yesterday}&to={yesterday}").get_data(as_text=True)
    assert "核实户籍信息" in on_day
    before = client.get(f"/console/admin/audit?to={yesterday - timedelta(days=1)}").get_data(as_text=True)
    assert "核实户籍信息" not in before
    assert client.get("/console/admin/audit?from=2026-02-30").status_code == 422
    assert client.get("/console/admin/audit?action=peek").status_code == 422


def test_the_audit_workbook_holds_the_filtered_log_and_is_itself_audited(client, world, admin):
    _reveal(client, world)
    answer = client.get("/console/admin/audit.xlsx?action=reveal")
    assert answer.mimetype.endswith("spreadsheetml.sheet")
    rows = list(load_workbook(io.BytesIO(answer.data)).active.values)
    assert rows[0][0] == "时间（北京时间）" and len(rows) == 2
    assert rows[1][1:4] == (world.head1.name, "网格长", "查看完整信息") and rows[1][6] == "核实户籍信息"
    exported = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "audit_log"))
    assert (exported.actor_staff_id, exported.community_id) == (world.admin_a.id, world.a.id)


def test_another_communitys_audit_entries_are_neither_listed_nor_shown(client, world, admin):
    _reveal(client, world)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "reveal"))
    other = client.application.test_client()
    sign_in(other, world.admin_b)
    assert "核实户籍信息" not in other.get("/console/admin/audit").get_data(as_text=True)
    assert other.get(f"/console/admin/audit/{event.id}").status_code == 404
    assert client.get(f"/console/admin/audit/{event.id}").status_code == 200


def test_a_registration_is_logged_in_the_registered_households_community(client, world, admin):
    entry = {"name": "新来", "id_number": f.id_number(31), "relationship_to_head": "本人",
             "residence_type": "permanent", "is_self": True}
    [row] = register_members(world.house_b.id, f.wechat_user(), [entry], claim_head=False, consent_version="v",
                             notice_version="v")
    db.session.commit()
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "register"))
    assert (event.object_id, event.community_id) == (str(row.id), world.b.id)   # the typist has no record yet
    assert client.get(f"/console/admin/audit/{event.id}").status_code == 404

"""Registering a household by scanning its letter: heads claim empty houses, later members wait for them."""
from sqlalchemy import select

from app.models import Notification, Resident, Staff
from app.web.extensions import db
from tests import factories as f
from tests.residents.helpers import (
    assert_masked,
    letter_token,
    newcomer,
    person,
    register,
)


def inbox(recipient):
    column = Notification.recipient_staff_id if isinstance(recipient, Staff) else Notification.recipient_wechat_id
    return db.session.scalars(select(Notification).where(column == recipient.id).order_by(Notification.id)).all()


def test_scan_register_and_the_head_confirms_a_late_member(client, world):
    token = letter_token(world.house1b)
    assert client.get(f"/api/scan/{token}").json["has_head"] is False

    head, head_headers = newcomer()
    family = [person("赵六", 1, is_self=True), person("钱七", 2, "配偶"), person("赵小八", 3, "子", phone=None)]
    response = register(client, token, head_headers, family, claim_head=True)
    assert response.status_code == 201, response.json
    members = response.json["members"]
    assert [m["status"] for m in members] == ["confirmed"] * 3
    assert members[0]["is_head"] and members[0]["relationship_to_head"] == "本人"
    assert members[0]["id_number"] == family[0]["id_number"][:3] + "*" * 11 + family[0]["id_number"][-4:]
    assert members[0]["phone"] == "138****0001"
    assert_masked(response, *family)

    grandma, grandma_headers = newcomer()
    late = person("孙九", 4, "母亲", is_self=True)
    response = register(client, token, grandma_headers, [late])
    assert response.status_code == 201
    late_id = response.json["members"][0]["id"]
    assert response.json["members"][0]["status"] == "pending"
    # The head hears of it; the pending registrant sees nobody else in the house yet.
    assert [n.kind for n in inbox(head)] == ["member_pending"]
    assert "孙九" in inbox(head)[0].body
    mine = client.get("/api/my/household", headers=grandma_headers).json
    assert [m["name"] for m in mine["members"]] == ["孙九"]

    listed = client.get("/api/my/household", headers=head_headers)
    assert {m["name"]: m["status"] for m in listed.json["members"]} == {
        "赵六": "confirmed", "钱七": "confirmed", "赵小八": "confirmed", "孙九": "pending"}
    assert_masked(listed, *family, late)

    confirmed = client.post(f"/api/members/{late_id}/confirm", headers=head_headers)
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
    assert len(client.get("/api/my/household", headers=grandma_headers).json["members"]) == 4
    assert [n.kind for n in inbox(grandma)] == ["member_confirmed"]


def test_a_house_without_head_waits_for_the_grid_head(client, world):
    _, headers = newcomer()
    response = register(client, letter_token(world.house1b), headers, [person("周十", 5, "租户", is_self=True)])
    member_id = response.json["members"][0]["id"]
    assert response.json["members"][0]["status"] == "pending"
    assert [n.kind for n in inbox(world.head1)] == ["member_pending"]
    # The new member cannot confirm themselves; the grid head can.
    assert client.post(f"/api/members/{member_id}/confirm", headers=headers).status_code == 403
    response = client.post(f"/api/members/{member_id}/confirm", headers=f.auth(world.head1))
    assert response.status_code == 200 and response.json["status"] == "confirmed"
    assert client.post(f"/api/members/{member_id}/confirm", headers=f.auth(world.head1)).status_code == 409


def test_a_house_with_a_head_cannot_be_claimed_again(client, world):
    _, headers = newcomer()
    response = register(client, letter_token(world.house1), headers, [person("吴一", 6, is_self=True)],
                        claim_head=True)
    assert response.status_code == 409
    assert "has a head already" in response.json["message"]
    assert db.session.scalar(select(Resident).where(Resident.name == "吴一")) is None


def test_the_head_adds_family_confirmed_at_once_but_other_members_wait(client, world):
    token = letter_token(world.house1)
    response = register(client, token, f.auth(world.wechat1), [person("李小五", 7, "子")])
    assert response.json["members"][0]["status"] == "confirmed"
    member, identity = f.resident(world.house1, name="李五")
    response = register(client, token, f.auth(identity), [person("李小六", 8, "孙子")])
    assert response.json["members"][0]["status"] == "pending"
    assert [n.kind for n in inbox(world.wechat1)] == ["member_pending"]


def test_a_registered_resident_cannot_register_themselves_twice(client, world):
    response = register(client, letter_token(world.house1), f.auth(world.wechat1), [person("李四", 9, is_self=True)])
    assert response.status_code == 409
    assert "registered in this household already" in response.json["message"]


def test_consent_must_be_to_the_current_privacy_notice(client, world):
    notice = client.get("/api/privacy-notice").json
    assert notice["version"] and "身份证号码加密保存" in notice["text"]
    _, headers = newcomer()
    response = register(client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True)],
                        consent="2001-01")
    assert response.status_code == 409
    assert "please read and accept the updated privacy notice" in response.json["message"].lower()
    response = register(client, letter_token(world.house1b), headers, [person("赵六", 1, is_self=True)])
    stored = db.session.get(Resident, response.json["members"][0]["id"])
    assert stored.consent_version == notice["version"] and stored.consent_at is not None


def test_only_wechat_users_register(client, world):
    token = letter_token(world.house1b)
    assert register(client, token, {}, [person("赵六", 1, is_self=True)]).status_code == 401
    response = register(client, token, f.auth(world.head1), [person("赵六", 1, is_self=True)])
    assert response.status_code == 403


def test_the_registrant_can_be_only_one_member_and_claims_only_for_themselves(client, world):
    _, headers = newcomer()
    token = letter_token(world.house1b)
    two = register(client, token, headers, [person("赵六", 1, is_self=True), person("钱七", 2, is_self=True)])
    assert two.status_code == 422 and "members:" in two.json["message"]
    nobody = register(client, token, headers, [person("钱七", 2)], claim_head=True)
    assert nobody.status_code == 422 and "claim_head" in nobody.json["message"]


def test_rejecting_removes_the_record_and_tells_the_registrant(client, world):
    stranger, headers = newcomer()
    response = register(client, letter_token(world.house1), headers, [person("冒名", 10, "表亲", is_self=True)])
    member_id = response.json["members"][0]["id"]
    assert client.post(f"/api/members/{member_id}/reject", headers=f.auth(world.wechat1)).status_code == 204
    assert db.session.get(Resident, member_id) is None
    assert [n.kind for n in inbox(stranger)] == ["member_rejected"]
    # Unlinked again: they no longer see the household, and may register elsewhere.
    assert client.get("/api/my/household", headers=headers).status_code == 403
    again = register(client, letter_token(world.house1b), headers, [person("冒名", 10, is_self=True)])
    assert again.status_code == 201


def test_a_registration_is_audited_member_by_member(client, world):
    from app.models import AuditEvent
    identity, headers = newcomer()
    answer = register(client, letter_token(world.house1b), headers,
                      [person("赵六", 1, is_self=True), person("钱七", 2)], claim_head=True)
    assert answer.status_code == 201
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "register")).all()
    assert sorted(int(e.object_id) for e in events) == sorted(m["id"] for m in answer.json["members"])
    assert {(e.object_type, e.actor_wechat_id, e.actor_staff_id) for e in events} == {("resident", identity.id, None)}

"""One person, one household: an ID number registered already is kept as a move, which happens only when both
the household the person goes to and the person's own side (they, their household head, their grid head)
agree; staff see it, the registrant is told nothing of it."""
import pytest
from sqlalchemy import select

from app.models import AuditEvent, Notification, Resident, WeChatIdentity
from app.residents.id_numbers import store_id_number
from app.web.extensions import db
from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register


def settle(client, house, *entries):
    """A household claimed by a newcomer with `entries` (the first is the newcomer): (identity, headers)."""
    identity, headers = newcomer()
    response = register(client, letter_token(house), headers, [dict(entries[0], is_self=True), *entries[1:]],
                        claim_head=True)
    assert response.status_code == 201, response.json
    return identity, headers


def records(house) -> list[str]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Resident.name).where(Resident.household_id == house.id)))


def notices(kind: str) -> list[Notification]:
    return db.session.scalars(select(Notification).where(Notification.kind == kind).order_by(Notification.id)).all()


def recipients(kind: str) -> set:
    return {n.recipient_staff_id and ("staff", n.recipient_staff_id) or ("wechat", n.recipient_wechat_id)
            for n in notices(kind)}


def pending_flags(client, head, grid) -> list[tuple]:
    listed = client.get(f"/api/grids/{grid.id}/pending", headers=f.auth(head)).json
    return [(m["name"], m["status"], m["already_registered"], m["move_from_code"], m["move_consent"]) for m in listed]


@pytest.fixture
def victim(world):
    """resident1, head of house1 (grid 1) with WeChat, registered with an ID number a stranger may type."""
    store_id_number(world.resident1, f.id_number(41))
    db.session.commit()
    return person(world.resident1.name, 41, "表亲")


def test_the_same_person_again_in_one_household_is_a_duplicate_for_staff(client, world):
    zhao = person("赵六", 1)
    _, headers = settle(client, world.house1b, zhao)
    again = register(client, letter_token(world.house1b), headers, [person("赵六", 1, "本人")])
    assert again.status_code == 201 and again.json["members"][0]["status"] == "confirmed"
    assert "already_registered" not in again.json["members"][0]
    assert pending_flags(client, world.head1, world.grid1) == [("赵六", "confirmed", "here", world.house1b.code, None)]
    twice = register(client, letter_token(world.house1b), headers, [person("钱七", 2), person("钱七", 2)])
    assert twice.status_code == 409 and "appears twice" in twice.json["message"]
    assert records(world.house1b) == ["赵六", "赵六"]


def test_a_move_needs_the_household_it_goes_to_and_the_persons_side(client, world):
    qian = person("钱七", 2)
    zhao, _ = settle(client, world.house1b, person("赵六", 1), qian)
    sun, _ = settle(client, world.house2b, person("孙九", 3))
    _, headers = newcomer()
    response = register(client, letter_token(world.house2b), headers, [dict(qian, is_self=True)])
    assert response.status_code == 201
    moving = response.json["members"][0]
    assert moving["status"] == "pending" and "move_from_household_id" not in moving
    notice = notices("member_move")[0]
    assert notice.recipient_staff_id == world.head2.id and "钱七" in notice.body and world.house1b.code in notice.body
    # The person's side is asked: the head of the household they leave and its grid head (钱七 has no WeChat).
    assert recipients("member_move_request") == {("wechat", zhao.id), ("staff", world.head1.id)}
    assert pending_flags(client, world.head2, world.grid2) == [
        ("钱七", "pending", "elsewhere", world.house1b.code, None)]

    # The household it goes to agrees (its head may, as for anyone): the person stays where they are.
    assert client.post(f"/api/members/{moving['id']}/confirm", headers=f.auth(sun)).status_code == 200
    assert records(world.house1b) == ["赵六", "钱七"]
    assert pending_flags(client, world.head2, world.grid2) == [
        ("钱七", "confirmed", "elsewhere", world.house1b.code, None)]

    approved = client.post(f"/api/moves/{moving['id']}/approve", headers=f.auth(zhao))
    assert approved.status_code == 200, approved.json
    assert (approved.json["consent"], approved.json["moved"]) == ("household_head", True)
    assert approved.json["from_household"]["code"] == world.house1b.code
    assert records(world.house1b) == ["赵六"] and records(world.house2b) == ["孙九", "钱七"]
    assert pending_flags(client, world.head2, world.grid2) == []
    # Both household heads and both grid heads hear of it; nobody's ID number is in any text.
    assert recipients("member_moved") == {("wechat", zhao.id), ("wechat", sun.id), ("staff", world.head1.id),
                                          ("staff", world.head2.id)}
    texts = " ".join(n.title + n.body for n in db.session.scalars(select(Notification)))
    assert qian["id_number"] not in texts and qian["id_number"][:3] + "*" * 11 not in texts
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "approve_move")).one()
    assert (event.actor_wechat_id, event.object_id) == (zhao.id, str(moving["id"]))


def test_a_stranger_cannot_move_someone_out_of_their_household(client, world, victim):
    """Issue 11, item 3: the destination grid head confirming a stranger's registration moves nobody."""
    stranger, headers = newcomer()
    response = register(client, letter_token(world.house2b), headers, [dict(victim, is_self=True)])
    claim = response.json["members"][0]["id"]
    assert client.post(f"/api/members/{claim}/confirm", headers=f.auth(world.head2)).status_code == 200
    # The victim is still at home, with their WeChat; they were asked, and they refuse.
    assert db.session.get(WeChatIdentity, world.wechat1.id).resident_id == world.resident1.id
    assert client.get("/api/my/household", headers=f.auth(world.wechat1)).json["household"]["id"] == world.house1.id
    assert ("wechat", world.wechat1.id) in recipients("member_move_request")
    waiting = client.get("/api/moves", headers=f.auth(world.wechat1)).json
    assert [(m["id"], m["to_household"]["code"], m["status"]) for m in waiting] == [
        (claim, world.house2b.code, "confirmed")]
    assert client.post(f"/api/moves/{claim}/refuse", headers=f.auth(world.wechat1)).status_code == 204

    assert db.session.get(Resident, claim) is None
    assert db.session.get(WeChatIdentity, stranger.id).resident_id is None
    assert [n.kind for n in db.session.scalars(select(Notification).where(
        Notification.recipient_wechat_id == stranger.id).order_by(Notification.id))] == ["member_confirmed",
                                                                                           "member_rejected"]
    assert recipients("member_move_refused") >= {("staff", world.head1.id), ("staff", world.head2.id),
                                                 ("wechat", world.wechat1.id)}
    assert records(world.house1) == [world.resident1.name]


def test_the_persons_grid_head_may_decide_for_them(client, world, victim):
    _, headers = newcomer()
    claim = register(client, letter_token(world.house2b), headers, [dict(victim, is_self=True)]).json["members"][0]
    approved = client.post(f"/api/moves/{claim['id']}/approve", headers=f.auth(world.head1))
    assert (approved.json["consent"], approved.json["moved"], approved.json["status"]) == (
        "grid_head", False, "pending")
    again = client.post(f"/api/moves/{claim['id']}/refuse", headers=f.auth(world.wechat1))
    assert again.status_code == 409 and "agreed already" in again.json["message"]
    assert client.get("/api/moves", headers=f.auth(world.head1)).json == []
    # Agreed on the person's side, the move waits for the household it goes to, then happens.
    assert client.post(f"/api/members/{claim['id']}/confirm", headers=f.auth(world.head2)).status_code == 200
    assert records(world.house1) == [] and db.session.get(WeChatIdentity, world.wechat1.id).resident_id == claim["id"]
    assert recipients("member_moved") >= {("wechat", world.wechat1.id), ("staff", world.head1.id),
                                          ("staff", world.head2.id)}


@pytest.mark.parametrize("caller, status", [
    ("head2", 404),      # the grid head of the household they would go to: not the person's side
    ("wechat2", 404),    # the head of another household
    ("registrant", 404),  # whoever registered the claim
    ("admin_a", 403), ("police1", 403), ("joint", 403),
])
def test_only_the_persons_side_decides_a_move(client, world, victim, caller, status):
    _, headers = newcomer()
    claim = register(client, letter_token(world.house2b), headers, [dict(victim, is_self=True)]).json["members"][0]
    who = headers if caller == "registrant" else f.auth(getattr(world, caller))
    for action in ("approve", "refuse"):
        assert client.post(f"/api/moves/{claim['id']}/{action}", headers=who).status_code == status
    if status == 404:
        assert client.get("/api/moves", headers=who).json == []
    assert db.session.get(Resident, claim["id"]).move_consent is None


def test_a_household_member_who_is_not_its_head_decides_only_their_own_move(client, world, victim):
    member, identity = f.resident(world.house1, name="李小四")
    store_id_number(member, f.id_number(42))
    db.session.commit()
    _, headers = newcomer()
    claims = [register(client, letter_token(world.house2b), headers, [dict(victim, is_self=True)]),
              register(client, letter_token(world.house2b), headers, [person("李小四", 42, "子")])]
    victims_claim, members_claim = (c.json["members"][0]["id"] for c in claims)
    assert client.post(f"/api/moves/{victims_claim}/approve", headers=f.auth(identity)).status_code == 404
    assert client.post(f"/api/moves/{members_claim}/approve", headers=f.auth(identity)).json["consent"] == "person"


def test_a_registered_user_moves_when_the_household_they_go_to_confirms(client, world):
    zhao = person("赵六", 1)
    identity, headers = settle(client, world.house1b, zhao)
    other = letter_token(world.house2)
    family_only = register(client, other, headers, [person("钱七", 2)])
    assert family_only.status_code == 409 and "registered in another household" in family_only.json["message"]
    someone_else = register(client, other, headers, [person("赵六", 9, is_self=True)])
    assert someone_else.status_code == 409 and "not the ID number you are registered with" in \
        someone_else.json["message"]

    move = register(client, other, headers, [dict(zhao, is_self=True)])
    assert move.status_code == 201
    member = move.json["members"][0]
    assert member["status"] == "pending"
    # They agreed by registering; until house2's head confirms, they still belong to the old household.
    assert client.get("/api/my/household", headers=headers).json["household"]["id"] == world.house1b.id
    assert notices("member_move_request") == []

    assert client.post(f"/api/members/{member['id']}/confirm", headers=f.auth(world.wechat2)).status_code == 200
    assert client.get("/api/my/household", headers=headers).json["household"]["id"] == world.house2.id
    assert db.session.get(WeChatIdentity, identity.id).resident_id == member["id"]
    assert client.get(f"/api/scan/{letter_token(world.house1b)}").json["has_head"] is False
    assert recipients("member_moved") == {("wechat", identity.id), ("wechat", world.wechat2.id),
                                          ("staff", world.head1.id), ("staff", world.head2.id)}


def test_claiming_a_headless_house_moves_a_registered_user_at_once(client, world):
    zhao = person("赵六", 1)
    identity, headers = settle(client, world.house1b, zhao, person("赵小六", 5, "子"))
    move = register(client, letter_token(world.house2b), headers, [dict(zhao, is_self=True)], claim_head=True)
    assert move.json["members"][0]["status"] == "confirmed"
    assert client.get("/api/my/household", headers=headers).json["household"]["id"] == world.house2b.id
    assert client.get(f"/api/scan/{letter_token(world.house2b)}").json["has_head"] is True
    assert records(world.house1b) == ["赵小六"]
    # Whom they registered back home stays theirs to correct.
    child = db.session.scalar(select(Resident).where(Resident.name == "赵小六"))
    assert child.registered_by_id == move.json["members"][0]["id"]


def test_a_correction_to_a_registered_id_number_is_a_move_for_staff(client, world):
    _, headers = settle(client, world.house1b, person("赵六", 1), person("钱七", 2))
    settle(client, world.house2b, person("孙九", 3))
    qian = db.session.scalar(select(Resident).where(Resident.name == "钱七"))
    answers = [client.patch(f"/api/members/{qian.id}", json={"id_number": f.id_number(n)}, headers=headers)
               for n in (1, 3, 4)]
    assert [a.status_code for a in answers] == [200] * 3
    assert {a.json["id_number"][-4:] for a in answers} == {f.id_number(n)[-4:] for n in (1, 3, 4)}
    assert [n.recipient_staff_id for n in notices("member_move")] == [world.head1.id, world.head1.id]
    # 孙九 (in house2b, grid 2) was asked while the number was theirs; the last correction is nobody's.
    assert ("staff", world.head2.id) in recipients("member_move_request")
    assert pending_flags(client, world.head1, world.grid1) == []

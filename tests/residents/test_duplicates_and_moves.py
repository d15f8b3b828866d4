"""One person, one household: duplicates are refused, and someone registered elsewhere is reported as a move."""
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, Resident, WeChatIdentity
from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register


def settle(client, house, *entries):
    """A household claimed by a newcomer with `entries` (the first is the newcomer): (identity, headers)."""
    identity, headers = newcomer()
    response = register(client, letter_token(house), headers, [dict(entries[0], is_self=True), *entries[1:]],
                        claim_head=True)
    assert response.status_code == 201, response.json
    return identity, headers


def test_the_same_person_twice_in_one_household_is_409(client, world):
    zhao = person("赵六", 1)
    _, headers = settle(client, world.house1b, zhao)
    again = register(client, letter_token(world.house1b), headers, [person("赵六", 1, "本人")])
    assert again.status_code == 409
    assert "members.0.id_number: this person is registered in this household already" in again.json["message"]
    twice = register(client, letter_token(world.house1b), headers, [person("钱七", 2), person("钱七", 2)])
    assert twice.status_code == 409 and "appears twice" in twice.json["message"]
    assert len(db.session.scalars(select(Resident).where(Resident.household_id == world.house1b.id)).all()) == 1


def test_someone_registered_elsewhere_is_reported_as_a_move(client, world):
    qian = person("钱七", 2)
    settle(client, world.house1b, person("赵六", 1), qian)
    _, headers = settle(client, world.house2b, person("孙九", 3))
    response = register(client, letter_token(world.house2b), headers, [qian])
    assert response.status_code == 201
    moving = response.json["members"][0]
    # Not silently confirmed by the new head, and not duplicated: pending, marked with where they come from.
    assert moving["status"] == "pending" and moving["move_from_household_id"] == world.house1b.id
    notice = db.session.scalar(select(Notification).where(Notification.recipient_staff_id == world.head2.id,
                                                          Notification.kind == "member_move"))
    assert "钱七" in notice.body and world.house2b.code in notice.body
    pending = client.get(f"/api/grids/{world.grid2.id}/pending", headers=f.auth(world.head2)).json
    assert [(p["name"], p["move_from_code"]) for p in pending] == [("钱七", world.house1b.code)]

    assert client.post(f"/api/members/{moving['id']}/confirm", headers=headers).status_code == 403
    assert client.post(f"/api/members/{moving['id']}/confirm", headers=f.auth(world.head2)).status_code == 200
    left = [m.name for m in db.session.scalars(select(Resident).where(Resident.household_id == world.house1b.id))]
    assert left == ["赵六"]
    assert db.session.scalar(select(Notification).where(Notification.recipient_staff_id == world.head1.id,
                                                        Notification.kind == "member_moved_out")) is not None


def test_a_registered_user_moves_only_through_the_grid_head(client, world):
    zhao = person("赵六", 1)
    identity, headers = settle(client, world.house1b, zhao)
    other = letter_token(world.house2b)
    family_only = register(client, other, headers, [person("钱七", 2)])
    assert family_only.status_code == 409 and "registered in another household" in family_only.json["message"]
    someone_else = register(client, other, headers, [person("赵六", 9, is_self=True)])
    assert someone_else.status_code == 409 and "not the ID number you are registered with" in \
        someone_else.json["message"]

    move = register(client, other, headers, [dict(zhao, is_self=True)], claim_head=True)
    assert move.status_code == 201
    member = move.json["members"][0]
    assert member["status"] == "pending" and member["move_from_household_id"] == world.house1b.id
    # Until the grid head confirms, the user still belongs to the old household.
    assert client.get("/api/my/household", headers=headers).json["household"]["id"] == world.house1b.id
    assert client.get(f"/api/scan/{other}").json["has_head"] is False

    assert client.post(f"/api/members/{member['id']}/confirm", headers=f.auth(world.head2)).status_code == 200
    assert client.get("/api/my/household", headers=headers).json["household"]["id"] == world.house2b.id
    assert db.session.get(WeChatIdentity, identity.id).resident_id == member["id"]
    assert client.get(f"/api/scan/{other}").json["has_head"] is True
    assert client.get(f"/api/scan/{letter_token(world.house1b)}").json["has_head"] is False


def test_a_correction_cannot_copy_someone_elses_id_number(client, world):
    _, headers = settle(client, world.house1b, person("赵六", 1), person("钱七", 2))
    settle(client, world.house2b, person("孙九", 3))
    qian = db.session.scalar(select(Resident).where(Resident.name == "钱七"))
    mine = client.patch(f"/api/members/{qian.id}", json={"id_number": f.id_number(1)}, headers=headers)
    assert mine.status_code == 409 and "in this household already" in mine.json["message"]
    theirs = client.patch(f"/api/members/{qian.id}", json={"id_number": f.id_number(3)}, headers=headers)
    assert theirs.status_code == 409 and "another household" in theirs.json["message"]
    fixed = client.patch(f"/api/members/{qian.id}", json={"id_number": f.id_number(4)}, headers=headers)
    assert fixed.status_code == 200 and fixed.json["id_number"].endswith(f.id_number(4)[-4:])

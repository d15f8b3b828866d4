"""The rule "a household fully registered": when a confirmation leaves nobody of a household pending, the household
earns the community's points for it, once ever, whatever is confirmed, rejected or confirmed again later."""
from sqlalchemy import select

from app.models import PointAccount, PointEntry
from app.web.extensions import db
from tests import factories as f
from tests.residents.helpers import letter_token, newcomer, person, register


def household_entries(house) -> list[tuple[int, str, str]]:
    db.session.rollback()
    return [(e.points, e.kind, e.source) for e in db.session.scalars(
        select(PointEntry).join(PointAccount).where(PointAccount.household_id == house.id).order_by(PointEntry.id))]


def pending_member(client, token, serial, name):
    _, headers = newcomer()
    answer = register(client, token, headers, [person(name, serial, "租户", is_self=True)])
    assert answer.json["members"][0]["status"] == "pending"
    return answer.json["members"][0]["id"]


def act(client, who, member_id, action):
    return client.post(f"/api/members/{member_id}/{action}", headers=f.auth(who))


def test_the_last_pending_member_confirmed_earns_the_household_its_points_once(client, world):
    token = letter_token(world.house1b)
    first, second = pending_member(client, token, 1, "周一"), pending_member(client, token, 2, "周二")
    assert act(client, world.head1, first, "confirm").status_code == 200
    assert household_entries(world.house1b) == []   # 周二 still waits
    assert act(client, world.head1, second, "confirm").status_code == 200
    awarded = [(5, "rule", f"household:{world.house1b.id}")]
    assert household_entries(world.house1b) == awarded
    # Confirming again is refused and awards nothing; a later member confirmed leaves the household as it was.
    assert act(client, world.head1, second, "confirm").status_code == 409
    assert act(client, world.head1, pending_member(client, token, 3, "周三"), "confirm").status_code == 200
    assert household_entries(world.house1b) == awarded
    balance = client.get("/api/my/points", headers=f.auth(world.wechat1)).json   # another household's resident
    assert all(a["balance"] == 0 for a in balance["accounts"])


def test_a_rejection_then_the_last_confirmation_awards_and_a_reversed_award_is_not_given_again(client, world):
    token = letter_token(world.house1b)
    kept, turned_down = pending_member(client, token, 4, "吴一"), pending_member(client, token, 5, "吴二")
    assert act(client, world.head1, turned_down, "reject").status_code == 204
    assert household_entries(world.house1b) == []   # a rejection is no confirmation
    act(client, world.head1, kept, "confirm")
    [(points, _, source)] = household_entries(world.house1b)
    entry = db.session.scalar(select(PointEntry).where(PointEntry.source == source))
    reversed_ = client.post(f"/api/points/entries/{entry.id}/reverse", headers=f.auth(world.head1),
                            json={"reason": "登记有误"})
    assert reversed_.status_code == 201
    act(client, world.head1, pending_member(client, token, 6, "吴三"), "confirm")
    assert [e[:2] for e in household_entries(world.house1b)] == [(5, "rule"), (-5, "reversal")]


def test_a_head_registering_the_whole_family_at_once_earns_it_and_other_houses_nothing(client, world):
    _, headers = newcomer()
    family = [person("郑一", 7, is_self=True), person("郑二", 8, "配偶")]
    assert register(client, letter_token(world.house2b), headers, family, claim_head=True).status_code == 201
    assert household_entries(world.house2b) == [(5, "rule", f"household:{world.house2b.id}")]
    pending_member(client, letter_token(world.house1b), 9, "冯一")
    assert household_entries(world.house1b) == [] and household_entries(world.house1) == []


def test_a_retired_rule_awards_no_household(client, world):
    rule = next(r for r in client.get("/api/points/rules", headers=f.auth(world.admin_a)).json
                if r["code"] == "household_registered")
    client.patch(f"/api/points/rules/{rule['id']}", headers=f.auth(world.admin_a), json={"active": False})
    act(client, world.head1, pending_member(client, letter_token(world.house1b), 10, "陈一"), "confirm")
    assert household_entries(world.house1b) == []

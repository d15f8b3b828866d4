"""The points ledger as staff and residents use it: rule awards once per act, manual awards and deductions with a
reason (audited), reversals, balances that are the sum of the entries, leaderboards."""
from datetime import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.auth.principal import Principal
from app.clock import UTC
from app.models import AuditEvent, PointAccount, PointEntry, Reward, Role
from app.points import rewards, services
from app.web.extensions import db
from app.web.refusals import Conflict
from tests import factories as f


def give(client, who, **body):
    return client.post("/api/points/entries", headers=f.auth(who), json={"reason": "协助整治楼道", **body})


def balances(client, who):
    return {a["holder"]: a["balance"] for a in client.get("/api/my/points", headers=f.auth(who)).json["accounts"]}


def test_a_rule_awards_once_per_holder_and_act(app, world):
    first = services.award_by_rule(world.resident1, "wish_fulfilled", "wish:1")
    again = services.award_by_rule(world.resident1, "wish_fulfilled", "wish:1")
    other = services.award_by_rule(world.resident1, "wish_fulfilled", "wish:2")
    db.session.commit()
    assert first.points == 10 and again is None and other.points == 10
    assert services.account_for(world.resident1).balance == 20


def test_a_retired_rule_awards_nothing(client, world):
    rules = client.get("/api/points/rules", headers=f.auth(world.admin_a)).json
    assert [r["code"] for r in rules] == ["wish_fulfilled", "activity_checkin", "household_registered"]
    checkin = next(r for r in rules if r["code"] == "activity_checkin")
    changed = client.patch(f"/api/points/rules/{checkin['id']}", headers=f.auth(world.admin_a), json={"active": False})
    assert changed.status_code == 200 and changed.json["active"] is False
    assert services.award_by_rule(world.resident1, "activity_checkin", "activity:1") is None
    assert client.patch(f"/api/points/rules/{checkin['id']}", headers=f.auth(world.admin_b),
                        json={"points": 1}).status_code == 404


def test_staff_award_and_deduct_with_a_reason_audited_and_never_below_zero(client, world):
    award = give(client, world.head1, resident_id=world.resident1.id, points=8)
    assert award.status_code == 201 and award.json["kind"] == "manual"
    assert give(client, world.head1, resident_id=world.resident1.id, points=-3).status_code == 201
    too_much = give(client, world.head1, resident_id=world.resident1.id, points=-6)
    assert too_much.status_code == 409 and "Not enough points" in too_much.json["message"]
    assert balances(client, world.wechat1) == {"person": 5, "household": 0}
    audited = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert audited == ["points_award", "points_deduct"]


def test_staff_give_only_in_their_place(client, world):
    assert give(client, world.head1, resident_id=world.resident2.id, points=5).status_code == 404   # grid 2
    assert give(client, world.head1, household_id=world.house2.id, points=5).status_code == 404
    assert give(client, world.admin_b, resident_id=world.resident1.id, points=5).status_code == 404
    assert give(client, world.head1, staff_id=world.leader.id, points=5).status_code == 404   # the admin's only
    assert give(client, world.admin_a, staff_id=world.leader.id, points=5).status_code == 201
    assert give(client, world.admin_a, household_id=world.house2.id, points=5).status_code == 201
    assert client.post("/api/points/entries", headers=f.auth(world.wechat1),
                       json={"resident_id": world.resident1.id, "points": 5, "reason": "自己给"}).status_code == 403


def test_staff_award_no_points_to_themselves(client, world):
    """Not to their staff account, nor to the member record (or household) of the WeChat user bound to it."""
    assert give(client, world.admin_a, staff_id=world.admin_a.id, points=5).status_code == 403
    world.wechat1.staff_id = world.head1.id   # head1 lives in house1 as resident1
    db.session.commit()
    for body in ({"resident_id": world.resident1.id}, {"household_id": world.house1.id}):
        refused = give(client, world.head1, points=5, **body)
        assert refused.status_code == 403 and "themselves" in refused.json["message"]
        assert give(client, world.admin_a, points=5, **body).status_code == 201
    assert give(client, world.head1, resident_id=world.resident1.id, points=-2).status_code == 201   # a deduction


def test_bad_manual_entries_name_the_field(client, world):
    for body, field in [({"points": 5}, "resident_id"), ({"resident_id": 1, "household_id": 1, "points": 5}, "resident_id"),
                        ({"resident_id": 1, "points": 0}, "points"), ({"resident_id": 1, "points": 5, "reason": ""}, "reason")]:
        answer = client.post("/api/points/entries", headers=f.auth(world.admin_a), json={"reason": "理由", **body})
        assert answer.status_code == 422 and field in answer.json["message"], body


def test_a_reversal_is_a_new_entry_once_and_not_of_spent_points(client, world):
    award = give(client, world.admin_a, household_id=world.house1.id, points=4).json
    reversed_ = client.post(f"/api/points/entries/{award['id']}/reverse", headers=f.auth(world.head1),
                            json={"reason": "重复登记"})
    assert reversed_.status_code == 201 and reversed_.json["points"] == -4 and reversed_.json["reverses_id"] == award["id"]
    again = client.post(f"/api/points/entries/{award['id']}/reverse", headers=f.auth(world.head1), json={"reason": "再来"})
    assert again.status_code == 409
    assert client.post(f"/api/points/entries/{award['id']}/reverse", headers=f.auth(world.head2),
                       json={"reason": "别的网格"}).status_code == 404
    assert db.session.scalar(select(func.count(PointEntry.id))) == 2   # the award stays
    spent = give(client, world.admin_a, resident_id=world.resident1.id, points=3).json
    give(client, world.admin_a, resident_id=world.resident1.id, points=-3)
    refused = client.post(f"/api/points/entries/{spent['id']}/reverse", headers=f.auth(world.admin_a), json={"reason": "错"})
    assert refused.status_code == 409 and "Not enough points" in refused.json["message"]


def test_leaderboards_by_grid_and_community_month_and_year_with_masked_names(client, world):
    services.manual(Principal(Role.ADMIN, world.admin_a), world.resident1, 7, "志愿服务")
    services.manual(Principal(Role.ADMIN, world.admin_a), world.resident2, 9, "志愿服务")
    last_year = services.manual(Principal(Role.ADMIN, world.admin_a), world.resident2, 50, "去年")
    last_year.created_at = datetime(2025, 6, 1, tzinfo=UTC)
    db.session.commit()
    month = datetime.now(UTC).strftime("%Y-%m")
    board = client.get(f"/api/points/leaderboard?period={month}", headers=f.auth(world.wechat1)).json
    assert [(r["rank"], r["name"], r["points"]) for r in board["leaders"]] == [(1, "李*", 9), (2, "李*", 7)]
    grid1 = client.get(f"/api/points/leaderboard?grid_id={world.grid1.id}", headers=f.auth(world.head1)).json
    assert [r["points"] for r in grid1["leaders"]] == [7]
    year = client.get("/api/points/leaderboard?period=2025", headers=f.auth(world.admin_a)).json
    assert [r["points"] for r in year["leaders"]] == [50]
    assert client.get("/api/points/leaderboard?period=2025-13", headers=f.auth(world.admin_a)).status_code == 422
    assert client.get(f"/api/points/leaderboard?grid_id={world.grid_b.id}",
                      headers=f.auth(world.admin_a)).status_code == 422
    sheet = client.get(f"/api/points/leaderboard?period={month}&format=xlsx", headers=f.auth(world.admin_a))
    rows = list(load_workbook(__import__("io").BytesIO(sheet.data)).active.values)
    assert rows[1] == ("名次 rank", "姓名 name", "类型 kind", "积分 points") and rows[2] == (1, "李*", "person", 9)


def test_the_leaderboard_answers_after_a_member_who_earned_points_removed_their_own_record(client, world):
    """Their account stays, held by nobody (its entries are the ledger's): the board leaves it out, in every form."""
    leaver, leaver_wechat = f.resident(world.house1, name="钱七")
    services.manual(Principal(Role.ADMIN, world.admin_a), leaver, 30, "志愿服务")
    services.manual(Principal(Role.ADMIN, world.admin_a), world.resident1, 7, "志愿服务")
    db.session.commit()
    assert client.delete(f"/api/members/{leaver.id}", headers=f.auth(leaver_wechat)).status_code == 204
    for who in (world.wechat1, world.head1, world.admin_a):
        for query in ("", f"?grid_id={world.grid1.id}"):
            board = client.get(f"/api/points/leaderboard{query}", headers=f.auth(who))
            assert board.status_code == 200, (who, query)
            assert [(r["rank"], r["name"], r["points"]) for r in board.json["leaders"]] == [(1, "李*", 7)]
            sheet = client.get(f"/api/points/leaderboard{query}{'&' if query else '?'}format=xlsx",
                               headers=f.auth(who))
            assert sheet.status_code == 200
            assert list(load_workbook(__import__("io").BytesIO(sheet.data)).active.values)[2:] == [(1, "李*", "person", 7)]


# -- the invariants, over any sequence of operations -----------------------------------------------------------

OPERATIONS = st.lists(st.tuples(st.sampled_from(["award", "deduct", "reverse", "redeem"]),
                                st.integers(min_value=0, max_value=3), st.integers(min_value=1, max_value=30)),
                      max_size=25)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=OPERATIONS)
def test_every_balance_is_the_sum_of_its_entries_and_never_negative(app, world, operations):
    admin = Principal(Role.ADMIN, world.admin_a)
    holders = [world.resident1, world.resident2, world.house1, world.head1]
    reward = Reward(community_id=world.a.id, name="大米", cost=7, stock=5, active=True)
    db.session.add(reward)
    db.session.flush()
    for name, which, points in operations:
        holder = holders[which]
        try:
            with db.session.begin_nested():
                if name == "award":
                    services.manual(admin, holder, points, "奖励")
                elif name == "deduct":
                    services.manual(admin, holder, -points, "扣分")
                elif name == "redeem":
                    rewards.redeem(reward.id, services.account_for(holder))
                else:
                    entries = db.session.scalars(select(PointEntry).where(PointEntry.kind == "manual")).all()
                    if entries:
                        services.reverse(admin, entries[points % len(entries)], "更正")
        except Conflict:
            pass   # refused, and nothing of it kept
        for account in db.session.scalars(select(PointAccount).execution_options(populate_existing=True)):
            total = db.session.scalar(select(func.coalesce(func.sum(PointEntry.points), 0))
                                      .where(PointEntry.account_id == account.id))
            assert account.balance == total >= 0
        db.session.refresh(reward)
        assert reward.stock >= 0
    db.session.rollback()

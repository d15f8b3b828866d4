"""Rewards: the admin's catalogue with stock, redeeming points for one, staff handing it over; and on PostgreSQL,
concurrent redemptions never take the stock or a balance below zero."""
import threading

from sqlalchemy import func, select

from app.auth.principal import Principal
from app.models import PointAccount, PointEntry, Redemption, Reward, Role
from app.points import rewards, services
from app.web.extensions import db
from app.web.refusals import Conflict
from tests import factories as f


def add_reward(client, world, **body):
    answer = client.post("/api/rewards", headers=f.auth(world.admin_a),
                         json={"name": "洗衣液", "cost": 10, "stock": 2, **body})
    assert answer.status_code == 201, answer.json
    return answer.json


def points_for(world, holder, points):
    services.manual(Principal(Role.ADMIN, world.admin_a), holder, points, "志愿服务")
    db.session.commit()


def redeem(client, who, reward_id, **body):
    return client.post(f"/api/rewards/{reward_id}/redeem", headers=f.auth(who), json=body)


def test_redeeming_debits_points_and_stock_and_staff_hand_it_over(client, world):
    reward = add_reward(client, world)
    points_for(world, world.resident1, 25)
    first = redeem(client, world.wechat1, reward["id"])
    assert first.status_code == 201 and first.json["cost"] == 10 and first.json["handed_over_at"] is None
    assert redeem(client, world.wechat1, reward["id"]).status_code == 201
    empty = redeem(client, world.wechat1, reward["id"])
    assert empty.status_code == 409 and "out of stock" in empty.json["message"]
    mine = client.get("/api/my/points", headers=f.auth(world.wechat1)).json
    assert mine["accounts"][0]["balance"] == 5
    assert [e["kind"] for e in mine["entries"]] == ["redemption", "redemption", "manual"]
    listed = client.get("/api/rewards", headers=f.auth(world.wechat1)).json
    assert listed[0]["stock"] == 0
    waiting = client.get("/api/redemptions", headers=f.auth(world.head1)).json
    assert len(waiting) == 2 and client.get("/api/redemptions", headers=f.auth(world.head2)).json == []
    done = client.post(f"/api/redemptions/{first.json['id']}/handed-over", headers=f.auth(world.head1))
    assert done.status_code == 200 and done.json["handed_over_at"]
    assert client.post(f"/api/redemptions/{first.json['id']}/handed-over", headers=f.auth(world.admin_a)).status_code == 409
    assert client.post(f"/api/redemptions/{first.json['id']}/handed-over", headers=f.auth(world.head2)).status_code == 404
    assert len(client.get("/api/redemptions", headers=f.auth(world.admin_a)).json) == 1


def test_not_enough_points_keeps_the_stock(client, world):
    reward = add_reward(client, world, cost=30)
    points_for(world, world.resident1, 29)
    refused = redeem(client, world.wechat1, reward["id"])
    assert refused.status_code == 409 and "Not enough points" in refused.json["message"]
    assert db.session.get(Reward, reward["id"]).stock == 2
    assert db.session.scalar(select(func.count(Redemption.id))) == 0


def test_household_points_are_the_heads_to_spend(client, world):
    reward = add_reward(client, world)
    points_for(world, world.house1, 10)
    _, member = f.resident(world.house1, name="李小", is_head=False)
    db.session.commit()
    assert redeem(client, member, reward["id"], account="household").status_code == 403
    assert redeem(client, world.wechat1, reward["id"], account="household").status_code == 201
    assert redeem(client, world.admin_a, reward["id"], account="household").status_code == 403


def test_the_catalogue_is_the_communitys_and_the_admins(client, world):
    reward = add_reward(client, world)
    assert client.patch(f"/api/rewards/{reward['id']}", headers=f.auth(world.admin_b), json={"stock": 9}).status_code == 404
    _, stranger = f.resident(world.house_b, name="王五")
    db.session.commit()
    assert redeem(client, stranger, reward["id"]).status_code == 404
    withdrawn = client.patch(f"/api/rewards/{reward['id']}", headers=f.auth(world.admin_a), json={"active": False})
    assert withdrawn.status_code == 200
    assert client.get("/api/rewards", headers=f.auth(world.wechat1)).json == []
    assert len(client.get("/api/rewards", headers=f.auth(world.admin_a)).json) == 1
    points_for(world, world.resident1, 10)
    assert redeem(client, world.wechat1, reward["id"]).status_code == 409
    bad = client.post("/api/rewards", headers=f.auth(world.admin_a), json={"name": "米", "cost": 0, "stock": 1})
    assert bad.status_code == 422 and "cost" in bad.json["message"]
    assert client.post("/api/rewards", headers=f.auth(world.head1), json={"name": "米", "cost": 1, "stock": 1}).status_code == 403


def _race(app, count, attempt):
    """Run attempt(i) in `count` threads at once, each with its own app context (its own connection)."""
    barrier, outcomes = threading.Barrier(count), []

    def run(i):
        with app.app_context():
            barrier.wait()
            try:
                attempt(i)
                db.session.commit()
                outcomes.append("ok")
            except Conflict:
                db.session.rollback()
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_30_concurrent_redemptions_of_10_in_stock_make_exactly_10(app, world):
    reward = Reward(community_id=world.a.id, name="食用油", cost=5, stock=10, active=True)
    people = [f.resident(world.house1b, name=f"志愿者{i}")[0] for i in range(30)]
    db.session.add(reward)
    db.session.flush()
    accounts = [services.account_for(person).id for person in people]
    for person in people:
        services.manual(Principal(Role.ADMIN, world.admin_a), person, 5, "志愿服务")
    db.session.commit()
    reward_id = reward.id
    outcomes = _race(app, 30, lambda i: rewards.redeem(reward_id, db.session.get(PointAccount, accounts[i])))
    assert outcomes.count("ok") == 10 and outcomes.count("refused") == 20
    db.session.expire_all()
    assert db.session.get(Reward, reward_id).stock == 0
    assert db.session.scalar(select(func.count(Redemption.id))) == 10
    assert db.session.scalar(select(func.count(PointAccount.id)).where(PointAccount.balance == 0)) == 10


def test_concurrent_redemptions_never_take_a_balance_below_zero(app, world):
    reward = Reward(community_id=world.a.id, name="毛巾", cost=10, stock=100, active=True)
    db.session.add(reward)
    points_for(world, world.resident1, 50)
    account_id, reward_id = services.account_for(world.resident1).id, reward.id
    outcomes = _race(app, 20, lambda i: rewards.redeem(reward_id, db.session.get(PointAccount, account_id)))
    assert outcomes.count("ok") == 5
    db.session.expire_all()
    assert db.session.get(PointAccount, account_id).balance == 0
    assert db.session.scalar(select(func.sum(PointEntry.points)).where(PointEntry.account_id == account_id)) == 0
    assert db.session.get(Reward, reward_id).stock == 95

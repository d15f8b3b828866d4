"""A wish's life: posted, approved or rejected by the grid head, claimed by one volunteer, fulfilled, confirmed
(the claimer earns points), cancelled before a claim, or lapsed back to the wall when the claim runs out."""
from datetime import timedelta

from sqlalchemy import select

from app.clock import utcnow
from app.models import Notification, PointEntry, Wish, WishStatus
from app.web.extensions import db
from app.wishes.lifecycle import lapse_overdue
from tests import factories as f
from tests.requests.helpers import notices
from tests.wishes.helpers import post, step


def clear_outbox():
    db.session.query(Notification).delete()
    db.session.commit()


def test_a_residents_wish_from_post_to_close_with_notices_timeline_and_points(client, world):
    wish = post(client, world.wechat1, estimated_value=80)
    assert wish["status"] == "submitted" and wish["household"]["id"] == world.house1.id and wish["name"] == "李四"
    assert notices() == [(world.head1, "wish_submitted")]
    clear_outbox()
    approved = step(client, world.head1, wish["id"], "approve")
    assert approved.status_code == 200 and approved.json["status"] == "approved"
    claimed = step(client, world.wechat2, wish["id"], "claim")
    assert claimed.status_code == 200 and claimed.json["status"] == "claimed"
    # The claimer learns the grid head's contact, not the house, and the person's name masked.
    assert claimed.json["grid_head"] == {"name": "王网格", "phone": world.head1.phone}
    assert claimed.json["household"] is None and claimed.json["name"] == "李*"
    assert step(client, world.wechat1, wish["id"], "fulfil", note="送到了").status_code == 403   # not the claimer
    fulfilled = step(client, world.wechat2, wish["id"], "fulfil", note="已送上收音机并调好频道")
    assert fulfilled.json["status"] == "fulfilled"
    closed = step(client, world.wechat1, wish["id"], "confirm")
    assert closed.status_code == 200 and closed.json["status"] == "closed"
    assert [e["action"] for e in closed.json["events"]] == ["submit", "approve", "claim", "fulfil", "confirm"]
    assert notices() == [(world.wechat1, "wish_approved"), (world.wechat1, "wish_claimed"), (world.head1, "wish_claimed"),
                         (world.wechat1, "wish_fulfilled"), (world.head1, "wish_fulfilled"),
                         (world.wechat2, "wish_confirmed")]
    [award] = db.session.scalars(select(PointEntry)).all()
    assert (award.points, award.source, award.account.resident_id) == (10, f"wish:{wish['id']}", world.resident2.id)


def test_the_grid_head_rejects_with_a_reason_and_only_their_grids(client, world):
    wish = post(client, world.wechat1)
    assert step(client, world.head2, wish["id"], "approve").status_code == 404
    assert step(client, world.head1, wish["id"], "reject").status_code == 422   # the reason
    rejected = step(client, world.head1, wish["id"], "reject", reason="请通过低保渠道申请")
    assert rejected.json["status"] == "rejected" and rejected.json["reject_reason"] == "请通过低保渠道申请"
    assert step(client, world.head1, wish["id"], "approve").status_code == 409
    assert notices()[-1] == (world.wechat1, "wish_rejected")


def test_staff_post_on_someones_behalf_with_a_tag_only_staff_see(client, world):
    body = dict(household_id=world.house1b.id, beneficiary_name="赵奶奶", vulnerability="elderly_alone",
                text="希望有人陪我聊聊天", category="companionship")
    wish = post(client, world.leader, **body)
    assert wish["vulnerability"] == "elderly_alone" and wish["name"] == "赵奶奶"
    assert client.post("/api/wishes", headers=f.auth(world.head2), json=body).status_code == 404   # not their grid
    missing = client.post("/api/wishes", headers=f.auth(world.head1), json={**body, "vulnerability": None})
    assert missing.status_code == 422
    tagged = client.post("/api/wishes", headers=f.auth(world.wechat1), json=body)
    assert tagged.status_code == 422 and tagged.json["message"].startswith("household_id:")
    step(client, world.head1, wish["id"], "approve")
    claimed = step(client, world.wechat1, wish["id"], "claim").json
    assert claimed["vulnerability"] is None and claimed["name"] == "赵**"
    # The poster confirms (the wisher is the staff member who posted it), as may the grid head.
    step(client, world.wechat1, wish["id"], "fulfil", note="陪聊一小时")
    assert step(client, world.leader, wish["id"], "confirm").json["status"] == "closed"


def test_bad_wishes_name_the_field(client, world):
    for body, field in [({"text": "x" * 201}, "text"), ({"category": "money"}, "category"),
                        ({"estimated_value": 201}, "estimated_value"), ({"text": ""}, "text")]:
        answer = client.post("/api/wishes", headers=f.auth(world.wechat1),
                             json={"text": "想要一台收音机", "category": "goods", **body})
        assert answer.status_code == 422 and field in answer.json["message"], body
    cap = client.put("/api/community/wish-settings", headers=f.auth(world.admin_a), json={"value_cap": 500})
    assert cap.status_code == 200 and cap.json == {"value_cap": 500, "claim_days": 7}
    assert post(client, world.wechat1, estimated_value=300)["estimated_value"] == 300


def test_the_wisher_cancels_before_a_claim_only(client, world):
    first, second = post(client, world.wechat1), post(client, world.wechat1)
    assert step(client, world.wechat1, first["id"], "cancel").json["status"] == "cancelled"
    assert step(client, world.head1, second["id"], "cancel").status_code == 403
    step(client, world.head1, second["id"], "approve")
    step(client, world.wechat2, second["id"], "claim")
    late = step(client, world.wechat1, second["id"], "cancel")
    assert late.status_code == 409 and "claimed" in late.json["message"]


def test_one_claim_at_a_time_by_a_volunteer_or_party_member_and_not_ones_own(client, world):
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    assert step(client, world.wechat1, wish["id"], "claim").status_code == 403   # the wisher's household
    _, neighbour = f.resident(world.house2b, name="邻居")
    db.session.commit()
    unrecorded = step(client, neighbour, wish["id"], "claim")
    assert unrecorded.status_code == 403 and "volunteer or party member" in unrecorded.json["message"]
    assert step(client, world.admin_b, wish["id"], "claim").status_code == 404   # another community
    assert step(client, world.head2, wish["id"], "claim").status_code == 200
    again = step(client, world.wechat2, wish["id"], "claim")
    assert again.status_code == 409
    mine = client.get("/api/wishes?claimed=true", headers=f.auth(world.head2)).json
    assert [w["id"] for w in mine] == [wish["id"]]


def _claimed_wish(client, world):
    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    step(client, world.wechat2, wish["id"], "claim")
    return db.session.get(Wish, wish["id"])


def test_a_claim_not_fulfilled_in_time_lapses_back_to_the_wall_exactly_once(client, world):
    wish = _claimed_wish(client, world)
    clear_outbox()
    assert lapse_overdue(utcnow() + timedelta(days=6)) == 0
    assert lapse_overdue(utcnow() + timedelta(days=7, minutes=1)) == 1
    assert lapse_overdue(utcnow() + timedelta(days=8)) == 0
    detail = client.get(f"/api/wishes/{wish.id}", headers=f.auth(world.wechat1)).json
    assert detail["status"] == "approved" and detail["claimed"] is False
    assert detail["events"][-1]["action"] == "lapse" and detail["events"][-1]["role"] is None
    assert notices() == [(world.wechat2, "wish_lapsed"), (world.head1, "wish_lapsed")]
    assert step(client, world.wechat2, wish.id, "fulfil", note="晚了").status_code == 404   # no longer theirs
    assert step(client, world.head2, wish.id, "claim").status_code == 200


def test_the_scheduled_job_lapses_claims(app, client, world):
    wish = _claimed_wish(client, world)
    wish.claim_due_at, wish_id = utcnow() - timedelta(minutes=1), wish.id
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["escalate"])
    assert "lapsed 1 wish claim(s)" in result.output
    assert db.session.get(Wish, wish_id).status is WishStatus.APPROVED


def test_two_claims_at_once_make_exactly_one(app, client, world):
    from app.auth.principal import Principal
    from app.wishes.lifecycle import claim, wish_or_404
    from tests.points.test_rewards import _race

    wish = post(client, world.wechat1)
    step(client, world.head1, wish["id"], "approve")
    claimers = [world.head2.id, world.leader.id]

    def attempt(i):
        from app.models import Staff
        staff = db.session.get(Staff, claimers[i])
        p = Principal(staff.role, staff)
        claim(wish_or_404(wish["id"], p, claimable=True), p)

    assert sorted(_race(app, 2, attempt)) == ["ok", "refused"]
    db.session.expire_all()
    found = db.session.get(Wish, wish["id"])
    assert found.status is WishStatus.CLAIMED and found.claimed_by_staff_id in claimers
    assert [e.action for e in found.events].count("claim") == 1


def test_two_lapse_runners_at_once_lapse_once(app, client, world):
    from tests.points.test_rewards import _race
    wish = _claimed_wish(client, world)
    later = utcnow() + timedelta(days=8)
    counts = []
    _race(app, 2, lambda i: counts.append(lapse_overdue(later)))
    assert sorted(counts) == [0, 1]
    db.session.expire_all()
    assert [e.action for e in db.session.get(Wish, wish.id).events].count("lapse") == 1


def test_figures_count_wishes_and_points(client, world):
    done = _claimed_wish(client, world)
    step(client, world.wechat2, done.id, "fulfil", note="已送到")
    step(client, world.head1, done.id, "confirm")
    post(client, world.wechat1, text="第二个心愿")
    figures = client.get("/api/figures/community-life", headers=f.auth(world.admin_a))
    assert figures.status_code == 200
    assert figures.json["wishes"] == {"collected": 2, "claimed": 1, "fulfilled": 1, "median_days_to_fulfil": 0.0}
    assert figures.json["points"] == {"awarded": 10, "deducted": 0, "redeemed": 0, "redemptions": 0}
    assert client.get("/api/figures/community-life?period=2020", headers=f.auth(world.admin_a)).json["wishes"]["collected"] == 0
    assert client.get("/api/figures/community-life", headers=f.auth(world.head1)).status_code == 403


def test_a_member_removed_from_the_household_hears_no_more_of_its_wish(client, world):
    """The wish's notices go to whoever speaks for the household when they are sent: the member who posted it while
    they are one, then the household's head."""
    member, their_wechat = f.resident(world.house1, name="李小")
    db.session.commit()
    wish = post(client, their_wechat)["id"]
    step(client, world.head1, wish, "approve")
    assert client.delete(f"/api/members/{member.id}", headers=f.auth(world.wechat1)).status_code == 204
    clear_outbox()
    step(client, world.wechat2, wish, "claim")
    step(client, world.wechat2, wish, "fulfil", note="周六上午送到，门口密码1234")
    assert notices() == [(world.wechat1, "wish_claimed"), (world.head1, "wish_claimed"),
                         (world.wechat1, "wish_fulfilled"), (world.head1, "wish_fulfilled")]


def test_who_approved_a_wish_never_claims_it_and_who_claimed_it_never_confirms_it(client, world):
    """head2 heads grid 2 and is a volunteer: they approve a wish of their grid, then cannot claim it; one the admin
    approved they claim and fulfil, but the wisher (or the admin), not they, confirms it. The award is audited."""
    from app.models import AuditEvent
    approved_by_them = post(client, world.wechat2)["id"]
    assert step(client, world.head2, approved_by_them, "approve").status_code == 200
    refused = step(client, world.head2, approved_by_them, "claim")
    assert refused.status_code == 403 and "approved" in refused.json["message"]
    wish = post(client, world.wechat2)["id"]
    step(client, world.admin_a, wish, "approve")
    assert step(client, world.head2, wish, "claim").status_code == 200
    assert step(client, world.head2, wish, "fulfil", note="已送到").status_code == 200
    own = step(client, world.head2, wish, "confirm")
    assert own.status_code == 403 and "claimed" in own.json["message"]
    assert step(client, world.wechat2, wish, "confirm").status_code == 200
    [award] = db.session.scalars(select(PointEntry)).all()
    assert award.account.staff_id == world.head2.id
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "points_award")).all()
    assert [(a.object_id, a.actor_wechat_id, a.reason) for a in audited] == [
        (str(award.id), world.wechat2.id, f"完成微心愿 wish:{wish}")]


def test_a_wish_of_a_grid_without_an_active_head_is_the_admins_to_hear_of(client, world):
    world.head1.active = False
    db.session.commit()
    post(client, world.wechat1)
    world.grid1.head = None
    db.session.commit()
    post(client, world.wechat1)
    assert notices() == [(world.admin_a, "wish_submitted")] * 2

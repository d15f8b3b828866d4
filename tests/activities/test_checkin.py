"""Staff create an activity with a QR code; people scan it in WeChat to check in, once, inside its time, and earn
its points; a reprinted code checks nobody in; on PostgreSQL two check-ins at once make one award."""
from datetime import timedelta

from sqlalchemy import func, select

from app.activities.services import check_in
from app.auth.principal import Principal
from app.clock import utcnow
from app.models import CheckIn, PointEntry, Role, Staff
from app.web.extensions import db
from tests import factories as f


def create(client, who, **body):
    now = utcnow()
    return client.post("/api/activities", headers=f.auth(who), json={
        "title": "社区义诊", "place": "社区广场", "starts_at": (now - timedelta(hours=1)).isoformat(),
        "ends_at": (now + timedelta(hours=2)).isoformat(), **body})


def token_of(client, who, activity_id):
    return client.post(f"/api/activities/{activity_id}/code", headers=f.auth(who)).json["token"]


def test_check_in_once_inside_the_window_earns_the_points(client, world):
    activity = create(client, world.admin_a, points=8)
    assert activity.status_code == 201 and activity.json["points"] == 8
    token = token_of(client, world.admin_a, activity.json["id"])
    first = client.post(f"/api/checkin/{token}", headers=f.auth(world.wechat1))
    assert first.status_code == 201 and first.json["activity"]["title"] == "社区义诊"
    again = client.post(f"/api/checkin/{token}", headers=f.auth(world.wechat1))
    assert again.status_code == 409 and "already" in again.json["message"]
    mine = client.get("/api/my/points", headers=f.auth(world.wechat1)).json
    assert mine["accounts"][0]["balance"] == 8 and mine["entries"][0]["reason"] == "社区义诊"
    listed = client.get("/api/activities", headers=f.auth(world.wechat2)).json
    assert listed[0]["check_ins"] == 1


def test_outside_the_window_or_another_community_or_a_reprinted_code(client, world):
    now = utcnow()
    later = create(client, world.admin_a, starts_at=(now + timedelta(days=1)).isoformat(),
                   ends_at=(now + timedelta(days=1, hours=2)).isoformat()).json
    early = client.post(f"/api/checkin/{token_of(client, world.admin_a, later['id'])}", headers=f.auth(world.wechat1))
    assert early.status_code == 409 and "open from" in early.json["message"]
    activity = create(client, world.admin_a).json
    old = token_of(client, world.admin_a, activity["id"])
    _, stranger = f.resident(world.house_b, name="王五")
    db.session.commit()
    assert client.post(f"/api/checkin/{old}", headers=f.auth(stranger)).status_code == 404
    new = token_of(client, world.admin_a, activity["id"])
    reprinted = client.post(f"/api/checkin/{old}", headers=f.auth(world.wechat1))
    assert reprinted.status_code == 410 and "replaced" in reprinted.json["message"]   # revoked, as a letter's
    assert client.post(f"/api/checkin/{new}", headers=f.auth(world.wechat1)).status_code == 201
    assert client.post(f"/api/checkin/{new}", headers=f.auth(world.head1)).status_code == 403   # not from WeChat


def test_grid_heads_organise_in_their_grids_and_the_poster_is_a_qr_of_the_link(client, world, app):
    assert create(client, world.head1).status_code == 422   # a grid is required of a grid head
    assert create(client, world.head1, grid_id=world.grid2.id).status_code == 404
    mine = create(client, world.head1, grid_id=world.grid1.id)
    assert mine.status_code == 201 and mine.json["points"] == 5   # the community's rule
    assert client.get("/api/activities", headers=f.auth(world.head2)).json == []
    assert create(client, world.wechat1).status_code == 403
    bad = create(client, world.admin_a, ends_at=(utcnow() - timedelta(days=1)).isoformat())
    assert bad.status_code == 422 and bad.json["message"].startswith("ends_at:")
    poster = client.get(f"/api/activities/{mine.json['id']}/code", headers=f.auth(world.head1))
    assert poster.status_code == 200 and poster.mimetype == "image/png" and poster.data.startswith(b"\x89PNG")
    assert client.get(f"/api/activities/{mine.json['id']}/code", headers=f.auth(world.head2)).status_code == 404


def test_two_check_ins_at_once_make_one_award(app, client, world):
    from tests.points.test_rewards import _race
    token = token_of(client, world.admin_a, create(client, world.admin_a, points=6).json["id"])
    wechat_id = world.wechat1.id

    def attempt(i):
        from app.models import WeChatIdentity
        wechat = db.session.get(WeChatIdentity, wechat_id)
        check_in(token, Principal(Role.RESIDENT, wechat=wechat))

    assert sorted(_race(app, 2, attempt)) == ["ok", "refused"]
    assert db.session.scalar(select(func.count(CheckIn.id))) == 1
    assert db.session.scalar(select(func.sum(PointEntry.points))) == 6


def _points_of(person):
    from app.models import PointAccount
    db.session.expire_all()
    column = PointAccount.staff_id if isinstance(person, Staff) else PointAccount.resident_id
    return db.session.scalar(select(PointAccount.balance).where(column == person.id)) or 0


def test_the_organiser_earns_nothing_from_their_own_activity_and_awards_are_audited(client, world):
    """A grid head who made an activity worth 1,000 points checks in from their WeChat: attended, no points."""
    from app.models import AuditEvent
    own_wechat = f.wechat_user()
    own_wechat.staff_id = world.head1.id
    db.session.commit()
    tokens = [token_of(client, world.head1, create(client, world.head1, grid_id=world.grid1.id, points=1000,
                                                   title=f"活动{i}").json["id"]) for i in range(2)]
    for token in tokens:
        assert client.post(f"/api/checkin/{token}", headers=f.auth(own_wechat)).status_code == 201
    assert _points_of(world.head1) == 0
    assert client.post(f"/api/checkin/{tokens[0]}", headers=f.auth(world.wechat1)).status_code == 201
    assert _points_of(world.resident1) == 1000
    [award] = db.session.scalars(select(PointEntry)).all()
    audited = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "points_award")).all()
    assert [(a.object_id, a.actor_wechat_id) for a in audited] == [(str(award.id), world.wechat1.id)]


def test_a_retired_check_in_rule_gives_no_points(client, world):
    rules = client.get("/api/points/rules", headers=f.auth(world.admin_a)).json
    rule = next(r for r in rules if r["code"] == "activity_checkin")
    earlier = create(client, world.admin_a, points=8).json
    retired = client.patch(f"/api/points/rules/{rule['id']}", headers=f.auth(world.admin_a), json={"active": False})
    assert retired.status_code == 200
    made = create(client, world.admin_a)
    assert made.status_code == 201 and made.json["points"] == 0
    refused = create(client, world.admin_a, points=8)
    assert refused.status_code == 422 and refused.json["message"].startswith("points:")
    for activity in (earlier, made.json):
        token = token_of(client, world.admin_a, activity["id"])
        assert client.post(f"/api/checkin/{token}", headers=f.auth(world.wechat1)).status_code == 201
    assert _points_of(world.resident1) == 0
    client.patch(f"/api/points/rules/{rule['id']}", headers=f.auth(world.admin_a), json={"active": True})
    again = create(client, world.admin_a).json
    assert client.post(f"/api/checkin/{token_of(client, world.admin_a, again['id'])}",
                       headers=f.auth(world.wechat1)).status_code == 201
    assert _points_of(world.resident1) == 5

"""Overdue requests climb one level (first responder → grid head → admin), each step exactly once."""
import threading
from datetime import timedelta

from sqlalchemy import func, select

from app.clock import to_utc
from app.models import Notification, RequestEvent, ServiceRequest
from app.requests.escalation import escalate_one, escalate_overdue, overdue
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import act, file, notices


def filed_at(rid):
    return to_utc(db.session.get(ServiceRequest, rid).filed_at)


def state(client, world, rid):
    body = client.get(f"/api/requests/{rid}", headers=f.auth(world.admin_a)).json
    return body["handler"]["id"], body["escalation_level"]


def escalation_notices(world):
    return [n for n in notices() if n[1] == "request_escalated"]


def test_overdue_request_escalates_once_with_one_notification(client, world):
    rid = file(client, world.wechat1, "safety")["id"]   # 24 hours, grid head 1
    start = filed_at(rid)
    assert escalate_overdue(now=start + timedelta(hours=23)) == 0
    assert escalate_overdue(now=start + timedelta(hours=25)) == 1
    assert escalate_overdue(now=start + timedelta(hours=25)) == 0
    assert escalate_overdue(now=start + timedelta(hours=30)) == 0   # the admin is the top
    assert state(client, world, rid) == (world.admin_a.id, 2)
    assert escalation_notices(world) == [(world.admin_a, "request_escalated")]
    event = client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["events"][-1]
    assert event["action"] == "escalate" and event["role"] is None and "网格长升级至社区管理员" in event["note"]


def test_first_responder_then_grid_head_then_admin(client, world):
    rid = file(client, world.wechat1, "dispute")["id"]   # 48 hours, joint-household head first
    start = filed_at(rid)
    assert state(client, world, rid) == (world.joint.id, 0)
    assert escalate_overdue(now=start + timedelta(hours=49)) == 1
    assert state(client, world, rid) == (world.head1.id, 1)
    # The grid head gets a fresh period of their own before it climbs again.
    assert escalate_overdue(now=start + timedelta(hours=90)) == 0
    assert escalate_overdue(now=start + timedelta(hours=98)) == 1
    assert state(client, world, rid) == (world.admin_a.id, 2)
    assert escalation_notices(world) == [(world.head1, "request_escalated"), (world.admin_a, "request_escalated")]


def test_missing_level_is_skipped(client, world):
    world.grid1.head = None
    db.session.commit()
    rid = file(client, world.wechat1, "dispute")["id"]
    assert escalate_overdue(now=filed_at(rid) + timedelta(hours=49)) == 1
    assert state(client, world, rid) == (world.admin_a.id, 2)


def test_resolved_requests_do_not_escalate_and_accepted_ones_do(client, world):
    resolved = file(client, world.wechat1, "safety")["id"]
    accepted = file(client, world.wechat1, "safety")["id"]
    for rid in (resolved, accepted):
        act(client, world.head1, rid, "accept")
    act(client, world.head1, resolved, "resolve", note="ok")
    assert escalate_overdue(now=filed_at(accepted) + timedelta(days=2)) == 1
    body = client.get(f"/api/requests/{accepted}", headers=f.auth(world.admin_a)).json
    assert body["status"] == "accepted" and body["handler"]["id"] == world.admin_a.id


def test_two_runners_that_read_the_same_rows_escalate_once(client, world):
    rid = file(client, world.wechat1, "safety")["id"]
    now = filed_at(rid) + timedelta(hours=25)
    seen_by_a, seen_by_b = overdue(now), overdue(now)
    assert seen_by_a == seen_by_b == [(rid, 1)]
    assert escalate_one(*seen_by_a[0], now) is True
    assert escalate_one(*seen_by_b[0], now) is False
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.kind == "request_escalated")) == 1


def test_concurrent_runs_escalate_once(app, client, world):
    rids = [file(client, world.wechat1, "safety")["id"] for _ in range(5)]
    now = filed_at(rids[-1]) + timedelta(hours=25)
    db.session.remove()
    barrier, moved = threading.Barrier(3), []

    def run():
        with app.app_context():
            barrier.wait()
            moved.append(escalate_overdue(now=now))
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(moved) == 5
    events = db.session.scalar(select(func.count()).select_from(RequestEvent).where(RequestEvent.action == "escalate"))
    assert events == 5 and len(escalation_notices(world)) == 5


def test_flask_escalate_command(runner, client, world):
    file(client, world.wechat1, "safety")
    result = runner.invoke(args=["escalate"])
    assert result.exit_code == 0 and "escalated 0 request(s)" in result.output

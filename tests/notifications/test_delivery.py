"""The outbox: written with the change, delivered exactly once through WeChat whatever WeChat does."""
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from app.models import Delivery, Notification, WeChatIdentity
from app.notifications.delivery import deliver_due
from app.notifications.notify import notify
from app.web.extensions import db
from tests import factories as f
from tests.waiting import wait_until

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def later(minutes):
    return datetime.now(UTC) + timedelta(minutes=minutes)


def queue(recipients, count=1):
    rows = [notify(r, "test", f"通知{i}", f"第{i}条", page="pages/inbox") for i in range(count) for r in recipients]
    db.session.commit()
    return rows


def delivered_titles(fake):
    return sorted(m["data"]["thing1"]["value"] for m in fake.sent)


def run_until_settled(now_minutes=(0, 2, 5, 15, 60, 180, 600)):
    for minutes in now_minutes:
        deliver_due(now=later(minutes))


def test_notification_rolls_back_with_its_change(app, world):
    notify(world.wechat1, "test", "不会发送", "回滚")
    world.house1.address = "changed"
    db.session.rollback()
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_delivered_once_to_resident_and_staff(app, world, fake_wechat):
    bound = WeChatIdentity(openid="o-head1", staff_id=world.head1.id)
    db.session.add(bound)
    queue([world.wechat1, world.head1])
    assert deliver_due() == {"sent": 2}
    assert sorted(m["touser"] for m in fake_wechat.sent) == sorted([world.wechat1.openid, "o-head1"])
    assert deliver_due(now=later(600)) == {}
    assert len(fake_wechat.sent) == 2


def test_wechat_failing_for_a_while_still_delivers_each_exactly_once(app, world, fake_wechat):
    queue([world.wechat1], count=6)
    fake_wechat.fail("subscribe", status=502, times=2)
    deliver_due()
    fake_wechat.fail("subscribe", delay=1.5, status=504, times=1)   # client gives up after 0.5 s
    deliver_due(now=later(1))
    fake_wechat.fail("subscribe", errcode=-1, times=1)              # "system busy"
    deliver_due(now=later(2))
    fake_wechat.expire_tokens()                                     # 42001: refreshed and retried once
    run_until_settled()
    assert delivered_titles(fake_wechat) == sorted(f"通知{i}" for i in range(6))
    states = db.session.scalars(select(Notification.state)).all()
    assert states == [Delivery.SENT] * 6


def test_a_send_that_timed_out_but_reached_wechat_is_repeated_at_most_once(app, world, fake_wechat):
    # WeChat has no idempotency key: after a timeout nobody knows whether it delivered, so the
    # message is sent again rather than risk losing it.
    queue([world.wechat1])
    fake_wechat.fail("subscribe", delay=1.0, times=1)
    deliver_due()
    run_until_settled()
    # The slow first call lands after the client gave up.
    wait_until("the timed-out first send landing at WeChat after the resent one", lambda: len(fake_wechat.sent) >= 2)
    assert delivered_titles(fake_wechat) == ["通知0", "通知0"]
    assert db.session.scalar(select(Notification.state)) == Delivery.SENT


def test_wechat_down_then_up_delivers_everything(app, world, fake_wechat):
    queue([world.wechat1, world.wechat2], count=3)
    fake_wechat.down()
    deliver_due()
    assert fake_wechat.sent == []
    pending = db.session.scalars(select(Notification)).all()
    assert {n.state for n in pending} == {Delivery.PENDING}
    assert all(n.next_attempt_at.replace(tzinfo=UTC) > datetime.now(UTC) for n in pending)
    fake_wechat.up()
    run_until_settled()
    assert delivered_titles(fake_wechat) == sorted([f"通知{i}" for i in range(3)] * 2)


def test_no_subscription_is_final_and_lands_in_the_inbox(client, world, fake_wechat):
    fake_wechat.no_subscription(world.wechat1.openid)
    queue([world.wechat1])
    assert deliver_due() == {"inbox_only": 1}
    run_until_settled()
    assert fake_wechat.calls["subscribe"] == 1
    inbox = client.get("/api/inbox", headers=f.auth(world.wechat1)).json
    assert [(n["title"], n["delivery"]) for n in inbox] == [("通知0", "inbox_only")]


def test_quota_defers_without_spending_attempts(app, world, fake_wechat):
    queue([world.wechat1])
    fake_wechat.fail("subscribe", errcode=45009, times=20)
    deliver_due()
    note = db.session.scalar(select(Notification))
    assert (note.state, note.attempts) == (Delivery.PENDING, 0)
    assert deliver_due(now=later(5)) == {}              # deferred ten minutes
    fake_wechat.clear()
    deliver_due(now=later(11))
    assert len(fake_wechat.sent) == 1


def test_staff_without_wechat_gets_inbox_only(client, world, fake_wechat):
    queue([world.head2])
    assert deliver_due() == {"inbox_only": 1}
    assert fake_wechat.calls["subscribe"] == 0
    assert client.get("/api/inbox", headers=f.auth(world.head2)).json[0]["title"] == "通知0"


def test_inbox_is_private(client, world):
    mine, = queue([world.wechat1])
    other_headers = f.auth(world.wechat2)
    assert client.get("/api/inbox", headers=other_headers).json == []
    assert client.post(f"/api/inbox/{mine.id}/read", headers=other_headers).status_code == 404
    read = client.post(f"/api/inbox/{mine.id}/read", headers=f.auth(world.wechat1))
    assert read.status_code == 200 and read.json["read_at"]
    assert client.get("/api/inbox?unread=true", headers=f.auth(world.wechat1)).json == []


def test_worker_killed_mid_batch_loses_nothing_and_repeats_nothing(app, world, fake_wechat, database_url, tmp_path):
    queue([world.wechat1], count=8)
    # Three sends go through; the fourth hangs: WeChat does not answer it while the worker lives.
    fake_wechat.fail("subscribe", delay=600, status=503, times=1, after=3)
    env = dict(os.environ, FLASK_APP="wsgi.py", DATABASE_URL=database_url,
               WECHAT_APPID=fake_wechat.appid, WECHAT_SECRET=fake_wechat.secret,
               WECHAT_API_BASE=fake_wechat.base_url, WECHAT_TIMEOUT="600")
    log = tmp_path / "worker.log"
    with log.open("wb") as output:
        worker = subprocess.Popen([sys.executable, "-m", "flask", "worker", "--interval", "0.05"],
                                  cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: f"the worker's fourth send reaching WeChat (it made {fake_wechat.calls['subscribe']})",
                   lambda: fake_wechat.calls["subscribe"] >= 4, process=worker, log=log)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    assert len(fake_wechat.sent) == 3, f"delivered before the worker was killed: {delivered_titles(fake_wechat)}"
    db.session.expire_all()
    claimed = db.session.scalar(select(func.count(Notification.id)).where(Notification.state == Delivery.SENDING))
    assert claimed == 1, f"{claimed} left sending: only the one in flight, under its lease"
    fake_wechat.clear()
    deliver_due()
    assert len(fake_wechat.sent) == 7, "all but the leased one, which waits for its lease"
    deliver_due(now=later(2))
    assert delivered_titles(fake_wechat) == sorted(f"通知{i}" for i in range(8))


def test_inbox_times_carry_their_utc_offset(client, world):
    """Found by the fuzz suite: SQLite's naive times went out without an offset, which a phone reads as its own
    local time (eight hours off in China) and the spec's date-time format does not allow."""
    mine, = queue([world.wechat1])
    read = client.post(f"/api/inbox/{mine.id}/read", headers=f.auth(world.wechat1)).json
    assert read["created_at"].endswith("+00:00") and read["read_at"].endswith("+00:00")

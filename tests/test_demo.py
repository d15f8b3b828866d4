"""The demo a newcomer gets from `make demo`: Shengquan's shape, registered homes, live requests, community life
to show (a wish wall, wishes at every stage, activities with check-ins, points awarded and spent), and a server log
without the QR tokens scanned."""
import os
import signal
import socket
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.request import urlopen

from sqlalchemy import func, select

from app.clock import to_utc, utcnow
from app.codes.services import code_for
from app.models import (
    Activity,
    CheckIn,
    Grid,
    Household,
    Level,
    RequestStatus,
    ServiceRequest,
    Staff,
    Unit,
    Wish,
)
from app.web.extensions import db
from tests import factories as f
from tests.waiting import wait_until

DONE = (RequestStatus.RESOLVED, RequestStatus.CLOSED)
ROOT = Path(__file__).resolve().parent.parent


def test_seed_demo_is_shengquan_shaped_with_activity_that_happened_in_the_past(runner, client):
    """What one seeding makes (it takes seconds, so one test): its shape, its figures, its requests' timelines, its
    community life."""
    assert "seeded" in runner.invoke(args=["seed-demo"]).output
    seeded_at = utcnow()
    assert "already present" in runner.invoke(args=["seed-demo"]).output
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert (count(Household), count(Grid), count(Unit)) == (512, 6, 25)
    # Every request sits with its own grid's head (or the first responder its category names), or with the
    # admin once it escalated that far.
    for req in db.session.scalars(select(ServiceRequest)):
        assert req.handler.community_id == req.household.community_id
        assert (req.handler is req.household.grid.head or req.handler.role.value in ("unit_leader", "joint_head")
                or req.escalation_level == Level.ADMIN)
    token = client.post("/api/auth/login", json={"username": "admin", "password": "jiashu-demo"}).json["token"]
    figures = client.get("/api/figures/community", headers={"Authorization": f"Bearer {token}"}).json
    assert 0.6 < figures["registration"]["coverage"] < 0.8
    assert all(n > 0 for n in figures["by_status"].values())
    assert figures["satisfaction"]["count"] > 0 and figures["disputes"]["count"] > 0
    _requests_happened_in_the_past_in_order_and_on_their_deadlines(seeded_at)
    _wishes_activities_and_points_to_show(client)


def _requests_happened_in_the_past_in_order_and_on_their_deadlines(now):
    requests = db.session.scalars(select(ServiceRequest)).all()
    assert {req.status for req in requests} == set(RequestStatus)
    escalated = 0
    for req in requests:
        at = [to_utc(e.at) for e in req.events]
        assert at == sorted(at) and at[-1] <= now, req.id           # the timeline in order, all of it past
        steps = [to_utc(t) for t in (req.filed_at, req.accepted_at, req.resolved_at) if t is not None]
        assert steps == sorted(steps) and len(set(steps)) == len(steps), req.id   # filed < accepted < resolved
        assert to_utc(req.due_at) == to_utc(req.filed_at) + timedelta(hours=req.category.deadline_hours)
        if req.mediation is not None:
            assert to_utc(req.filed_at) < to_utc(req.mediation.updated_at) <= now
        if req.status in DONE:
            # Resolved in time, so never escalated; a rating (closing it) comes after the resolution.
            assert req.escalate_at is None and to_utc(req.resolved_at) <= to_utc(req.due_at)
            assert "escalate" not in {e.action for e in req.events}
            if req.status is RequestStatus.CLOSED:
                assert to_utc(req.resolved_at) < at[-1] and req.events[-1].action == "rate"
        else:
            # Nothing left overdue: an old unresolved request climbed when each holder's time ran out.
            assert req.escalate_at is None or to_utc(req.escalate_at) > now
            escalated += any(e.action == "escalate" for e in req.events)
    assert escalated > 0


def _wishes_activities_and_points_to_show(client):
    statuses = dict(db.session.execute(select(Wish.status, func.count(Wish.id)).group_by(Wish.status)).all())
    assert {status.value for status in statuses} == {"submitted", "approved", "claimed", "closed"}
    assert client.get("/api/communities/SQ/wish-wall").json
    assert db.session.scalar(select(func.count(Activity.id))) == 3
    assert db.session.scalar(select(func.count(CheckIn.id))) > 20
    admin = db.session.scalar(select(Staff).where(Staff.username == "admin"))
    figures = client.get("/api/figures/community-life", headers=f.auth(admin)).json
    assert figures["wishes"]["fulfilled"] > 0 and figures["wishes"]["median_days_to_fulfil"] > 0
    assert figures["points"]["awarded"] > 0 and figures["points"]["redemptions"] == 4
    board = client.get("/api/points/leaderboard", headers=f.auth(admin)).json
    assert board["leaders"][0]["points"] >= board["leaders"][-1]["points"] > 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_demo_server_writes_no_scanned_token_to_its_log(app, world, tmp_path):
    """scripts/demo.sh as `make demo` runs it, on the test database: its whole output (server, worker,
    escalation, fake WeChat) has the app's request lines with the tokens left out, and no access log."""
    house, card = code_for(world.house1).token, code_for(world.police1).token
    db.session.commit()
    port = _free_port()
    env = {**os.environ, "JIASHU_VENV": sys.prefix, "PORT": str(port), "WECHAT_FAKE_PORT": str(_free_port()),
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"], "WEB_CONCURRENCY": "1"}
    env.pop("WECHAT_APPID", None)
    output = tmp_path / "demo.out"
    with output.open("wb") as sink:
        demo = subprocess.Popen(["scripts/demo.sh"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until(f"scripts/demo.sh answering {base}/healthz", lambda: urlopen(f"{base}/healthz", timeout=2),
                   process=demo, log=output, ignoring=(OSError,))
        for path in (f"/s/{house}", f"/api/scan/{house}", f"/c/{card}", f"/api/cards/{card}"):
            assert urlopen(base + path, timeout=10).status == 200
    finally:
        os.killpg(demo.pid, signal.SIGTERM)   # the script's own process group: the server and its helpers
        demo.wait(timeout=30)
    text = output.read_text()
    assert house not in text and card not in text
    assert '"path": "/s/<token>"' in text and '"path": "/api/cards/<token>"' in text

"""The demo community a newcomer gets from `make demo`: Shengquan's shape, registered homes, live requests."""
from datetime import timedelta

from sqlalchemy import func, select

from app.clock import to_utc
from app.extensions import db
from app.models import Grid, Household, Level, RequestStatus, ServiceRequest, Unit
from app.models.base import utcnow

DONE = (RequestStatus.RESOLVED, RequestStatus.CLOSED)


def test_seed_demo_is_shengquan_shaped_with_activity(runner, client):
    assert "seeded" in runner.invoke(args=["seed-demo"]).output
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


def test_demo_requests_happened_in_the_past_in_order_and_on_their_deadlines(runner):
    assert "seeded" in runner.invoke(args=["seed-demo"]).output
    now = utcnow()
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

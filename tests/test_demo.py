"""The demo community a newcomer gets from `make demo`: Shengquan's shape, registered homes, live requests."""
from sqlalchemy import func, select

from app.extensions import db
from app.models import Grid, Household, ServiceRequest, Unit


def test_seed_demo_is_shengquan_shaped_with_activity(runner, client):
    assert "seeded" in runner.invoke(args=["seed-demo"]).output
    assert "already present" in runner.invoke(args=["seed-demo"]).output
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert (count(Household), count(Grid), count(Unit)) == (512, 6, 25)
    # Every request sits with its own grid's head (or the first responder its category names).
    for req in db.session.scalars(select(ServiceRequest)):
        assert req.handler.community_id == req.household.community_id
        assert req.handler is req.household.grid.head or req.handler.role.value in ("unit_leader", "joint_head")
    token = client.post("/api/auth/login", json={"username": "admin", "password": "jiashu-demo"}).json["token"]
    figures = client.get("/api/figures/community", headers={"Authorization": f"Bearer {token}"}).json
    assert 0.6 < figures["registration"]["coverage"] < 0.8
    assert all(n > 0 for n in figures["by_status"].values())
    assert figures["satisfaction"]["count"] > 0 and figures["disputes"]["count"] > 0

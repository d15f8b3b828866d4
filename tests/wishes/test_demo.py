"""The demo community has community life to show: a wish wall, wishes at every stage, activities with
check-ins, points awarded and spent."""
from sqlalchemy import func, select

from app.models import Activity, CheckIn, Staff, Wish
from app.web.extensions import db
from tests import factories as f


def test_the_demo_is_seeded_with_wishes_activities_and_points(runner, client):
    assert "seeded" in runner.invoke(args=["seed-demo"]).output
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

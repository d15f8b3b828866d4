"""Removing a household member who is also a party member, a volunteer and a points holder: the person's
memberships go with them, the households they looked after are uncovered again, and their points stay on the
ledger (the account held by nobody, its balance still the sum of its entries)."""
from sqlalchemy import func, select

from app.models import PartyMember, PointAccount, PointEntry, Volunteer
from app.web.extensions import db
from tests import factories as f


def test_removing_a_party_member_volunteer_with_points_keeps_the_ledger_and_uncovers_their_households(client, world):
    qian, _ = f.resident(world.house1, name="钱七")
    db.session.commit()
    admin = f.auth(world.admin_a)
    branch = client.post("/api/party/organisations", headers=admin,
                         json={"kind": "branch", "name": "第1网格党支部", "grid_id": world.grid1.id}).json
    member = client.post("/api/party/members", headers=admin,
                         json={"organisation_id": branch["id"], "resident_id": qian.id}).json
    assert client.put(f"/api/party/members/{member['id']}/households", headers=f.auth(world.head1),
                      json={"household_ids": [world.house1b.id]}).status_code == 200
    assert client.post("/api/volunteers", headers=admin, json={"resident_id": qian.id}).status_code == 201
    awarded = client.post("/api/points/entries", headers=admin,
                          json={"resident_id": qian.id, "points": 15, "reason": "协助整治楼道"})
    assert awarded.status_code == 201, awarded.json
    assert [h["id"] for h in client.get("/api/party/coverage", headers=f.auth(world.head1)).json] == [world.house1.id]

    assert client.delete(f"/api/members/{qian.id}", headers=f.auth(world.wechat1)).status_code == 204

    members = client.get("/api/my/household", headers=f.auth(world.wechat1)).json["members"]
    assert "钱七" not in [m["name"] for m in members]
    uncovered = client.get("/api/party/coverage", headers=f.auth(world.head1)).json
    assert sorted(h["id"] for h in uncovered) == sorted([world.house1.id, world.house1b.id])
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(PartyMember)) == 0
    assert db.session.scalar(select(func.count()).select_from(Volunteer)) == 0
    account = db.session.scalars(select(PointAccount).where(PointAccount.resident_id.is_(None),
                                                            PointAccount.staff_id.is_(None),
                                                            PointAccount.household_id.is_(None))).one()
    entries = db.session.scalars(select(PointEntry.points).where(PointEntry.account_id == account.id)).all()
    assert account.balance == sum(entries) == 15

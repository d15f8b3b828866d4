"""The admin records the party organisation, party members and volunteers; a member looks after a few contact
households (their contacts masked, their wishes), and the coverage shows the households nobody looks after."""
from app.web.extensions import db
from tests import factories as f
from tests.wishes.helpers import post


def organisation(client, world, **body):
    answer = client.post("/api/party/organisations", headers=f.auth(world.admin_a),
                         json={"kind": "branch", "name": "第1网格党支部", "grid_id": world.grid1.id, **body})
    assert answer.status_code == 201, answer.json
    return answer.json


def member(client, world, organisation_id, **person):
    return client.post("/api/party/members", headers=f.auth(world.admin_a),
                       json={"organisation_id": organisation_id, **person})


def test_a_party_member_looks_after_contact_households_and_sees_their_wishes(client, world):
    branch = organisation(client, world)
    recorded = member(client, world, branch["id"], resident_id=world.resident1.id)
    assert recorded.status_code == 201 and recorded.json["organisation"]["kind"] == "branch"
    assert member(client, world, branch["id"], resident_id=world.resident1.id).status_code == 409
    wish = post(client, world.head1, household_id=world.house1b.id, beneficiary_name="赵奶奶",
                vulnerability="elderly_alone", text="想要一个暖水袋", category="goods")
    assigned = client.put(f"/api/party/members/{recorded.json['id']}/households", headers=f.auth(world.head1),
                          json={"household_ids": [world.house1b.id]})
    assert assigned.status_code == 200 and [h["id"] for h in assigned.json] == [world.house1b.id]
    mine = client.get("/api/my/contact-households", headers=f.auth(world.wechat1)).json
    assert mine == [{"id": world.house1b.id, "code": world.house1b.code, "address": world.house1b.address,
                     "head_name": "张三", "head_phone": "138****8000",
                     "wishes": [{"id": wish["id"], "text": "想要一个暖水袋", "status": "submitted"}]}]
    assert client.get("/api/my/contact-households", headers=f.auth(world.wechat2)).json == []
    uncovered = client.get("/api/party/coverage", headers=f.auth(world.head1)).json
    assert [h["id"] for h in uncovered] == [world.house1.id]
    # One member a household; the grid head assigns only in their grid.
    other = member(client, world, branch["id"], staff_id=world.leader.id).json
    taken = client.put(f"/api/party/members/{other['id']}/households", headers=f.auth(world.admin_a),
                       json={"household_ids": [world.house1b.id]})
    assert taken.status_code == 409
    assert client.put(f"/api/party/members/{recorded.json['id']}/households", headers=f.auth(world.head1),
                      json={"household_ids": [world.house2.id]}).status_code == 404
    assert client.put(f"/api/party/members/{recorded.json['id']}/households", headers=f.auth(world.head2),
                      json={"household_ids": []}).status_code == 404


def test_organisations_and_people_belong_to_the_admins_community(client, world):
    assert client.post("/api/party/organisations", headers=f.auth(world.admin_a),
                       json={"kind": "branch", "name": "支部", "grid_id": world.grid_b.id}).status_code == 422
    group = client.post("/api/party/organisations", headers=f.auth(world.admin_a),
                        json={"kind": "group", "name": "1号楼党小组", "unit_id": world.unit1.id})
    assert group.status_code == 201
    committee = organisation(client, world, kind="committee", name="胜泉社区党委", grid_id=None)
    stranger, _ = f.resident(world.house_b, name="王五")
    db.session.commit()
    assert member(client, world, committee["id"], resident_id=stranger.id).status_code == 404
    assert member(client, world, committee["id"]).status_code == 422
    assert client.post("/api/party/members", headers=f.auth(world.admin_b),
                       json={"organisation_id": committee["id"], "staff_id": world.admin_b.id}).status_code == 404
    assert client.post("/api/party/members", headers=f.auth(world.head1),
                       json={"organisation_id": committee["id"], "resident_id": world.resident1.id}).status_code == 403


def test_grid_heads_record_volunteers_of_their_grids(client, world):
    added = client.post("/api/volunteers", headers=f.auth(world.head1),
                        json={"resident_id": world.resident1.id, "skills": "水电维修"})
    assert added.status_code == 201 and added.json["name"] == "李四"
    assert client.post("/api/volunteers", headers=f.auth(world.head1),
                       json={"resident_id": world.resident2.id}).status_code == 404
    assert client.post("/api/volunteers", headers=f.auth(world.head1),
                       json={"resident_id": world.resident1.id}).status_code == 409
    assert [v["skills"] for v in client.get("/api/volunteers", headers=f.auth(world.admin_a)).json] == ["水电维修"]


def test_grid_heads_list_the_volunteers_and_members_of_their_grids_only(client, world):
    """One rule for both lists: the admin sees the community's; a grid head those living in their grids."""
    branch = organisation(client, world)
    people = ({"resident_id": world.resident1.id}, {"resident_id": world.resident2.id}, {"staff_id": world.leader.id})
    for person in people:
        assert client.post("/api/volunteers", headers=f.auth(world.admin_a), json=person).status_code == 201
        assert member(client, world, branch["id"], **person).status_code == 201

    def listed(path, who):
        return [(row["resident_id"], row["staff_id"]) for row in client.get(path, headers=f.auth(who)).json]

    for path in ("/api/volunteers", "/api/party/members"):
        assert listed(path, world.admin_a) == [(world.resident1.id, None), (world.resident2.id, None),
                                               (None, world.leader.id)]
        assert listed(path, world.head1) == [(world.resident1.id, None)]
        assert listed(path, world.head2) == [(world.resident2.id, None)]
        assert listed(path, world.admin_b) == []


def change(client, who, member_id, **body):
    return client.patch(f"/api/party/members/{member_id}", headers=f.auth(who), json=body)


def test_the_admin_and_the_grid_head_edit_a_member_audited_and_an_ended_one_claims_nothing(client, world):
    from sqlalchemy import select

    from app.models import AuditEvent, ContactHousehold, Volunteer
    branch1, committee = organisation(client, world), organisation(client, world, kind="committee", name="社区党委")
    branch2 = organisation(client, world, name="第2网格党支部", grid_id=world.grid2.id)
    recorded = member(client, world, branch1["id"], resident_id=world.resident1.id).json
    moved = change(client, world.admin_a, recorded["id"], organisation_id=committee["id"], volunteer=True)
    assert moved.status_code == 200
    assert (moved.json["organisation"]["name"], moved.json["volunteer"], moved.json["ended_on"]) == (
        "社区党委", True, None)
    assert db.session.scalar(select(Volunteer.resident_id)) == world.resident1.id
    # The grid head keeps the members living in their grids, and moves them within their grids' organisations.
    assert change(client, world.head2, recorded["id"], volunteer=False).status_code == 404
    refused = change(client, world.head1, recorded["id"], organisation_id=branch2["id"])
    assert refused.status_code == 404 and refused.json["message"].startswith("organisation_id:")
    assert change(client, world.head1, recorded["id"], organisation_id=branch1["id"]).status_code == 200
    assert change(client, world.admin_b, recorded["id"], volunteer=False).status_code == 404
    # A wish of another household: the member claims it while the membership goes on (not as a volunteer).
    change(client, world.head1, recorded["id"], volunteer=False)
    client.put(f"/api/party/members/{recorded['id']}/households", headers=f.auth(world.head1),
               json={"household_ids": [world.house1b.id]})
    assert change(client, world.head1, recorded["id"], ended_on="2099-01-01").status_code == 422
    ended = change(client, world.head1, recorded["id"], ended_on="2026-11-30")
    assert ended.status_code == 200 and ended.json["ended_on"] == "2026-11-30"
    assert db.session.scalar(select(ContactHousehold.id)) is None   # released
    wish = post(client, world.wechat2)
    client.post(f"/api/wishes/{wish['id']}/approve", headers=f.auth(world.head2))
    assert client.post(f"/api/wishes/{wish['id']}/claim", headers=f.auth(world.wechat1)).status_code == 403
    assert client.put(f"/api/party/members/{recorded['id']}/households", headers=f.auth(world.head1),
                      json={"household_ids": [world.house1b.id]}).status_code == 409
    audited = db.session.scalars(select(AuditEvent.reason).where(AuditEvent.object_type == "party_member")
                                 .order_by(AuditEvent.id)).all()
    assert audited == ["organisation 第1网格党支部 → 社区党委; volunteer", "organisation 社区党委 → 第1网格党支部",
                       "no longer a volunteer", "membership ended 2026-11-30"]

"""A request reaches the grid head responsible for the house, its first responder, or the admin."""
from app.web.extensions import db
from tests import factories as f
from tests.requests.helpers import file, notices


def handler_id(body):
    return body["handler"]["id"] if body["handler"] else None


def test_each_grids_request_reaches_its_own_grid_head_only(client, world):
    first = file(client, world.wechat1, "safety")
    second = file(client, world.wechat2, "safety")
    assert handler_id(first) == world.head1.id and handler_id(second) == world.head2.id
    assert notices() == [(world.head1, "request_assigned"), (world.head2, "request_assigned")]
    mine = client.get("/api/requests", headers=f.auth(world.head1)).json
    assert [r["id"] for r in mine] == [first["id"]]
    assert client.get(f"/api/requests/{second['id']}", headers=f.auth(world.head1)).status_code == 404
    assert client.get(f"/api/requests/{first['id']}", headers=f.auth(world.head2)).status_code == 404


def test_category_names_the_first_responder_when_the_house_has_one(client, world):
    # 邻里纠纷 goes to the joint-household head, 维修 to the unit leader (the defaults).
    assert handler_id(file(client, world.wechat1, "dispute")) == world.joint.id
    assert handler_id(file(client, world.wechat1, "repair")) == world.leader.id
    # House 2's unit has no leader and the house no joint head: its grid head answers.
    assert handler_id(file(client, world.wechat2, "repair")) == world.head2.id
    assert handler_id(file(client, world.wechat2, "dispute")) == world.head2.id


def test_first_responder_is_data_the_admin_changes(client, world):
    categories = client.get("/api/categories", headers=f.auth(world.admin_a)).json
    safety = next(c for c in categories if c["code"] == "safety")
    response = client.patch(f"/api/categories/{safety['id']}", headers=f.auth(world.admin_a),
                            json={"first_responder": "unit_leader"})
    assert response.status_code == 200
    assert handler_id(file(client, world.wechat1, "safety")) == world.leader.id


def test_grid_without_a_head_goes_to_the_community_admin(client, world):
    world.grid2.head = None
    db.session.commit()
    body = file(client, world.wechat2, "safety")
    assert handler_id(body) == world.admin_a.id
    assert body["escalation_level"] == 2
    assert notices() == [(world.admin_a, "request_assigned")]
    assert client.get(f"/api/requests/{body['id']}", headers=f.auth(world.admin_a)).status_code == 200


def test_inactive_grid_head_is_passed_over(client, world):
    world.head1.active = False
    db.session.commit()
    assert handler_id(file(client, world.wechat1, "safety")) == world.admin_a.id


def test_filing_is_for_residents_only(client, world):
    response = client.post("/api/requests", headers=f.auth(world.head1),
                           json={"category": "safety", "description": "x"})
    assert response.status_code == 403

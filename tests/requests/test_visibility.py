"""Who sees which requests; every request endpoint answers 404 outside the caller's place."""
import io

import pytest

from app.models import Role
from tests import factories as f
from tests.images import image
from tests.requests.helpers import file

PNG = image("PNG")


def _calls(rid, photo_id):
    return [
        ("get", f"/api/requests/{rid}", {}),
        ("post", f"/api/requests/{rid}/events", {"json": {"action": "accept"}}),
        ("put", f"/api/requests/{rid}/mediation", {"json": {"kind": "peoples"}}),
        ("post", f"/api/requests/{rid}/photos", {"data": {"photos": (io.BytesIO(PNG), "a.png")}}),
        ("get", f"/api/requests/{rid}/photos/{photo_id}", {}),
    ]


@pytest.fixture
def filed(client, world, photo_store):
    """A dispute filed by house 1 (grid 1), with a photo (on disk, then in a bucket)."""
    rid = file(client, world.wechat1, "dispute", "楼上漏水")["id"]
    response = client.post(f"/api/requests/{rid}/photos", headers=f.auth(world.wechat1),
                           data={"photos": (io.BytesIO(PNG), "a.png")})
    assert response.status_code == 201
    return rid, response.json["photos"][0]["id"]


@pytest.mark.parametrize("outsider", ["wechat2", "head2", "admin_b", "police1", "police_all", "leader"])
def test_every_endpoint_is_404_outside_the_callers_place(client, world, filed, outsider):
    rid, photo_id = filed
    headers = f.auth(getattr(world, outsider))
    for method, path, kwargs in _calls(rid, photo_id):
        response = getattr(client, method)(path, headers=headers, **kwargs)
        assert response.status_code == 404, (outsider, method, path, response.json)
    assert client.get("/api/requests", headers=headers).json == []


def test_another_households_resident_in_the_same_unit_sees_nothing(client, world, filed):
    _, neighbour = f.resident(world.house1b, name="邻居")
    rid, photo_id = filed
    headers = f.auth(neighbour)
    assert all(getattr(client, m)(p, headers=headers, **kw).status_code == 404 for m, p, kw in _calls(rid, photo_id))


@pytest.mark.parametrize("insider", ["wechat1", "head1", "admin_a", "joint"])
def test_household_grid_head_admin_and_handler_see_it(client, world, filed, insider):
    rid, photo_id = filed
    headers = f.auth(getattr(world, insider))
    assert client.get(f"/api/requests/{rid}", headers=headers).status_code == 200
    photo = client.get(f"/api/requests/{rid}/photos/{photo_id}", headers=headers)
    assert photo.status_code == 200 and photo.data.startswith(b"\xff\xd8") and photo.mimetype == "image/jpeg"
    assert [r["id"] for r in client.get("/api/requests", headers=headers).json] == [rid]


def test_grid_head_also_sees_what_is_transferred_to_them_from_another_grid(client, world):
    rid = file(client, world.wechat2, "safety")["id"]
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).status_code == 404
    client.post(f"/api/requests/{rid}/events", headers=f.auth(world.head2),
                json={"action": "transfer", "to_staff_id": world.head1.id, "note": "他熟悉"})
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).status_code == 200
    # ... and the previous handler still sees it as the head of its grid.
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.head2)).status_code == 200


def test_list_filters(client, world):
    safety = file(client, world.wechat1, "safety")["id"]
    dispute = file(client, world.wechat1, "dispute")["id"]
    headers = f.auth(world.head1)
    assert [r["id"] for r in client.get("/api/requests?category=dispute", headers=headers).json] == [dispute]
    assert [r["id"] for r in client.get("/api/requests?mine=true", headers=headers).json] == [safety]
    assert client.get("/api/requests?status=closed", headers=headers).json == []
    bad = client.get("/api/requests?status=lost", headers=headers)
    assert bad.status_code == 422 and "status" in bad.json["message"]


def test_handlers_other_than_grid_heads_see_only_what_they_hold(client, world):
    file(client, world.wechat1, "safety")            # to the grid head
    held = file(client, world.wechat1, "repair")["id"]   # to the unit leader
    assert [r["id"] for r in client.get("/api/requests", headers=f.auth(world.leader)).json] == [held]
    other_leader = f.staff(world.a, Role.UNIT_LEADER)
    assert client.get(f"/api/requests/{held}", headers=f.auth(other_leader)).status_code == 404


def test_a_pending_registrant_reads_and_touches_none_of_the_houses_requests(client, world, filed):
    """Issue 11, item 1: anyone may scan a door and register; until confirmed they see none of the house's
    requests, not even one from the 12345 hotline carrying the caller's phone and e-mail."""
    from tests.residents.helpers import letter_token, newcomer, person, register
    rid, photo_id = filed
    key = client.post("/api/open311/keys", headers=f.auth(world.admin_a), json={"label": "12345热线"}).json["api_key"]
    hotline = client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "dispute", "address_id": world.house1.code, "description": "邻里纠纷",
        "phone": "13900001111", "email": "caller@example.cn"})
    hotline_id = hotline.json[0]["service_request_id"]
    _, headers = newcomer()
    registered = register(client, letter_token(world.house1), headers, [person("陌生人", 1, "表亲", is_self=True)])
    assert registered.json["members"][0]["status"] == "pending"

    answers = [getattr(client, method)(path, headers=headers, **kw) for method, path, kw in _calls(rid, photo_id)]
    answers += [client.get("/api/requests", headers=headers),
                client.get(f"/api/requests/{hotline_id}", headers=headers),
                client.post("/api/requests", headers=headers, json={"category": "dispute", "description": "楼上漏水"})]
    assert [a.status_code for a in answers] == [403] * len(answers)
    texts = " ".join(a.get_data(as_text=True) for a in answers)
    assert "13900001111" not in texts and "caller@" not in texts
    # Once the household's head confirms them, they are one of the household.
    member_id = registered.json["members"][0]["id"]
    assert client.post(f"/api/members/{member_id}/confirm", headers=f.auth(world.wechat1)).status_code == 200
    assert {r["id"] for r in client.get("/api/requests", headers=headers).json} == {rid, int(hotline_id)}

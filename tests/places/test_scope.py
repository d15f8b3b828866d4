"""Each role sees exactly the households and grids of its place; others answer 404."""
import pytest

from tests import factories as f


def codes(response):
    assert response.status_code == 200, response.json
    return {h["code"] for h in response.json}


def test_grid_head_sees_only_own_grid(client, world):
    headers = f.auth(world.head1)
    assert codes(client.get("/api/households", headers=headers)) == {world.house1.code, world.house1b.code}
    assert client.get(f"/api/households/{world.house1.id}", headers=headers).status_code == 200
    other = client.get(f"/api/households/{world.house2.id}", headers=headers)
    assert other.status_code == 404
    assert "not found" in other.json["message"]
    assert client.get(f"/api/grids/{world.grid2.id}", headers=headers).status_code == 404
    assert [g["id"] for g in client.get("/api/grids", headers=headers).json] == [world.grid1.id]


def test_filtering_by_another_grid_returns_nothing_not_its_houses(client, world):
    response = client.get(f"/api/households?grid_id={world.grid2.id}", headers=f.auth(world.head1))
    assert codes(response) == set()


def test_resident_sees_only_own_household(client, world):
    headers = f.auth(world.wechat1)
    assert codes(client.get("/api/households", headers=headers)) == {world.house1.code}
    assert client.get(f"/api/households/{world.house1b.id}", headers=headers).status_code == 404
    assert client.get(f"/api/households/{world.house2.id}", headers=headers).status_code == 404
    assert client.get("/api/grids", headers=headers).json == []


def test_police_see_their_jurisdiction(client, world):
    assert codes(client.get("/api/households", headers=f.auth(world.police1))) == {
        world.house1.code, world.house1b.code}
    assert client.get(f"/api/households/{world.house2.id}", headers=f.auth(world.police1)).status_code == 404
    whole = codes(client.get("/api/households", headers=f.auth(world.police_all)))
    assert whole == {world.house1.code, world.house1b.code, world.house2.code, world.house2b.code}


def test_admin_sees_own_community_only(client, world):
    headers = f.auth(world.admin_a)
    assert world.house_b.code not in codes(client.get("/api/households", headers=headers))
    assert client.get(f"/api/households/{world.house_b.id}", headers=headers).status_code == 404
    assert client.get(f"/api/grids/{world.grid_b.id}", headers=headers).status_code == 404


def test_unit_leader_and_joint_head_places(client, world):
    assert codes(client.get("/api/households", headers=f.auth(world.leader))) == {
        world.house1.code, world.house1b.code}
    assert codes(client.get("/api/households", headers=f.auth(world.joint))) == {world.house1.code}
    assert client.get(f"/api/households/{world.house1b.id}", headers=f.auth(world.joint)).status_code == 404


@pytest.mark.parametrize("path", ["/api/households", "/api/grids", "/api/auth/me"])
def test_no_token_or_bad_token_is_401(client, world, path):
    assert client.get(path).status_code == 401
    response = client.get(path, headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401
    assert response.json["message"] == "A valid bearer token is required."


def test_phones_are_masked(client, world):
    body = client.get(f"/api/households/{world.house1.id}", headers=f.auth(world.admin_a)).json
    assert body["head_phone"] == "138****8000"


def test_pagination_headers(client, world):
    response = client.get("/api/households?page_size=1&page=2", headers=f.auth(world.police_all))
    assert len(response.json) == 1
    assert '"total": 4' in response.headers["X-Pagination"]


def test_pending_registrant_sees_no_house_data(client, world):
    _, pending = f.resident(world.house1b, name="陌生人", confirmed=False)
    headers = f.auth(pending)
    # Not yet a resident: refused as a role, like a WeChat user who registered nobody.
    assert client.get(f"/api/households/{world.house1b.id}", headers=headers).status_code == 403
    assert client.get("/api/households", headers=headers).status_code == 403

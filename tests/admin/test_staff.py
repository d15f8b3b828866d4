"""The admin creates staff accounts and gives them places in their own community only."""
from tests import factories as f


def create(client, admin, **body):
    data = {"username": "newhead", "password": "long-enough", "role": "grid_head", "name": "赵网格", **body}
    return client.post("/api/admin/staff", headers=f.auth(admin), json=data)


def test_new_grid_head_takes_over_the_grid(client, world):
    response = create(client, world.admin_a, grid_ids=[world.grid2.id])
    assert response.status_code == 201
    login = client.post("/api/auth/login", json={"username": "newhead", "password": "long-enough"}).json
    headers = {"Authorization": f"Bearer {login['token']}"}
    codes = {h["code"] for h in client.get("/api/households", headers=headers).json}
    assert codes == {world.house2.code, world.house2b.code}
    # The previous head of grid 2 no longer sees it.
    assert client.get(f"/api/households/{world.house2.id}", headers=f.auth(world.head2)).status_code == 404


def test_grid_of_another_community_is_refused(client, world):
    response = create(client, world.admin_a, grid_ids=[world.grid_b.id])
    assert response.status_code == 422
    assert response.json["message"].startswith("grid_ids:")
    assert client.post("/api/auth/login", json={"username": "newhead", "password": "long-enough"}).status_code == 401


def test_field_errors_are_named(client, world):
    response = create(client, world.admin_a, role="mayor", password="short")
    assert response.status_code == 422
    assert "role" in response.json["message"] and "password" in response.json["message"]
    response = create(client, world.admin_a, role="admin", unit_ids=[world.unit1.id])
    assert response.status_code == 422 and "unit_ids" in response.json["message"]


def test_duplicate_username_is_409(client, world):
    assert create(client, world.admin_a).status_code == 201
    response = create(client, world.admin_a)
    assert response.status_code == 409 and "username" in response.json["message"]


def test_staff_list_is_per_community(client, world):
    names = {s["username"] for s in client.get("/api/admin/staff", headers=f.auth(world.admin_b)).json}
    assert names == {world.admin_b.username}

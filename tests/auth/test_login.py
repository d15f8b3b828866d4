"""Staff sign in with a password, get a bearer token, and can sign out."""
from app.models import Role
from tests import factories as f


def login(client, username, password):
    return client.post("/api/auth/login", json={"username": username, "password": password})


def test_login_me_logout(client, world):
    response = login(client, world.head1.username, "password-1")
    assert response.status_code == 200
    assert response.json["role"] == "grid_head"
    headers = {"Authorization": f"Bearer {response.json['token']}"}
    me = client.get("/api/auth/me", headers=headers).json
    assert me["name"] == "王网格" and me["community_id"] == world.a.id
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/auth/me", headers=headers).status_code == 401


def test_wrong_password_and_unknown_user_look_the_same(client, world):
    wrong = login(client, world.head1.username, "nope")
    unknown = login(client, "nobody", "nope")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json["message"] == unknown.json["message"]


def test_missing_field_is_named(client, app):
    response = client.post("/api/auth/login", json={"username": "x"})
    assert response.status_code == 422
    assert "password" in response.json["message"]


def test_unknown_field_and_non_json_are_4xx(client, app):
    response = client.post("/api/auth/login", json={"username": "x", "password": "y", "admin": True})
    assert response.status_code == 422 and "admin" in response.json["message"]
    assert client.post("/api/auth/login", data="garbage", content_type="application/json").status_code in (400, 422)


def test_deactivated_staff_cannot_sign_in_or_use_old_token(client, world):
    headers = f.auth(world.head1)
    world.head1.active = False
    from app.web.extensions import db
    db.session.commit()
    assert login(client, world.head1.username, "password-1").status_code == 401
    assert client.get("/api/households", headers=headers).status_code == 401


def test_resident_token_cannot_use_admin_endpoints(client, world):
    response = client.get("/api/admin/staff", headers=f.auth(world.wechat1))
    assert response.status_code == 403
    assert client.get("/api/admin/staff", headers=f.auth(world.head1)).status_code == 403
    assert client.get("/api/admin/staff", headers=f.auth(world.admin_a)).status_code == 200


def test_password_is_hashed(world):
    officer = f.staff(world.a, Role.POLICE, password="s3cret-pass")
    assert "s3cret-pass" not in officer.password_hash
    assert officer.check_password("s3cret-pass") and not officer.check_password("s3cret-pas")


def test_me_names_the_community_by_its_code_for_the_mini_programs_wish_wall(client, world):
    """The wall (GET /api/communities/{code}/wish-wall) is where a volunteer finds wishes of other grids to claim."""
    assert client.get("/api/auth/me", headers=f.auth(world.wechat2)).json["community_code"] == "SQ"
    assert client.get("/api/auth/me", headers=f.auth(world.admin_b)).json["community_code"] == "DF"
    assert client.get("/api/auth/me", headers=f.auth(f.wechat_user())).json["community_code"] is None

"""Each community starts with the default categories; its admin adds, edits and retires them."""
from datetime import datetime

import pytest

from tests import factories as f
from tests.requests.helpers import file

DEFAULT_CODES = ["repair", "dispute", "safety", "sanitation", "welfare", "care", "other"]


def codes(client, who, query=""):
    response = client.get(f"/api/categories{query}", headers=f.auth(who))
    assert response.status_code == 200
    return [c["code"] for c in response.json]


def test_every_community_starts_with_the_defaults(client, world):
    assert codes(client, world.wechat1) == DEFAULT_CODES
    assert codes(client, world.admin_b) == DEFAULT_CODES
    dispute = client.get("/api/categories", headers=f.auth(world.head1)).json[1]
    assert dispute == {"id": dispute["id"], "code": "dispute", "name": "邻里纠纷", "description": None,
                       "deadline_hours": 48, "first_responder": "joint_head", "is_dispute": True, "active": True}


def test_admin_adds_a_category_residents_can_file_in(client, world):
    response = client.post("/api/categories", headers=f.auth(world.admin_a),
                           json={"code": "parking", "name": "停车管理", "deadline_hours": 24})
    assert response.status_code == 201
    assert codes(client, world.wechat1) == DEFAULT_CODES + ["parking"]
    assert "parking" not in codes(client, world.admin_b)
    assert file(client, world.wechat1, "parking")["category"] == {"code": "parking", "name": "停车管理"}


def test_a_new_deadline_applies_to_requests_filed_after(client, world):
    safety = client.get("/api/categories", headers=f.auth(world.admin_a)).json[2]
    first = file(client, world.wechat1, "safety")
    client.patch(f"/api/categories/{safety['id']}", headers=f.auth(world.admin_a), json={"deadline_hours": 2})
    second = file(client, world.wechat1, "safety")
    assert round(hours_given(first)) == 24 and round(hours_given(second)) == 2


def hours_given(request):
    due, filed = datetime.fromisoformat(request["due_at"]), datetime.fromisoformat(request["filed_at"])
    return (due - filed).total_seconds() / 3600


def test_retired_category_takes_no_new_requests_but_keeps_its_old_ones(client, world):
    other = client.get("/api/categories", headers=f.auth(world.admin_a)).json[-1]
    old = file(client, world.wechat1, "other")
    assert client.delete(f"/api/categories/{other['id']}", headers=f.auth(world.admin_a)).status_code == 204
    assert "other" not in codes(client, world.wechat1)
    assert "other" in codes(client, world.admin_a, "?include_inactive=true")
    refused = client.post("/api/requests", headers=f.auth(world.wechat1),
                          json={"category": "other", "description": "x"})
    assert refused.status_code == 422 and refused.json["message"].startswith("category:")
    assert client.get(f"/api/requests/{old['id']}", headers=f.auth(world.wechat1)).json["category"]["code"] == "other"


def test_other_communitys_category_is_404_and_non_admins_403(client, world):
    theirs = client.get("/api/categories", headers=f.auth(world.admin_b)).json[0]
    headers = f.auth(world.admin_a)
    assert client.patch(f"/api/categories/{theirs['id']}", headers=headers, json={"name": "x"}).status_code == 404
    assert client.delete(f"/api/categories/{theirs['id']}", headers=headers).status_code == 404
    ours = client.get("/api/categories", headers=headers).json[0]
    assert client.patch(f"/api/categories/{ours['id']}", headers=f.auth(world.head1),
                        json={"name": "x"}).status_code == 403


@pytest.mark.parametrize("body, status, field", [
    ({"code": "safety", "name": "重复", "deadline_hours": 24}, 409, "code"),
    ({"code": "Bad Code", "name": "x", "deadline_hours": 24}, 422, "code"),
    ({"code": "late", "name": "x", "deadline_hours": 0}, 422, "deadline_hours"),
    ({"code": "late", "name": "x", "deadline_hours": 24, "first_responder": "police"}, 422, "first_responder"),
    ({"code": "late", "deadline_hours": 24}, 422, "name"),
])
def test_bad_categories_name_the_field(client, world, body, status, field):
    response = client.post("/api/categories", headers=f.auth(world.admin_a), json=body)
    assert response.status_code == status and field in response.json["message"]


@pytest.mark.parametrize("body", [{}, None])
def test_a_change_with_nothing_to_change_is_refused_naming_the_body(client, world, body):
    """PATCH with no body, or {}, answered 200 as if something had been saved."""
    ours = client.get("/api/categories", headers=f.auth(world.admin_a)).json[0]
    response = client.patch(f"/api/categories/{ours['id']}", headers=f.auth(world.admin_a), json=body)
    assert response.status_code == 422
    assert response.json["message"] == "Invalid input: body: give at least one field to change."

"""NUL characters anywhere in a request are bad input (4xx naming the field), never a database error.

Found by the fuzz suite: PostgreSQL refuses text holding NUL, so these answered 500 there."""
import json

from sqlalchemy import func, select

from app.models import Category, ServiceRequest
from app.open311.keys import issue_key
from app.web.extensions import db
from tests import factories as f


def test_nul_in_a_json_field_is_422_naming_it_and_nothing_is_saved(client, world):
    before = db.session.scalar(select(func.count()).select_from(Category))
    response = client.post("/api/categories", headers=f.auth(world.admin_a),
                           json={"code": "parking", "name": "停\u0000车", "deadline_hours": 24})
    assert response.status_code == 422 and response.json["message"].startswith("name: ")
    assert db.session.scalar(select(func.count()).select_from(Category)) == before


def test_nul_deep_in_a_registration_names_the_member_and_field(client, world):
    body = {"members": [{"name": "小\u0000明", "relationship_to_head": "子"}], "consent_version": "x"}
    response = client.post("/api/scan/anything/members", headers=f.auth(world.wechat1), json=body)
    assert response.status_code == 422 and response.json["message"].startswith("members.0.name: ")


def test_nul_in_a_query_is_422(client, world):
    response = client.get("/api/households?code=SQ%00", headers=f.auth(world.admin_a))
    assert response.status_code == 422 and response.json["message"].startswith("code: ")


def test_open311_answers_nul_with_its_own_400(client, world):
    key, _ = issue_key(world.a.id, "热线")
    db.session.commit()
    response = client.get("/open311/v2/services/re%00pair.json?jurisdiction_id=SQ")
    assert response.status_code == 400 and response.json[0]["description"].startswith("code: ")
    filed = client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "repair", "address_id": world.house1.code, "description": "漏\x00水"})
    assert filed.status_code == 400 and filed.json[0]["description"].startswith("description: ")
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0


def test_a_lone_surrogate_in_json_is_422_naming_the_field_and_nothing_is_saved(client, world):
    """"\\ud800" is valid JSON but no text: it failed when encoded for the database (500)."""
    before = db.session.scalar(select(func.count()).select_from(Category))
    for name, field in [("停\ud800车", "name"), ("\udfff", "name")]:
        response = client.post("/api/categories", headers=f.auth(world.admin_a),
                               data=json.dumps({"code": "parking", "name": name, "deadline_hours": 24}),
                               content_type="application/json")
        assert response.status_code == 422 and response.json["message"].startswith(f"{field}: ")
    deep = client.post("/api/scan/anything/members", headers=f.auth(world.wechat1), content_type="application/json",
                       data=json.dumps({"members": [{"name": "小\ud800明"}], "consent_version": "x"}))
    assert deep.status_code == 422 and deep.json["message"].startswith("members.0.name: ")
    key = client.post("/api/categories", headers=f.auth(world.admin_a), content_type="application/json",
                      data=json.dumps({"\ud800": 1}))
    assert key.status_code == 422 and key.json["message"].startswith("\\ud800: ")   # the name said escaped
    assert db.session.scalar(select(func.count()).select_from(Category)) == before


def test_a_json_number_beyond_64_bits_is_422_naming_the_field(client, world):
    for raw in ("99999999999999999999", "-99999999999999999999", "1e400"):
        response = client.post("/api/categories", headers=f.auth(world.admin_a), content_type="application/json",
                               data=f'{{"code": "parking", "name": "停车", "deadline_hours": {raw}}}')
        assert response.status_code == 422 and response.json["message"].startswith("deadline_hours: "), raw

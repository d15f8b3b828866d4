"""The Open311 GeoReport v2 endpoint: the spec's fields, filters, API keys and error lists."""
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ServiceRequest
from tests import factories as f
from tests.requests.helpers import act, file, notices

SERVICE_FIELDS = {"service_code", "service_name", "description", "metadata", "type", "keywords", "group"}
REQUEST_FIELDS = {"service_request_id", "status", "status_notes", "service_name", "service_code", "description",
                  "agency_responsible", "service_notice", "requested_datetime", "updated_datetime",
                  "expected_datetime", "address", "address_id", "zipcode", "lat", "long", "media_url"}


@pytest.fixture
def key(client, world):
    response = client.post("/api/open311/keys", headers=f.auth(world.admin_a), json={"label": "12345热线"})
    assert response.status_code == 201
    return response.json["api_key"]


def post(client, key, **values):
    body = {"api_key": key, "service_code": "safety", "address_id": "SQ-01-01-101",
            "description": "楼道堆放杂物", **values}
    return client.post("/open311/v2/requests.json", data={k: v for k, v in body.items() if v is not None})


def assert_error(response, code, field):
    assert response.status_code == code
    [error] = response.json
    assert error["code"] == code and error["description"].startswith(field)


def test_services_list_the_communitys_categories_with_the_spec_fields(client, world):
    services = client.get("/open311/v2/services.json?jurisdiction_id=SQ").json
    assert [s["service_code"] for s in services][:3] == ["repair", "dispute", "safety"]
    assert all(set(s) == SERVICE_FIELDS for s in services)
    dispute = services[1]
    assert dispute["service_name"] == "邻里纠纷" and dispute["metadata"] is False and dispute["type"] == "realtime"
    definition = client.get("/open311/v2/services/dispute.json?jurisdiction_id=SQ").json
    assert definition == {"service_code": "dispute", "attributes": []}


def test_posted_request_is_routed_like_any_other(client, world, key):
    response = post(client, key, first_name="张", last_name="三", phone="13800138000")
    assert response.status_code == 201
    [created] = response.json
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    req = db.session.get(ServiceRequest, int(created["service_request_id"]))
    assert req.handler_id == world.head1.id and req.source == "open311" and req.household_id == world.house1.id
    assert notices() == [(world.head1, "request_assigned")]
    event = client.get(f"/api/requests/{req.id}", headers=f.auth(world.head1)).json["events"][0]
    assert event["role"] is None and event["note"] == "Open311: 张 三 13800138000"


def test_requests_carry_the_spec_fields_and_values(client, world, key):
    rid = file(client, world.wechat1, "safety", "路灯不亮")["id"]
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="已更换灯泡")
    [body] = client.get(f"/open311/v2/requests/{rid}.json?api_key={key}").json
    assert set(body) == REQUEST_FIELDS
    assert body["service_request_id"] == str(rid) and body["status"] == "closed"
    assert body["status_notes"] == "已更换灯泡" and body["service_code"] == "safety"
    assert body["address_id"] == world.house1.code and body["agency_responsible"] == "胜泉社区第1网格"
    assert body["requested_datetime"].endswith("+08:00") and body["expected_datetime"].endswith("+08:00")
    assert body["lat"] is None and body["media_url"] is None


def test_request_filters(client, world, key):
    safety = file(client, world.wechat1, "safety")["id"]
    dispute = file(client, world.wechat2, "dispute")["id"]
    act(client, world.head2, dispute, "accept")
    act(client, world.head2, dispute, "resolve", note="和解")
    old = file(client, world.wechat1, "other")["id"]
    row = db.session.get(ServiceRequest, old)
    row.filed_at = row.filed_at - timedelta(days=120)
    db.session.commit()

    def ids(query):
        response = client.get(f"/open311/v2/requests.json?api_key={key}&{query}")
        assert response.status_code == 200, response.json
        return sorted(int(r["service_request_id"]) for r in response.json)

    assert ids("") == sorted([safety, dispute])                 # the last 90 days by default
    assert ids("status=open") == [safety]
    assert ids("status=closed") == [dispute]
    assert ids("service_code=dispute,other") == [dispute]
    assert ids("start_date=2000-01-01T00:00:00Z") == sorted([safety, dispute, old])
    assert ids("start_date=2000-01-01T00:00:00Z&end_date=2001-01-01T00:00:00%2B08:00") == []
    assert ids(f"service_request_id={old},{safety}&status=closed") == sorted([old, safety])


@pytest.mark.parametrize("query, code, field", [
    ("status=pending", 400, "status"),
    ("start_date=yesterday", 400, "start_date"),
    ("service_request_id=abc", 400, "service_request_id"),
])
def test_bad_filters_name_the_field(client, world, key, query, code, field):
    assert_error(client.get(f"/open311/v2/requests.json?api_key={key}&{query}"), code, field)


@pytest.mark.parametrize("values, code, field", [
    ({"api_key": None}, 403, "api_key"),
    ({"api_key": "o311_wrong"}, 403, "api_key"),
    ({"service_code": None}, 400, "service_code"),
    ({"service_code": "parking"}, 404, "service_code"),
    ({"address_id": None, "lat": "36.65", "long": "117.12"}, 400, "address_id"),
    ({"address_id": "SQ-09-09-909"}, 400, "address_id"),
    ({"address_id": None, "address_string": "1号楼101室"}, 400, "address_string"),
    ({"description": ""}, 400, "description"),
    ({"description": "x" * 1001}, 400, "description"),
])
def test_bad_posts_answer_a_georeport_error_list(client, world, key, values, code, field):
    assert_error(post(client, key, **values), code, field)
    assert db.session.query(ServiceRequest).count() == 0


def test_a_key_reaches_only_its_own_community(client, world, key):
    theirs = client.post("/api/open311/keys", headers=f.auth(world.admin_b), json={"label": "东风"}).json["api_key"]
    rid = file(client, world.wechat1)["id"]
    assert client.get(f"/open311/v2/requests/{rid}.json?api_key={key}").status_code == 200
    assert_error(client.get(f"/open311/v2/requests/{rid}.json?api_key={theirs}"), 404, "service_request_id")
    assert client.get(f"/open311/v2/requests.json?api_key={theirs}").json == []
    assert_error(post(client, theirs), 400, "address_id")    # house SQ-01-01-101 is not theirs


def test_revoked_key_is_refused_and_keys_are_never_listed(client, world, key):
    listed = client.get("/api/open311/keys", headers=f.auth(world.admin_a)).json
    assert len(listed) == 1 and "api_key" not in listed[0] and listed[0]["label"] == "12345热线"
    assert client.delete(f"/api/open311/keys/{listed[0]['id']}", headers=f.auth(world.admin_b)).status_code == 404
    assert client.delete(f"/api/open311/keys/{listed[0]['id']}", headers=f.auth(world.admin_a)).status_code == 204
    assert_error(client.get(f"/open311/v2/requests.json?api_key={key}"), 403, "api_key")
    assert client.post("/api/open311/keys", headers=f.auth(world.head1), json={"label": "x"}).status_code == 403


def test_unknown_community_resource_and_format(client, world):
    assert_error(client.get("/open311/v2/services.json"), 400, "jurisdiction_id")
    assert_error(client.get("/open311/v2/services.json?jurisdiction_id=XX"), 404, "jurisdiction_id")
    assert_error(client.get("/open311/v2/services/parking.json?jurisdiction_id=SQ"), 404, "service_code")
    assert_error(client.get("/open311/v2/services.xml"), 404, "No such resource")
    assert client.get("/open311/v2/requests.json").status_code == 403


# Found by tests/security/test_fuzz_open311.py: each answered 500, or the app's own JSON error shape.
@pytest.mark.parametrize("query, field", [
    ("start_date=0001-01-01T00:00:00", "start_date"),          # China time: before year 1 in UTC
    ("end_date=9999-12-31T23:59:59-12:00", "end_date"),        # after 9999 in UTC
    ("service_request_id=1,²", "service_request_id"),          # a digit to str.isdigit(), not to int()
])
def test_dates_and_ids_python_cannot_take_are_a_400(client, world, key, query, field):
    assert_error(client.get(f"/open311/v2/requests.json?api_key={key}&{query}"), 400, field)


def test_ids_beyond_any_request_name_none(client, world, key):
    huge = "9" * 20
    assert client.get(f"/open311/v2/requests.json?api_key={key}&service_request_id={huge}").json == []
    for rid in (huge, "abc", "١٢"):
        assert_error(client.get(f"/open311/v2/requests/{rid}.json?api_key={key}"), 404, "service_request_id")


@pytest.mark.parametrize("method, path, code", [
    ("PUT", "/open311/v2/requests.json", 405),
    ("DELETE", "/open311/v2/services.json?jurisdiction_id=SQ", 405),
    ("GET", "/open311/v2", 404),
    ("GET", "/open311/v2/", 404),
    ("POST", "/open311/v2/requests%0A.json", 404),
])
def test_every_url_under_the_prefix_answers_a_georeport_error_list(client, world, method, path, code):
    response = client.open(path, method=method)
    assert response.status_code == code and response.json[0]["code"] == code, response.get_data()

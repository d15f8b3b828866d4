"""The Open311 GeoReport v2 endpoint: the spec's fields, filters, API keys and error lists, in JSON and XML;
reads without a key; the discovery document and tokens; the caller's contacts kept from everyone but staff."""
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.models import AuditEvent, Notification, ServiceRequest
from app.web.extensions import db
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


def post(client, key, fmt="json", **values):
    body = {"api_key": key, "service_code": "safety", "address_id": "SQ-01-01-101",
            "description": "楼道堆放杂物", **values}
    return client.post(f"/open311/v2/requests.{fmt}", data={k: v for k, v in body.items() if v is not None})


def xml(response) -> ET.Element:
    assert response.mimetype == "text/xml", response.get_data()
    return ET.fromstring(response.get_data())


def texts(element: ET.Element) -> dict:
    """{child tag: its text}, an empty element's text as None."""
    return {child.tag: child.text for child in element}


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


def test_services_in_xml_carry_the_spec_element_names(client, world):
    root = xml(client.get("/open311/v2/services.xml?jurisdiction_id=SQ"))
    assert root.tag == "services" and {child.tag for child in root} == {"service"}
    services = [texts(service) for service in root]
    assert all(set(service) == SERVICE_FIELDS for service in services)
    assert services[1] == {"service_code": "dispute", "service_name": "邻里纠纷", "description": "邻里纠纷（48小时内办理）",
                           "metadata": "false", "type": "realtime", "keywords": "邻里纠纷", "group": "矛盾纠纷"}
    definition = xml(client.get("/open311/v2/services/dispute.xml?jurisdiction_id=SQ"))
    assert definition.tag == "service_definition" and texts(definition) == {"service_code": "dispute", "attributes": None}


CALLER = dict(first_name="张", last_name="三", phone="138 0013 8000", email="zhangsan@example.cn")


def test_posted_request_is_routed_like_any_other(client, world, key):
    response = post(client, key, **CALLER)
    assert response.status_code == 201
    [created] = response.json
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    req = db.session.get(ServiceRequest, int(created["service_request_id"]))
    assert req.handler_id == world.head1.id and req.source == "open311" and req.household_id == world.house1.id
    assert notices() == [(world.head1, "request_assigned")]


def test_the_callers_contacts_reach_staff_masked_and_no_notification(client, world, key):
    rid = post(client, key, **CALLER).json[0]["service_request_id"]
    shown = client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).json
    assert shown["source"] == "open311" and shown["events"][0]["note"] is None
    assert shown["caller"] == {"first_name": "张", "last_name": "三", "phone": "138****8000", "email": "z***@example.cn"}
    [listed] = client.get("/api/requests", headers=f.auth(world.admin_a)).json
    assert listed["caller"] == shown["caller"]
    # The household the request is about sees it, but not who called (a neighbour, perhaps).
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.wechat1)).json["caller"] is None
    # The handler's inbox (and the WeChat message made from it): the category and the description only.
    [inbox] = client.get("/api/inbox", headers=f.auth(world.head1)).json
    assert inbox["body"] == "安全隐患：楼道堆放杂物"
    bodies = " ".join(n.title + n.body for n in db.session.scalars(select(Notification)))
    assert not any(part in bodies for part in ("张", "13800138000", "8000", "zhangsan"))


def test_the_handler_or_admin_reveals_the_caller_with_a_reason_kept(client, world, key):
    rid = post(client, key, **CALLER).json[0]["service_request_id"]
    url, reason = f"/api/requests/{rid}/caller/reveal", {"reason": "回电核实楼道情况"}
    whole = {"first_name": "张", "last_name": "三", "phone": "13800138000", "email": "zhangsan@example.cn"}
    assert client.post(url, headers=f.auth(world.head1), json=reason).json == whole
    assert client.post(url, headers=f.auth(world.admin_a), json=reason).json == whole
    assert client.post(url, headers=f.auth(world.wechat1), json=reason).status_code == 403   # the household
    assert client.post(url, headers=f.auth(world.head2), json=reason).status_code == 404     # another grid
    assert client.post(url, headers=f.auth(world.admin_b), json=reason).status_code == 404   # another community
    refused = client.post(url, headers=f.auth(world.head1), json={"reason": "  "})
    assert refused.status_code == 422 and "reason" in refused.json["message"]
    audit = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "reveal").order_by(AuditEvent.id)).all()
    assert [(a.actor_staff_id, a.action, a.object_id, a.reason) for a in audit] == [
        (world.head1.id, "reveal", rid, "回电核实楼道情况"), (world.admin_a.id, "reveal", rid, "回电核实楼道情况")]


def test_a_request_from_the_mini_program_has_no_caller(client, world):
    rid = file(client, world.wechat1)["id"]
    assert client.get(f"/api/requests/{rid}", headers=f.auth(world.head1)).json["caller"] is None
    revealed = client.post(f"/api/requests/{rid}/caller/reveal", headers=f.auth(world.head1), json={"reason": "回电核实"})
    assert revealed.json == {"first_name": None, "last_name": None, "phone": None, "email": None}


@pytest.mark.parametrize("phone, stored", [
    ("+86 138-0013-8000", "13800138000"), ("0531-8888 6666", "053188886666"), ("+44 20 7946 0958", "+442079460958"),
    ("１３８００１３８０００", "13800138000"), ("０５３１－８８８８　６６６６", "053188886666"),   # typed full-width
])
def test_caller_phones_are_kept_as_digits(client, world, key, phone, stored):
    rid = post(client, key, phone=phone).json[0]["service_request_id"]
    assert db.session.get(ServiceRequest, int(rid)).caller_phone == stored


def test_a_real_georeport_client_in_xml(client, world, key):
    """File, look the token up and read the request back, as a GeoReport v2 client speaking XML does."""
    filed = xml(post(client, key, fmt="xml", **CALLER))
    assert filed.tag == "service_requests" and [child.tag for child in filed] == ["request"]
    created = texts(filed[0])
    assert created == {"service_request_id": created["service_request_id"], "service_notice": "24小时内办理",
                       "account_id": None}
    rid = created["service_request_id"]
    [token] = xml(client.get(f"/open311/v2/tokens/{rid}.xml?jurisdiction_id=SQ"))
    assert texts(token) == {"service_request_id": rid, "token": rid}
    [read] = xml(client.get(f"/open311/v2/requests/{rid}.xml?api_key={key}"))
    body = texts(read)
    assert set(body) == REQUEST_FIELDS and body["service_request_id"] == rid and body["status"] == "open"
    assert body["description"] == "楼道堆放杂物" and body["address_id"] == "SQ-01-01-101" and body["lat"] is None
    assert body["requested_datetime"].endswith("+08:00")
    listed = xml(client.get(f"/open311/v2/requests.xml?api_key={key}&status=open"))
    assert [texts(r)["service_request_id"] for r in listed] == [rid]
    everything = ET.tostring(listed, encoding="unicode")
    assert "13800138000" not in everything and "zhangsan" not in everything   # GeoReport never shows the caller


def test_errors_in_xml(client, world, key):
    root = xml(post(client, key, fmt="xml", description=""))
    assert root.tag == "errors" and [child.tag for child in root] == ["error"]
    assert texts(root[0]) == {"code": "400", "description": "description: required, at most 1000 characters."}
    unknown = xml(client.get("/open311/v2/services/parking.xml?jurisdiction_id=SQ"))
    assert texts(unknown[0])["code"] == "404" and texts(unknown[0])["description"].startswith("service_code")


def test_text_xml_cannot_carry_is_replaced_not_sent(client, world, key):
    rid = post(client, key, description="灯\x01坏\x0b了").json[0]["service_request_id"]
    [read] = xml(client.get(f"/open311/v2/requests/{rid}.xml?api_key={key}"))
    assert texts(read)["description"] == "灯\ufffd坏\ufffd了"


def test_reads_need_no_key_and_show_no_house_or_free_text(client, world, key):
    rid = post(client, key, **CALLER).json[0]["service_request_id"]
    act(client, world.head1, rid, "accept")
    act(client, world.head1, rid, "resolve", note="已联系张三清理")
    [public] = client.get("/open311/v2/requests.json?jurisdiction_id=SQ").json
    assert set(public) == REQUEST_FIELDS and public["service_request_id"] == rid and public["status"] == "closed"
    assert public["address"] == "胜泉社区1号楼" and public["address_id"] is None
    assert public["description"] is None and public["status_notes"] is None
    assert client.get(f"/open311/v2/requests/{rid}.json?jurisdiction_id=sq").json == [public]
    assert client.get("/open311/v2/requests.json?jurisdiction_id=DF").json == []
    assert_error(client.get(f"/open311/v2/requests/{rid}.json?jurisdiction_id=DF"), 404, "service_request_id")
    [keyed] = client.get(f"/open311/v2/requests/{rid}.json?api_key={key}").json
    assert keyed["address"] == "1号楼101室" and keyed["status_notes"] == "已联系张三清理"


def test_jurisdiction_must_be_the_keys_community(client, world, key):
    assert client.get(f"/open311/v2/requests.json?api_key={key}&jurisdiction_id=SQ").status_code == 200
    assert_error(client.get(f"/open311/v2/requests.json?api_key={key}&jurisdiction_id=DF"), 403, "jurisdiction_id")
    assert_error(client.get(f"/open311/v2/services.json?api_key={key}&jurisdiction_id=XX"), 404, "jurisdiction_id")
    assert_error(post(client, key, jurisdiction_id="DF"), 403, "jurisdiction_id")
    assert_error(client.get("/open311/v2/requests.json?api_key=o311_wrong&jurisdiction_id=SQ"), 403, "api_key")
    assert db.session.query(ServiceRequest).count() == 0


def test_tokens_name_the_request_filed(client, world, key):
    rid = post(client, key).json[0]["service_request_id"]
    assert client.get(f"/open311/v2/tokens/{rid}.json?jurisdiction_id=SQ").json == [
        {"service_request_id": rid, "token": rid}]
    assert_error(client.get(f"/open311/v2/tokens/{rid}.json?jurisdiction_id=DF"), 404, "token")
    assert_error(client.get("/open311/v2/tokens/abc.json?jurisdiction_id=SQ"), 404, "token")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery(client, app, fmt):
    response = client.get(f"/open311/discovery.{fmt}")
    if fmt == "json":
        document = response.json
        [endpoint] = document["endpoints"]
    else:
        root = xml(response)
        assert root.tag == "discovery" and [child.tag for child in root.find("endpoints")] == ["endpoint"]
        document, endpoint = texts(root), texts(root.find("endpoints/endpoint"))
        endpoint["formats"] = [f.text for f in root.findall("endpoints/endpoint/formats/format")]
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(document)
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == app.config["PUBLIC_BASE_URL"] + "/open311/v2" and endpoint["type"] == "production"
    assert endpoint["changeset"] and endpoint["formats"] == ["text/xml", "application/json"]


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
    ({"phone": "请回电"}, 400, "phone"),
    ({"phone": "١٣٨٠٠١٣٨٠٠٠"}, 400, "phone"),     # Arabic-Indic digits are not a number to dial here
    ({"email": "zhangsan"}, 400, "email"),
    ({"first_name": "张" * 51}, 400, "first_name"),
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
    assert client.delete(f"/api/open311/keys/{listed[0]['id']}", headers=f.auth(world.admin_a)).status_code == 204
    audited = db.session.execute(select(AuditEvent.action, AuditEvent.actor_staff_id, AuditEvent.community_id)
                                 .where(AuditEvent.object_type == "open311_key").order_by(AuditEvent.id)).all()
    assert audited == [("issue_key", world.admin_a.id, world.a.id), ("revoke_key", world.admin_a.id, world.a.id)]
    assert client.post("/api/open311/keys", headers=f.auth(world.head1), json={"label": "x"}).status_code == 403


def test_unknown_community_resource_and_format(client, world):
    assert_error(client.get("/open311/v2/services.json"), 400, "jurisdiction_id")
    assert_error(client.get("/open311/v2/requests.json"), 400, "jurisdiction_id")
    assert_error(client.get("/open311/v2/services.json?jurisdiction_id=XX"), 404, "jurisdiction_id")
    assert_error(client.get("/open311/v2/services/parking.json?jurisdiction_id=SQ"), 404, "service_code")
    assert_error(client.get("/open311/v2/services.csv?jurisdiction_id=SQ"), 404, "No such resource")
    assert_error(client.post("/open311/v2/requests.json"), 403, "api_key")


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


@pytest.mark.parametrize("method, path, code, allow", [
    ("PUT", "/open311/v2/requests.json", 405, "GET, HEAD, OPTIONS, POST"),
    ("DELETE", "/open311/v2/services.json?jurisdiction_id=SQ", 405, "GET, HEAD, OPTIONS"),
    ("POST", "/open311/v2/requests/1.json", 405, "GET, HEAD, OPTIONS"),
    ("PATCH", "/open311/discovery.json", 405, "GET, HEAD, OPTIONS"),
    ("GET", "/open311/v2", 404, None),
    ("GET", "/open311/v2/", 404, None),
    ("DELETE", "/open311/v2/nothing.json", 404, None),
    ("POST", "/open311/v2/requests%0A.json", 404, None),
])
def test_every_url_under_the_prefix_answers_a_georeport_error_list(client, world, method, path, code, allow):
    response = client.open(path, method=method)
    assert response.status_code == code and response.json[0]["code"] == code, response.get_data()
    assert response.headers.get("Allow") == allow
    options = client.options(path)
    assert (options.status_code, options.headers.get("Allow")) == ((200, allow) if allow else (404, None))

"""Hypothesis fuzzes the Open311 GeoReport v2 API (/open311), which /api/openapi.json does not describe:
paths, formats and methods, jurisdictions and keys, the listing's filters, and the form fields of a filed
request, known values mixed with junk. No answer is a 5xx; every answer to a .xml path parses as XML; every
error is GeoReport's list of one {code, description} (<errors><error>…) with a documented status, a 405 with
Allow; reads and refused calls leave saved data untouched; a request filed is one row in the key's community.
Bounded and derandomized: the same cases every run."""
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.models import ServiceRequest
from app.open311.keys import issue_key, revoke_key
from app.web.extensions import db
from tests.security.fuzzing import bounded, either, junk
from tests.security.stage import saved_data

ROOT = "/open311"
PREFIX = f"{ROOT}/v2"
ERRORS = {400, 403, 404, 405}   # bad parameter, bad api_key, nothing there, neither GET nor POST
CODES = ["repair", "dispute", "safety", "other", "parking", "DISPUTE"]
OFFSETS = ["", "Z", "+08:00", "-12:00", "+14:00", "+0800"]
FILTERS = ["service_request_id", "service_code", "start_date", "end_date", "status"]


def moments():
    """ISO 8601 date-times over the whole calendar (its two ends included), with or without an offset."""
    moment = st.one_of(st.datetimes(), st.sampled_from([datetime.min, datetime.max]))
    return st.one_of(st.builds(lambda m, offset: m.isoformat() + offset, moment, st.sampled_from(OFFSETS)),
                     st.dates().map(str), junk)


def id_lists(ids):
    one = st.one_of(st.sampled_from(ids).map(str), st.integers(-10, 2**70).map(str), st.sampled_from(["²", "١٢", " 7"]))
    return st.one_of(st.lists(one, max_size=4).map(",".join), junk)


def parameters(w, revoked_key) -> dict:
    """Each GeoReport parameter's values: known ones that reach deep, mixed with junk."""
    house, theirs = w.house1, w.house_b
    return {
        "api_key": either([w.api_key, revoked_key, "o311_" + "x" * 32, ""]),
        "jurisdiction_id": either(["SQ", "sq", "DF", "XX"]),
        "service_code": either(CODES + ["dispute,other", ","]),
        "address_id": either([house.code, theirs.code, house.code.lower()]),
        "address_string": either([house.address, theirs.address]),
        "description": either(["楼道堆物", "  ", "修" * 1000, "修" * 1001], st.text(max_size=60)),
        "lat": either(["36.65", "-91", "NaN"], st.floats().map(str)),
        "long": either(["117.12", "181"], st.floats().map(str)),
        "service_request_id": id_lists([w.req_joint.id, w.req_b.id]),
        "start_date": moments(), "end_date": moments(),
        "status": either(["open", "closed", "open,closed", "pending", "OPEN"]),
        **{name: junk for name in ("email", "phone", "first_name", "last_name", "device_id", "account_id",
                                   "media_url", "attribute[WHERE]", "attribute[]")},
    }


def some(values: dict, names: list, most: int = 3):
    """Up to `most` of the named parameters, now and then with one GeoReport does not know."""
    chosen = st.lists(st.sampled_from(names), max_size=most, unique=True).flatmap(
        lambda picked: st.fixed_dictionaries({name: values[name] for name in picked}))
    return st.builds(lambda known, unknown: {**unknown, **known}, chosen, st.dictionaries(junk, junk, max_size=1))


def paths(w):
    """Every resource of the API (and some it lacks), in every format, with junk in the variable parts."""
    ids = st.one_of(st.sampled_from([w.req_joint.id, w.req_b.id]).map(str), st.integers(-5, 2**70).map(str), junk)
    resource = st.one_of(st.sampled_from(["services", "requests", "", "tokens", "discovery"]),
                         either(CODES).map(lambda code: f"services/{code}"), ids.map(lambda i: f"requests/{i}"),
                         ids.map(lambda i: f"tokens/{i}"), junk)
    fmt = st.sampled_from([".json", ".xml", ".json", ".xml", "", ".JSON", "/"])
    prefix = st.sampled_from([PREFIX, PREFIX, ROOT])   # the discovery document is outside /v2
    return st.builds(lambda p, r, f: f"{p}/{quote(r + f, safe='/')}", prefix, resource, fmt)


@pytest.fixture(scope="module")
def values(stage):
    stage.ready()
    revoked, row = issue_key(stage.w.a.id, "已停用的热线")
    revoke_key(row)
    db.session.commit()
    return parameters(stage.w, revoked)


def _errors(response) -> list[dict]:
    """The answer's error list, read as its format says; None if it is not one."""
    if response.mimetype != "text/xml":
        return response.get_json(silent=True)
    root = ET.fromstring(response.get_data())
    return [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in root] \
        if root.tag == "errors" and all(e.tag == "error" for e in root) else None


def check(response, detail: str):
    """Never a 5xx; a .xml path's answer is XML; an error is GeoReport's list of one {code, description} with
    a documented status (a 405 with the methods it takes)."""
    status = response.status_code
    assert status < 500, detail
    path = response.request.path
    if 300 <= status < 400:   # werkzeug merges a doubled slash ("/v2//services.json") with a redirect
        assert status == 308 and response.location.startswith(f"http://localhost{ROOT}/"), detail
        return
    assert response.mimetype == ("text/xml" if path.endswith(".xml") else "application/json") or \
        response.request.method == "OPTIONS", detail
    if status >= 400:
        body = _errors(response)
        assert status in ERRORS and isinstance(body, list) and len(body) == 1, detail
        assert body[0]["code"] == status and isinstance(body[0]["description"], str) and body[0]["description"], detail
        assert (status == 405) == ("Allow" in response.headers), detail
    elif response.request.method == "OPTIONS":
        assert "OPTIONS" in response.headers["Allow"], detail
    elif path.endswith(".xml"):
        ET.fromstring(response.get_data())


def read(stage, method: str, path: str, query: dict):
    """Call, check the answer, and that saved data is as it was."""
    before = saved_data()
    response = stage.client.open(path, method=method, query_string=query)
    db.session.rollback()   # as the end of a real request does
    detail = f"{method} {path} {query!r}: {response.status_code} {response.get_data()[:300]!r}"
    check(response, detail)
    assert saved_data() == before, f"changed saved data: {detail}"


def test_any_path_method_and_parameters_answer_georeport_and_change_nothing(stage, values):
    @bounded(300)
    @given(method=st.sampled_from(["GET"] * 4 + ["PUT", "PATCH", "DELETE", "OPTIONS"]), path=paths(stage.w),
           query=some(values, sorted(values)), keyed=st.booleans())
    def fuzz(method, path, query, keyed):
        read(stage, method, path, {"api_key": stage.w.api_key, **query} if keyed else query)

    fuzz()


def test_listing_filters_answer_georeport_and_change_nothing(stage, values):
    @bounded(300)
    @given(query=some(values, FILTERS))
    def fuzz(query):
        read(stage, "GET", f"{PREFIX}/requests.json", {**query, "api_key": stage.w.api_key})

    fuzz()


def filed_count() -> int:
    return db.session.scalar(select(func.count(ServiceRequest.id)))


def test_filing_refuses_bad_input_without_a_trace(stage, values):
    w = stage.w
    valid = {"api_key": w.api_key, "service_code": "dispute", "address_id": w.house1.code, "description": "楼道堆物"}
    # A valid filing with a field dropped and up to three of the fields it reads set, or any fields at all.
    changed = st.builds(lambda drop, changes: {k: v for k, v in {**valid, **changes}.items() if k != drop},
                        st.sampled_from([None, None, *valid]),
                        some(values, [*valid, "address_string", "first_name", "phone", "email", "lat", "long"]))
    anything = some(values, sorted(values), most=6)

    @bounded(300)
    @given(path=either([f"{PREFIX}/requests.json"], paths(w)), form=st.one_of(changed, anything),
           in_query=st.booleans())
    def fuzz(path, form, in_query):
        before, filed = saved_data(), filed_count()
        sent = {"query_string": form} if in_query else {"data": form}
        response = stage.client.post(path, **sent)
        db.session.rollback()
        detail = f"POST {path} {sent!r}: {response.status_code} {response.get_data()[:300]!r}"
        check(response, detail)
        if response.status_code == 201:
            [created] = response.json
            req = db.session.get(ServiceRequest, int(created["service_request_id"]))
            assert req.community_id == w.a.id and req.source == "open311" and filed_count() == filed + 1, detail
        else:
            assert saved_data() == before, f"refused but changed saved data: {detail}"

    fuzz()

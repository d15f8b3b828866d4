"""Values no field takes, sent to every route the authorization matrix lists, as a caller the route lets in:

- a lone UTF-16 surrogate ("\\ud800") in a JSON body: valid JSON, but no text (every route);
- a huge integer in the query (`page` on every route, and each integer the spec documents) and in the body
  (each integer, or list of integers, the spec documents);
- a time at the calendar's ends (0001-01-01T00:00:00+14:00 has no UTC reading) in each date-time the spec
  documents, and the first and last days in each date.

None is a 500. A documented field answers a 4xx naming it (Open311: its 400); an unknown page past the end may be
an empty page. The schemathesis fuzz (test_fuzz.py) draws values at random: these classes it seldom reaches."""
from json import dumps
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from app import create_app
from app.web.extensions import db
from config import TestConfig
from tests.security.matrix_table import TABLE
from tests.security.routes import route_keys
from tests.security.stage import ANONYMOUS

HUGE = 99999999999999999999
EXTREME_TIMES = ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00")
EXTREME_DAYS = ("0001-01-01", "9999-12-31")
SURROGATE = "\ud800"


def _spec_and_keys():
    app = create_app(TestConfig)
    return app.test_client().get("/api/openapi.json").json, route_keys(app)


SPEC, KEYS = _spec_and_keys()
OPERATIONS = {KEYS[f"{method.upper()} {path}"]: operation for path, item in SPEC["paths"].items()
              for method, operation in item.items() if method != "parameters"}


def _resolved(schema: dict) -> dict:
    while "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def fields_of(key: str) -> SimpleNamespace:
    """The documented query parameters and JSON body properties of a route, by kind."""
    operation = OPERATIONS.get(key, {})
    query = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", []) if p["in"] == "query"}
    content = operation.get("requestBody", {}).get("content", {})
    body = _resolved(content["application/json"]["schema"]).get("properties", {}) if "application/json" in content \
        else {}

    def named(where, test):
        return [name for name, schema in where.items() if test(_resolved(schema))]

    def integers(schema):
        return schema.get("type") == "integer" or _resolved(schema.get("items", {})).get("type") == "integer"

    return SimpleNamespace(
        query_ints=named(query, integers), body_ints=named(body, integers),
        query_times=named(query, lambda s: s.get("format") == "date-time"),
        body_times=named(body, lambda s: s.get("format") == "date-time"),
        days=[(where, name) for where, props in (("query", query), ("json", body))
              for name in named(props, lambda s: s.get("format") == "date")])


def caller(key: str) -> str:
    entry = TABLE[key]
    return ANONYMOUS if entry.public is not None else min(entry.roles, default=ANONYMOUS)


def call(stage, key, *, query=None, json=None):
    """Call the route on the caller's own objects with this query and JSON body; its answer."""
    stage.ready()
    entry, method = TABLE[key], key.rsplit(" ", 1)[1]
    role = caller(key)
    place = stage.places[role][0]
    client, headers = stage.console(role) if entry.session else (stage.client, stage.headers[role])
    body = {} if json is None else {"data": dumps(json), "content_type": "application/json"}   # "\ud800" escaped
    path, _, own_query = entry.path.format(**place).partition("?")   # some entries' paths carry a query of their own
    query_string = "&".join(filter(None, [own_query, urlencode(query or {})]))
    response = client.open(path, method=method, headers=headers, query_string=query_string, **body)
    db.session.rollback()
    stage.dirty = stage.dirty or response.status_code >= 500 or (method != "GET" and response.status_code < 400)
    return response


def names(response, field: str) -> bool:
    """A 4xx whose JSON message names the field; a page or an Open311 list, any 4xx (their own look)."""
    if not 400 <= response.status_code < 500:
        return False
    body = response.get_json(silent=True)
    if isinstance(body, dict):
        return field in body.get("message", "")
    return True


def detail(key, response) -> str:
    return ascii(f"{key}: {response.status_code} {response.get_data()[:300].decode(errors='replace')}")


ROUTES = sorted(TABLE)


@pytest.mark.parametrize("key", ROUTES)
def test_a_lone_surrogate_in_a_json_body_names_the_field(stage, key):
    response = call(stage, key, json={"text": SURROGATE, "members": [{"name": "小" + SURROGATE}]})
    assert names(response, "text"), detail(key, response)
    assert call(stage, key, json={SURROGATE: 1}).status_code < 500


@pytest.mark.parametrize("key", ROUTES)
def test_a_huge_integer_in_the_query_is_never_a_500(stage, key):
    documented = fields_of(key).query_ints
    for name in {"page", *documented}:
        response = call(stage, key, query={name: HUGE})
        past_the_end = name == "page" and response.status_code == 200   # an empty page: nothing is there
        assert response.status_code < 500 and (name not in documented or past_the_end or names(response, name)), \
            detail(key, response)


BODIES = [key for key in ROUTES if fields_of(key).body_ints]


@pytest.mark.parametrize("key", BODIES)
def test_a_huge_integer_in_the_body_names_the_field(stage, key):
    for name in fields_of(key).body_ints:
        for value in (HUGE, -HUGE, [HUGE]):
            response = call(stage, key, json={name: value})
            assert names(response, name), detail(key, response)


DATED = [key for key in ROUTES if (found := fields_of(key)).query_times or found.body_times or found.days]


@pytest.mark.parametrize("key", DATED)
def test_a_time_at_the_calendars_ends_names_the_field(stage, key):
    found = fields_of(key)
    for where, name in [("query", n) for n in found.query_times] + [("json", n) for n in found.body_times]:
        for value in EXTREME_TIMES:
            response = call(stage, key, **{where: {name: value}})
            assert names(response, name), detail(key, response)
    for where, name in found.days:
        for value in EXTREME_DAYS:
            response = call(stage, key, **{where: {name: value}})
            assert response.status_code < 500 and (response.status_code < 400 or names(response, name)), \
                detail(key, response)


def test_every_class_reaches_routes():
    """The spec's fields are found: a renamed format or a moved body would otherwise leave these tests empty."""
    assert len(BODIES) >= 10 and len(DATED) >= 5
    assert "activities.Activities POST" in DATED and "wish_pages.wall_page GET" in ROUTES

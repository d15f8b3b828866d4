"""Every route of the URL map × every role × {its own object, another's, no token}: the 401/403/404/2xx that
tests/security/matrix_table.py gives. A route the table lacks fails test_every_route_has_an_entry."""
import pytest

from app import create_app
from app.web.extensions import db
from config import TestConfig
from tests.security.bodies import Call
from tests.security.matrix_table import TABLE
from tests.security.routes import route_keys
from tests.security.stage import ANONYMOUS, CONSOLE_ROLES, ROLES

DENIALS = (401, 403, 404)
ROUTES = sorted(set(route_keys(create_app(TestConfig)).values()))


def cases():
    for key in ROUTES:
        entry = TABLE.get(key)
        if entry is None:
            continue   # test_every_route_has_an_entry names it
        if entry.public is not None:
            callers = [(ANONYMOUS, case) for case in entry.public]
        else:
            kinds = ("own", "other") if entry.names_an_object else ("own",)
            signing_in = CONSOLE_ROLES if entry.session else ROLES
            callers = [(role, case) for role in signing_in for case in kinds] + [(ANONYMOUS, "no token")]
        yield from (pytest.param(key, role, case, id=f"{key}-{role}-{case}") for role, case in callers)


def expected(entry, role: str, case: str):
    """The status the table promises: a number, or "2xx"."""
    if entry.public is not None:
        return entry.public[case]
    if case == "no token":
        return "sign-in" if entry.session else 401
    if role in entry.blind:
        return 404
    if role in entry.late:
        return 403 if case == "own" else 404
    if role not in entry.roles:
        return 403
    return "2xx" if case == "own" else 404


def test_every_route_has_an_entry():
    missing = sorted(set(ROUTES) - set(TABLE))
    assert not missing, f"Add these routes to tests/security/matrix_table.py (who may call them): {missing}"
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, f"tests/security/matrix_table.py lists routes the app no longer has: {stale}"


@pytest.mark.parametrize("key, role, case", list(cases()))
def test_authorization(stage, key, role, case):
    entry, method = TABLE[key], key.rsplit(" ", 1)[1]
    stage.ready()
    own, other = stage.places[role]
    place = dict(own, api_key="") if case == "no_key" else other if case == "other" else own
    prepared = callable(entry.body)
    stage.dirty = method != "GET" or prepared      # until the answer shows nothing changed
    kwargs = entry.body(Call(stage, role, case, place)) if prepared else dict(entry.body or {})
    client, headers = stage.console(role) if entry.session else (stage.client, stage.headers[role])
    response = client.open(entry.path.format(**place), method=method, headers=headers, **kwargs)
    db.session.rollback()   # as the end of a real request does
    status = response.status_code
    refused_untouched = status in DENIALS and not prepared   # nothing was written before the refusal
    stage.dirty = (stage.dirty and not refused_untouched) or status >= 500
    want = expected(entry, role, case)
    detail = f"{method} {entry.path} as {role} ({case}): {status} {response.get_data()[:300].decode(errors='replace')}"
    to_sign_in = status in (302, 303) and response.location.startswith("/console/login")
    if want == "sign-in":
        assert to_sign_in, detail
    elif want == "2xx" and entry.session:   # a page, or a redirect to the next one (never to the sign-in)
        assert 200 <= status < 300 or (status in (302, 303) and not to_sign_in), detail
    elif want == "2xx":
        assert 200 <= status < 300, detail
    else:
        assert status == want, detail


def test_the_spec_needs_a_token_exactly_where_the_table_does(stage):
    """The OpenAPI spec's `security` says the same as the table: public operations need no bearer token."""
    spec = stage.client.get("/api/openapi.json").json
    keys = route_keys(stage.app)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            public = TABLE[keys[f"{method.upper()} {path}"]].public is not None
            assert (operation.get("security") == []) == public, f"{method.upper()} {path}"

"""What the app takes from inside flask-limiter and flask-smorest, names they keep private: each test checks the
name still has the shape relied on and that what the app builds on it still happens, so an upgrade that changes
one fails here, by name, rather than silently (a check skipped, a header documented the library's way)."""
import inspect
import json
from functools import partial

import flask_smorest
from flask import Blueprint, Flask
from flask_limiter import Limiter
from flask_smorest.spec import APISpecMixin

from app.web import limits
from app.web.blueprint import Blueprint as ApiBlueprint
from app.web.limits import _limits_checked, start_limiter
from tests import factories as f

# -- flask-limiter: start_limiter swaps its request hooks, _check_shared_limits reads its private limits --------


def _bare_app(monkeypatch, **limiter_options):
    """A Flask app with a limiter of its own in place of the app's (limits declared here stay here), counting every
    request as one caller, with routes /open/<name> (a blueprint), /shared/<name> (another) and /<name>."""
    limiter = Limiter(key_func=lambda: "caller", storage_uri="memory://", **limiter_options)
    monkeypatch.setattr(limits, "limiter", limiter)
    app = Flask(__name__)
    app.config["RATELIMIT_ENABLED"] = True
    app.add_url_rule("/<name>", "plain", lambda name: name)
    for prefix in ("open", "shared"):
        bp = Blueprint(prefix, __name__, url_prefix=f"/{prefix}")
        bp.add_url_rule("/<name>", "page", lambda name: name)
        app.register_blueprint(bp)
    return app, limiter


def _answers(app, path, times=3):
    client = app.test_client()
    return [client.get(path).status_code for _ in range(times)]


def test_flask_limiter_registers_the_three_hooks_start_limiter_swaps(monkeypatch):
    app, limiter = _bare_app(monkeypatch)
    limiter.init_app(app)
    before, = app.before_request_funcs[None]
    after, = app.after_request_funcs[None]
    teardown, = app.teardown_request_funcs[None]
    # What limits._replace looks for: a method of the limiter, or a partial handed it.
    assert before == limiter._check_request_limit
    assert isinstance(after, partial) and after.args == (limiter,)
    assert teardown.__self__ is limiter

    swapped, limiter = _bare_app(monkeypatch)
    start_limiter(swapped)
    assert swapped.before_request_funcs[None] == [limits._check_shared_limits]
    for kind in (swapped.after_request_funcs, swapped.teardown_request_funcs):
        hook, = kind[None]
        assert getattr(hook, "__self__", None) is not limiter and not isinstance(hook, partial), kind


def test_with_no_shared_limit_nothing_is_checked_before_the_view(monkeypatch):
    """The point of the swap: a request no limit applies to leaves flask-limiter alone (no context made, no check)."""
    app, limiter = _bare_app(monkeypatch)
    start_limiter(app)
    assert (limiter.limit_manager.default_limits, limiter.limit_manager.application_limits,
            limiter.limit_manager._blueprint_limits, limiter._meta_limits) == ([], [], {}, [])
    seen = []
    app.view_functions["plain"] = lambda name: str(seen.append(_limits_checked()))

    def checked(*args, **kwargs):
        raise AssertionError("flask-limiter's before-request check ran with no shared limit declared")

    monkeypatch.setattr(limiter, "_check_request_limit", checked)
    assert _answers(app, "/page") == [200, 200, 200] and seen == [False, False, False]


def test_a_view_limit_is_seen_checked_and_its_deductions_made_after_the_view(monkeypatch):
    """_limits_checked reads flask-limiter's request context attribute: a view's limit makes it, and the swapped
    after-request hook, run only then, makes the deductions of `deduct_when`."""
    app, limiter = _bare_app(monkeypatch)
    start_limiter(app)
    seen = []

    def refused(name):
        seen.append(_limits_checked())
        return name, 401

    app.view_functions["plain"] = limiter.limit("1/minute", deduct_when=lambda answer: answer.status_code == 401)(
        refused)
    app.view_functions["shared.page"] = limiter.limit("1/minute", deduct_when=lambda answer: False)(
        lambda name: name)
    assert _answers(app, "/page") == [401, 429, 429] and seen == [True]
    assert _answers(app, "/shared/page") == [200, 200, 200]   # never deducted


def test_a_default_limit_holds_everywhere_but_on_an_exempt_blueprint(monkeypatch):
    app, limiter = _bare_app(monkeypatch, default_limits=["2/minute"])
    limiter.exempt(app.blueprints["open"])
    start_limiter(app)
    assert _answers(app, "/open/page") == [200, 200, 200]
    assert _answers(app, "/shared/page") == [200, 200, 429]
    assert _answers(app, "/page") == [200, 200, 429]


def test_a_blueprints_limit_holds_on_its_routes_alone(monkeypatch):
    app, limiter = _bare_app(monkeypatch)
    limiter.limit("2/minute")(app.blueprints["shared"])
    start_limiter(app)
    assert isinstance(limiter.limit_manager._blueprint_limits, dict)
    assert set(limiter.limit_manager._blueprint_limits) == {"shared"}
    assert _answers(app, "/shared/page") == [200, 200, 429]
    assert _answers(app, "/open/page") == [200, 200, 200]
    assert _answers(app, "/page") == [200, 200, 200]


def test_a_meta_limit_stops_a_caller_who_broke_a_limit_on_every_route(monkeypatch):
    app, limiter = _bare_app(monkeypatch, meta_limits=["1/hour"])
    assert isinstance(limiter._meta_limits, list) and limiter._meta_limits
    assert all(parameter.default is not inspect.Parameter.empty
               for parameter in inspect.signature(limiter._check_request_limit).parameters.values())
    app.view_functions["shared.page"] = limiter.limit("1/minute")(lambda name: name)
    start_limiter(app)
    assert _answers(app, "/open/page", times=1) == [200]
    assert _answers(app, "/shared/page", times=2) == [200, 429]
    assert _answers(app, "/open/page", times=1) == [429]   # no limit of its own: the meta limit's


# -- flask-smorest: the app's Blueprint and Api override two of its private methods ------------------------------


def test_flask_smorest_asks_the_blueprint_for_the_pagination_metadata(client, world, monkeypatch):
    """Blueprint._make_pagination_metadata answers as flask-smorest's own (a static method of the page, its size and
    the item count), and flask-smorest still calls it for X-Pagination."""
    theirs = inspect.getattr_static(flask_smorest.Blueprint, "_make_pagination_metadata")
    assert isinstance(theirs, staticmethod)
    assert list(inspect.signature(theirs).parameters) == ["page", "page_size", "item_count"]
    for count in (0, 1, 9, 10, 11, 25):
        for page in (1, 2, 3, 4):
            assert (ApiBlueprint._make_pagination_metadata(page, 10, count) ==
                    flask_smorest.Blueprint._make_pagination_metadata(page, 10, count)), (page, count)

    asked = []

    def metadata(page, page_size, item_count):
        asked.append((page, page_size, item_count))
        return {"asked": True}

    monkeypatch.setattr(ApiBlueprint, "_make_pagination_metadata", staticmethod(metadata))
    response = client.get("/api/households?page_size=1&page=2", headers=f.auth(world.police_all))
    assert response.status_code == 200 and len(response.json) == 1
    assert asked == [(2, 1, 4)] and json.loads(response.headers["X-Pagination"]) == {"asked": True}


def test_the_pagination_header_is_documented_as_json(client):
    """JsonErrorApi._register_pagination_header replaces flask-smorest's, which it calls while making the spec: the
    header's content is JSON, not a bare object `schema` (which OpenAPI reads as "k,v,k,v")."""
    assert "_register_pagination_header" in vars(APISpecMixin)
    spec = client.get("/api/openapi.json").json
    assert spec["components"]["headers"]["PAGINATION"] == {
        "description": "Pagination metadata, as JSON",
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PaginationMetadata"}}},
    }
    answer = spec["paths"]["/api/households"]["get"]["responses"]["200"]
    assert answer["headers"]["X-Pagination"] == {"$ref": "#/components/headers/PAGINATION"}


# -- Flask: tests/conftest.py's SessionApp hands each test the app as if new, by what Flask marks it served with -----


def test_an_app_that_served_takes_new_routes_once_marked_as_not_served(app, client):
    assert client.get("/healthz").status_code == 200
    assert app._got_first_request is True
    app._got_first_request = False
    app.add_url_rule("/late", "late", lambda: "late")   # else: "The setup method 'add_url_rule' can no longer be …"
    assert client.get("/late").get_data(as_text=True) == "late"

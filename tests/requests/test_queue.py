"""GET /api/requests builds its answer from plain rows for speed: it must stay RequestSchema's dump (which the
OpenAPI spec documents) of the requests visible_requests lists, page by page, filter by filter."""
import json

import pytest
from flask import g, jsonify
from flask_smorest.pagination import PaginationParameters

from app.auth.principal import principal_from_request
from app.models import RequestStatus, ServiceRequest
from app.requests.schemas import RequestSchema
from app.requests.scope import visible_requests
from app.web.pagination import page_of
from tests import factories as f
from tests.requests.helpers import act, file

QUERIES = ["", "?status=open", "?status=closed", "?category=dispute", "?mine=true", "?grid_id={grid}",
           "?page=2&page_size=2", "?page=3&page_size=2", "?page_size=3", "?page=9&page_size=2"]


@pytest.fixture
def requests(client, world):
    """Requests of every kind in grid 1: with each handler, a hotline caller, accepted, resolved and rated."""
    file(client, world.wechat1, "safety")                                   # to the grid head
    file(client, world.wechat1, "repair")                                   # to the unit leader
    file(client, world.wechat1, "dispute")                                  # to the joint head
    rated = file(client, world.wechat1, "safety", "门禁坏了")["id"]
    for step, who, body in [("accept", world.head1, {}), ("resolve", world.head1, {"note": "修好了"}),
                            ("rate", world.wechat1, {"rating": 4, "note": "快"})]:
        assert act(client, who, rated, step, **body).status_code == 201
    accepted = file(client, world.wechat1, "repair", "水管")["id"]
    assert act(client, world.leader, accepted, "accept").status_code == 201
    key = client.post("/api/open311/keys", headers=f.auth(world.admin_a), json={"label": "12345热线"}).json["api_key"]
    hotline = client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "dispute", "address_id": world.house1.code, "description": "邻里纠纷",
        "first_name": "张", "phone": "13900001111", "email": "caller@example.cn"})
    assert hotline.status_code == 201
    file(client, world.wechat2, "safety")                                   # grid 2's


def _expected(app, viewer, query: str):
    """The answer as it was made before: visible_requests paged by page_of and dumped by RequestSchema."""
    with app.test_request_context(f"/api/requests{query}", headers=f.auth(viewer)) as context:
        g.principal = principal_from_request()
        args = context.request.args
        status = args.get("status")
        pages = PaginationParameters(int(args.get("page", 1)), int(args.get("page_size", 10)))
        query = visible_requests(g.principal, status and RequestStatus(status),
                                 args.get("grid_id", type=int), args.get("category"), args.get("mine") == "true")
        rows = page_of(query, pages, ServiceRequest.filed_at.desc(), ServiceRequest.id.desc())
        return jsonify(RequestSchema(many=True).dump(rows)).get_data(), pages.item_count


@pytest.mark.parametrize("viewer", ["wechat1", "head1", "leader", "joint", "admin_a", "police1"])
def test_the_queue_is_the_schemas_dump_of_the_visible_requests(app, client, world, requests, viewer):
    who = getattr(world, viewer)
    for query in QUERIES:
        query = query.format(grid=world.grid1.id)
        response = client.get(f"/api/requests{query}", headers=f.auth(who))
        assert response.status_code == 200, response.json
        body, total = _expected(app, who, query)
        assert response.get_data() == body, (viewer, query)
        assert json.loads(response.headers["X-Pagination"])["total"] == total, (viewer, query)


def test_the_queue_shows_callers_and_phones_as_the_schema_does(client, world, requests):
    """The cases the fixture is there for, seen in the answers themselves."""
    staff_view = client.get("/api/requests?category=dispute", headers=f.auth(world.admin_a)).json
    assert {r["caller"]["phone"] for r in staff_view if r["caller"]} == {"139****1111"}
    mine = client.get("/api/requests?page_size=50", headers=f.auth(world.wechat1)).json
    assert all(r["caller"] is None for r in mine)
    assert {r["handler"]["phone"] == world.head1.phone for r in mine if r["handler"]["id"] == world.head1.id} == {True}
    assert {r["status"] for r in mine} == {"open", "accepted", "closed"}


def test_the_pagination_header(client, world, requests):
    headers = f.auth(world.head1)
    page = client.get("/api/requests?page=2&page_size=2", headers=headers)
    assert json.loads(page.headers["X-Pagination"]) == {
        "total": 6, "total_pages": 3, "first_page": 1, "last_page": 3, "page": 2, "previous_page": 1, "next_page": 3}
    first = client.get("/api/requests?page_size=10", headers=headers)
    assert json.loads(first.headers["X-Pagination"]) == {
        "total": 6, "total_pages": 1, "first_page": 1, "last_page": 1, "page": 1}
    far = client.get("/api/requests?page=99999999999999999", headers=headers)
    assert far.status_code == 200 and far.json == []
    assert json.loads(far.headers["X-Pagination"])["total"] == 6

"""GeoReport v2 under /open311/v2 in XML and JSON, and its discovery document: services and requests are read
by anyone (a community named by jurisdiction_id), filed with the community's API key."""
from datetime import timedelta

from flask import Blueprint, current_app, request
from flask.blueprints import BlueprintSetupState
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from app.clock import utcnow
from app.models import Category, Community, Household, RequestStatus, ServiceRequest
from app.open311.formats import answer, errors
from app.open311.georeport import (
    OPEN311_STATUS,
    caller,
    discovery,
    parse_w3c,
    service,
    service_definition,
    service_notice,
    service_request,
)
from app.open311.keys import community_for_key
from app.requests.categories import categories, category_by_code
from app.requests.lifecycle import file_request
from app.web.extensions import db
from app.web.ids import MAX_ID
from app.web.refusals import NotFound, Refusal

bp = Blueprint("open311", __name__, url_prefix="/open311")
DEFAULT_DAYS, MAX_REQUESTS = 90, 1000   # the spec's default window and cap
FORMAT = "<any(xml, json):fmt>"
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@bp.errorhandler(HTTPException)
def http_error(exc):
    """Every error under /open311, refusals (app/web/refusals.py) included, in GeoReport's own format."""
    return errors(exc.code, exc.description)


def _route(rule: str, method: str = "GET"):
    """A resource's rule, without Flask's automatic OPTIONS: `unknown` answers OPTIONS with the path's own methods."""
    return bp.route(rule, methods=[method], provide_automatic_options=False)


def _community(key_required: bool = False) -> tuple[Community, bool]:
    """The community called, and whether with its api_key. A key names its community, jurisdiction_id (the
    community code) one for a read without a key; given both, they must name the same one."""
    key, code = request.values.get("api_key"), request.values.get("jurisdiction_id")
    community = None
    if key or key_required:
        community = community_for_key(key)
        if community is None:
            raise Refusal("missing or invalid.", "api_key", status=403)
    if code:
        named = db.session.scalar(select(Community).where(Community.code == code.upper()))
        if named is None:
            raise Refusal(f"no community '{code}'.", "jurisdiction_id", status=404)
        if community is not None and named.id != community.id:
            raise Refusal(f"'{code}' is not the community of this api_key.", "jurisdiction_id", status=403)
        return named, community is not None
    if community is None:
        raise Refusal("required (the community code) when there is no api_key.", "jurisdiction_id", status=400)
    return community, True


def _category(community: Community, code: str | None) -> Category:
    category = category_by_code(community.id, code) if code else None
    if category is None:
        raise Refusal(f"no service '{code or ''}'.", "service_code", status=404 if code else 400)
    return category


def _list(name: str) -> list[str]:
    return [part.strip() for part in request.values.get(name, "").split(",") if part.strip()]


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()   # isdigit() alone takes '²', which int() refuses


def _is_id(text: str) -> bool:
    """A number that may be a request's id: a larger one names none (and would overflow the SQL integer)."""
    return _is_number(text) and int(text) <= MAX_ID


@_route(f"/discovery.{FORMAT}")
def discovery_document(fmt):
    return answer("discovery", discovery(current_app.config["PUBLIC_BASE_URL"]))


@_route(f"/v2/services.{FORMAT}")
def services(fmt):
    rows = [service(c) for c in categories(_community()[0].id)]
    db.session.commit()
    return answer("services", rows)


@_route(f"/v2/services/<code>.{FORMAT}")
def definition(code, fmt):
    return answer("service_definition", service_definition(_category(_community()[0], code)))


def _household(community: Community) -> Household:
    """The house named by address_id (its code) or by its exact address_string."""
    address_id, address = request.values.get("address_id"), request.values.get("address_string")
    if not (address_id or address):
        raise Refusal("required (the house code); lat/long cannot name a house.", "address_id", status=400)
    column, value = (Household.code, address_id) if address_id else (Household.address, address)
    houses = db.session.scalars(select(Household).where(
        Household.community_id == community.id, column == value).limit(2)).all()
    if len(houses) != 1:
        name = "address_id" if address_id else "address_string"
        raise Refusal(f"{'no' if not houses else 'more than one'} house '{value}'.", name, status=400)
    return houses[0]


@_route(f"/v2/requests.{FORMAT}", "POST")
def create_request(fmt):
    """File a request. It is saved at once, so the answer is its service_request_id (tokens/<id> answers too)."""
    community, _ = _community(key_required=True)
    category = _category(community, request.values.get("service_code"))
    household = _household(community)
    description = (request.values.get("description") or "").strip()
    if not 1 <= len(description) <= 1000:
        raise Refusal("required, at most 1000 characters.", "description", status=400)
    req = file_request(household, category, description, None, None, source="open311",
                       caller=caller(request.values))
    db.session.commit()
    return answer("service_requests", [{"service_request_id": str(req.id), "service_notice": service_notice(category),
                                        "account_id": None}], 201)


def _filters(query):
    ids = _list("service_request_id")
    if ids:   # the spec: an id list overrides every other filter
        if not all(_is_number(i) for i in ids):
            raise Refusal("comma-separated numbers.", "service_request_id", status=400)
        return query.where(ServiceRequest.id.in_([int(i) for i in ids if _is_id(i)]))
    if _list("service_code"):
        query = query.join(Category, Category.id == ServiceRequest.category_id).where(
            Category.code.in_(_list("service_code")))
    start, end = parse_w3c("start_date", request.args.get("start_date")), parse_w3c(
        "end_date", request.args.get("end_date"))
    if start is None and end is None:
        start = utcnow() - timedelta(days=DEFAULT_DAYS)
    if start:
        query = query.where(ServiceRequest.filed_at >= start)
    if end:
        query = query.where(ServiceRequest.filed_at <= end)
    statuses = _list("status")
    if any(s not in ("open", "closed") for s in statuses):
        raise Refusal("open, closed, or both comma-separated.", "status", status=400)
    if statuses:
        query = query.where(ServiceRequest.status.in_(
            [s for s in RequestStatus if OPEN311_STATUS[s] in statuses]))
    return query


def _requests(community: Community):
    """The community's requests with what their GeoReport fields read, loaded in the same statement."""
    return select(ServiceRequest).where(ServiceRequest.community_id == community.id).options(
        joinedload(ServiceRequest.category), joinedload(ServiceRequest.community), joinedload(ServiceRequest.grid),
        joinedload(ServiceRequest.household).joinedload(Household.unit))


def _one(community: Community, request_id: str, name: str = "service_request_id") -> ServiceRequest:
    req = db.session.scalar(_requests(community).where(ServiceRequest.id == int(request_id))) \
        if _is_id(request_id) else None
    if req is None:
        raise Refusal(f"no request {request_id}.", name, status=404)
    return req


@_route(f"/v2/requests.{FORMAT}")
def list_requests(fmt):
    community, keyed = _community()
    query = _filters(_requests(community))
    rows = db.session.scalars(query.order_by(ServiceRequest.filed_at.desc()).limit(MAX_REQUESTS)).all()
    return answer("service_requests", [service_request(r, keyed) for r in rows])


@_route(f"/v2/requests/<request_id>.{FORMAT}")
def get_request(request_id, fmt):
    community, keyed = _community()
    return answer("service_requests", [service_request(_one(community, request_id), keyed)])


@_route(f"/v2/tokens/<token>.{FORMAT}")
def token(token, fmt):
    """The request a token names. Filing answers the request's id, not a token, so a token is that id."""
    req = _one(_community()[0], token, "token")
    return answer("service_requests", [{"service_request_id": str(req.id), "token": token}])


class RestOfPath(PathConverter):
    """werkzeug's <path:>, newlines included (a doubled slash is still merged by werkzeug's redirect)."""
    regex = "(?s:[^/].*)"
    part_isolating = False   # werkzeug would infer True from a regex without "/"


@bp.record_once
def _add_converter(state: BlueprintSetupState) -> None:
    state.app.url_map.converters.setdefault("rest", RestOfPath)


def _methods_here() -> set[str]:
    """The methods the resources' own rules take at this path: none where there is no resource."""
    adapter = current_app.create_url_adapter(request)
    assert adapter is not None, "Flask makes one for every request"
    methods: set[str] = set()
    for method in ("GET", "POST"):
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            methods.update(("GET", "HEAD") if method == "GET" else (method,))
    return (methods | {"OPTIONS"}) if methods else methods


# Whatever else lands under the prefix answers in GeoReport's format too, never the rest of the app's: an unknown
# resource, a method a resource does not take (with Allow, as HTTP requires), and OPTIONS.
@bp.route("/", defaults={"anything": ""}, methods=METHODS, strict_slashes=False)
@bp.route("/<rest:anything>", methods=METHODS)
def unknown(anything):
    allowed = _methods_here()
    if not allowed:
        raise NotFound(f"No such resource '{anything}'; resources end in .xml or .json.")
    allow = {"Allow": ", ".join(sorted(allowed))}
    if request.method == "OPTIONS":
        return "", 200, allow
    return errors(405, f"{request.method}: this resource takes {', '.join(sorted(allowed))}.", allow)

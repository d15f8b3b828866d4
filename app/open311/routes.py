"""GeoReport v2 under /open311/v2 (JSON only): services, and requests read and filed with an API key."""
from datetime import timedelta

from flask import Blueprint, jsonify, request
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import PathConverter

from app.extensions import db
from app.ids import MAX_ID
from app.models import Category, Community, Household, RequestStatus, ServiceRequest
from app.models.base import utcnow
from app.open311.georeport import (
    OPEN311_STATUS, GeoReportError, parse_w3c, service, service_definition, service_request,
)
from app.open311.keys import community_for_key
from app.requests.categories import categories, category_by_code
from app.requests.lifecycle import file_request

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
DEFAULT_DAYS, MAX_REQUESTS = 90, 1000   # the spec's default window and cap
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.errorhandler(GeoReportError)
def georeport_error(exc):
    db.session.rollback()
    return jsonify([{"code": exc.code, "description": exc.description}]), exc.code


@bp.errorhandler(HTTPException)
def http_error(exc):
    return jsonify([{"code": exc.code, "description": exc.description}]), exc.code


def _community(key_required: bool) -> Community:
    """The api_key's community; without a key (where allowed), the one named by jurisdiction_id."""
    key = request.values.get("api_key")
    if key or key_required:
        community = community_for_key(key)
        if community is None:
            raise GeoReportError(403, "api_key: missing or invalid.")
        return community
    code = request.args.get("jurisdiction_id")
    if not code:
        raise GeoReportError(400, "jurisdiction_id: required (the community code) when there is no api_key.")
    community = db.session.scalar(select(Community).where(Community.code == code.upper()))
    if community is None:
        raise GeoReportError(404, f"jurisdiction_id: no community '{code}'.")
    return community


def _category(community: Community, code: str | None) -> Category:
    category = category_by_code(community.id, code) if code else None
    if category is None:
        raise GeoReportError(404 if code else 400, f"service_code: no service '{code or ''}'.")
    return category


def _list(name: str) -> list[str]:
    return [part.strip() for part in request.values.get(name, "").split(",") if part.strip()]


def _is_number(text: str) -> bool:
    return text.isascii() and text.isdigit()   # isdigit() alone takes '²', which int() refuses


def _is_id(text: str) -> bool:
    """A number that may be a request's id: a larger one names none (and would overflow the SQL integer)."""
    return _is_number(text) and int(text) <= MAX_ID


@bp.get("/services.json")
def services():
    rows = [service(c) for c in categories(_community(key_required=False).id)]
    db.session.commit()
    return jsonify(rows)


@bp.get("/services/<code>.json")
def definition(code):
    return jsonify(service_definition(_category(_community(key_required=False), code)))


def _household(community: Community) -> Household:
    """The house named by address_id (its code) or by its exact address_string."""
    address_id, address = request.values.get("address_id"), request.values.get("address_string")
    if not (address_id or address):
        raise GeoReportError(400, "address_id: required (the house code); lat/long cannot name a house.")
    column, value = (Household.code, address_id) if address_id else (Household.address, address)
    houses = db.session.scalars(select(Household).where(
        Household.community_id == community.id, column == value).limit(2)).all()
    if len(houses) != 1:
        name = "address_id" if address_id else "address_string"
        raise GeoReportError(400, f"{name}: {'no' if not houses else 'more than one'} house '{value}'.")
    return houses[0]


@bp.post("/requests.json")
def create_request():
    community = _community(key_required=True)
    category = _category(community, request.values.get("service_code"))
    household = _household(community)
    description = (request.values.get("description") or "").strip()
    if not 1 <= len(description) <= 1000:
        raise GeoReportError(400, "description: required, at most 1000 characters.")
    contact = " ".join(request.values.get(k, "") for k in ("first_name", "last_name", "phone", "email")).strip()
    req = file_request(household, category, description, None, None, source="open311",
                       note=f"Open311: {contact}" if contact else "Open311")
    db.session.commit()
    return jsonify([{"service_request_id": str(req.id), "service_notice": service_request(req)["service_notice"],
                     "account_id": None}]), 201


def _filters(query):
    ids = _list("service_request_id")
    if ids:   # the spec: an id list overrides every other filter
        if not all(_is_number(i) for i in ids):
            raise GeoReportError(400, "service_request_id: comma-separated numbers.")
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
        raise GeoReportError(400, "status: open, closed, or both comma-separated.")
    if statuses:
        query = query.where(ServiceRequest.status.in_(
            [s for s in RequestStatus if OPEN311_STATUS[s] in statuses]))
    return query


@bp.get("/requests.json")
def list_requests():
    community = _community(key_required=True)
    query = _filters(select(ServiceRequest).where(ServiceRequest.community_id == community.id))
    rows = db.session.scalars(query.order_by(ServiceRequest.filed_at.desc()).limit(MAX_REQUESTS)).all()
    return jsonify([service_request(r) for r in rows])


@bp.get("/requests/<request_id>.json")
def get_request(request_id):
    community = _community(key_required=True)
    req = None
    if _is_id(request_id):
        req = db.session.scalar(select(ServiceRequest).where(
            ServiceRequest.id == int(request_id), ServiceRequest.community_id == community.id))
    if req is None:
        raise GeoReportError(404, f"service_request_id: no request {request_id}.")
    return jsonify([service_request(req)])


class RestOfPath(PathConverter):
    """werkzeug's <path:>, newlines included (a doubled slash is still merged by werkzeug's redirect)."""
    regex = "(?s:[^/].*)"
    part_isolating = False   # werkzeug would infer True from a regex without "/"


bp.record_once(lambda state: state.app.url_map.converters.setdefault("rest", RestOfPath))


# Whatever else lands under the prefix answers in GeoReport's format too, never the rest of the app's.
@bp.route("/", defaults={"anything": ""}, methods=METHODS, strict_slashes=False)
@bp.route("/<rest:anything>", methods=METHODS)
def unknown(anything):
    if request.method not in ("GET", "POST"):
        raise GeoReportError(405, f"{request.method}: GeoReport v2 reads with GET and files with POST.")
    raise GeoReportError(404, f"No such resource '{anything}'; this server speaks JSON only.")

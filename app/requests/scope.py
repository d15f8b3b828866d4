"""Which service requests a principal may see (anything else answers 404), and the lists of them.

The conditions are built once, their values bound by name: an ORM statement takes them with `.params()`, the
API's queue (the busiest list) runs prebuilt statements with the values as parameters."""
from functools import cache

from sqlalchemy import ColumnElement, Select, and_, bindparam, false, func, or_, select
from sqlalchemy.orm import joinedload

from app.auth.principal import Principal, current_principal
from app.clock import to_utc, utcnow
from app.models import Category, Grid, Household, RequestStatus, Role, ServiceRequest, Staff
from app.web.extensions import db

UNFINISHED = (RequestStatus.OPEN, RequestStatus.ACCEPTED)

_requests, _categories = ServiceRequest.__table__, Category.__table__
_households, _staff = Household.__table__, Staff.__table__
_request = _requests.c

# A grid head's grids, prebuilt (plain columns: no ORM entity to load).
_HEADS_GRIDS = select(Grid.__table__.c.id).where(Grid.__table__.c.head_id == bindparam("head_id"))

# The scopes' conditions by kind (see _scope_of), their values bound by name.
_SCOPES: dict[str, ColumnElement[bool]] = {
    "household": _request.household_id == bindparam("household_id"),
    "community": _request.community_id == bindparam("community_id"),
    "held_or_grids": or_(_request.handler_id == bindparam("staff_id"),
                         _request.grid_id.in_(bindparam("grids", expanding=True))),
    "held": _request.handler_id == bindparam("staff_id"),
    "none": false(),
}


def _scope_of(p: Principal) -> tuple[str, dict]:
    """Which of _SCOPES `p` sees and its values: a resident their household's requests, an admin the
    community's, a grid head the grid's and those they hold, anyone else (police included) only those they hold."""
    # The principal's ids, not its objects: reading them costs no statement (app/auth/principal.py).
    if p.role is Role.RESIDENT:
        assert p.household_id is not None, "a RESIDENT's role comes from their confirmed member record"
        return "household", {"household_id": p.household_id}
    if p.staff_id is None:
        return "none", {}
    if p.role is Role.ADMIN:
        return "community", {"community_id": p.community_id}
    if p.role is Role.GRID_HEAD:
        # The grid ids as values, not a subquery: PostgreSQL cannot use an index for `x OR y IN (SELECT …)`
        # (it scanned all the requests of the city); with a list it ORs two index scans.
        grids = db.session.execute(_HEADS_GRIDS, {"head_id": p.staff_id}).scalars().all()
        return "held_or_grids", {"staff_id": p.staff_id, "grids": grids}
    return "held", {"staff_id": p.staff_id}


def request_scope(p: Principal) -> ColumnElement[bool]:
    """Condition on ServiceRequest: the requests `p` may see (_scope_of)."""
    kind, values = _scope_of(p)
    return _SCOPES[kind].params(values)


def request_or_404(request_id: int, lock: bool = False) -> ServiceRequest:
    """The request if the caller may see it (row-locked for a change when `lock`); 404 otherwise."""
    query = select(ServiceRequest).where(ServiceRequest.id == request_id, request_scope(current_principal()))
    return db.first_or_404(query.with_for_update() if lock else query,
                           description=f"Service request {request_id} not found.")


def overdue():
    """Condition on ServiceRequest: unfinished past the deadline promised to the resident."""
    return ServiceRequest.status.in_(UNFINISHED) & (ServiceRequest.due_at < utcnow())


def is_overdue(req: ServiceRequest) -> bool:
    """overdue() of one request in hand."""
    return req.status in UNFINISHED and to_utc(req.due_at) < utcnow()


# A list's shape: its scope's kind and which filters it has (status, grid, category, mine).
Shape = tuple[str, bool, bool, bool, bool]


@cache
def _list_condition(shape: Shape) -> ColumnElement[bool]:
    """A list's condition: the scope's, and the filters it has (the category's on the joined Category); the
    values named as _list_values names them."""
    scope, status, grid, category, mine = shape
    condition = [_SCOPES[scope]]
    if status:
        condition.append(_request.status == bindparam("status"))
    if grid:
        condition.append(_request.grid_id == bindparam("grid_id"))
    if category:
        condition.append(_categories.c.code == bindparam("category"))
    if mine:
        condition.append(_request.handler_id == bindparam("me"))
    return and_(*condition)


def _list_values(p: Principal, status, grid_id, category, mine) -> tuple[Shape, dict]:
    """The shape of `p`'s list with those filters, and the values of its condition."""
    scope, values = _scope_of(p)
    # No staff account holds nothing: `handler_id = NULL` is true of no row.
    me = p.staff_id
    return ((scope, status is not None, grid_id is not None, category is not None, mine),
            {**values, "status": status, "grid_id": grid_id, "category": category, "me": me})


def visible_requests(p: Principal, status: RequestStatus | None = None, grid_id: int | None = None,
                     category: str | None = None, mine: bool = False, late: bool = False) -> Select:
    """The requests `p` may see, filtered (late: overdue only); unordered. Each row's category, house and
    handler are joined into the statement (one round trip for a page of them)."""
    shape, values = _list_values(p, status, grid_id, category, mine)
    query = select(ServiceRequest).where(_list_condition(shape).params(values)).options(
        joinedload(ServiceRequest.category), joinedload(ServiceRequest.household),
        joinedload(ServiceRequest.handler))
    if category is not None:
        query = query.join(Category)
    if late:
        query = query.where(overdue())
    return query


# The API's queue reads plain columns, not ORM entities, for speed (its answer is built from them,
# app.requests.schemas.request_rows); the same names as RequestSchema's attributes where it has them.
QUEUE_COLUMNS = (
    _request.id, _request.status, _categories.c.code.label("category_code"),
    _categories.c.name.label("category_name"), _request.description, _request.source,
    _request.caller_first_name, _request.caller_last_name, _request.caller_phone, _request.caller_email,
    _request.household_id, _households.c.code.label("household_code"),
    _households.c.address.label("household_address"), _request.grid_id, _request.handler_id,
    _staff.c.name.label("handler_name"), _staff.c.phone.label("handler_phone"),
    _staff.c.role.label("handler_role"), _request.escalation_level, _request.filed_at, _request.due_at,
    _request.accepted_at, _request.resolved_at, _request.resolution_note, _request.rating, _request.rating_comment)


@cache
def _queue_statements(shape: Shape) -> tuple[Select, Select]:
    """The count and the page (newest first, :limit rows from :offset) of a list, built once per shape."""
    condition, category = _list_condition(shape), shape[3]
    count = select(func.count()).select_from(_requests.join(_categories) if category else _requests)
    page = select(*QUEUE_COLUMNS).select_from(
        _requests.join(_categories).join(_households).outerjoin(_staff, _staff.c.id == _request.handler_id))
    return (count.where(condition),
            page.where(condition).order_by(_request.filed_at.desc(), _request.id.desc())
            .limit(bindparam("limit")).offset(bindparam("offset")))


def queue(p: Principal, status: RequestStatus | None, grid_id: int | None, category: str | None,
          mine: bool) -> tuple[Select, Select, dict]:
    """visible_requests for the API's queue: its count and page statements (QUEUE_COLUMNS) and their values
    (the page's :limit and :offset to add)."""
    shape, values = _list_values(p, status, grid_id, category, mine)
    return *_queue_statements(shape), values

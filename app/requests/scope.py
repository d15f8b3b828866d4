"""Which service requests a principal may see (anything else answers 404), and the lists of them."""
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import joinedload

from app.auth.principal import Principal, current_principal
from app.clock import to_utc, utcnow
from app.models import Category, Grid, RequestStatus, Role, ServiceRequest
from app.web.extensions import db

UNFINISHED = (RequestStatus.OPEN, RequestStatus.ACCEPTED)


def request_scope(p: Principal):
    """Condition on ServiceRequest: a resident sees their household's, an admin the community's,
    a grid head the grid's and those they hold, anyone else (police included) only those they hold."""
    if p.role is Role.RESIDENT:
        assert p.resident is not None, "a RESIDENT's role comes from their confirmed member record"
        return ServiceRequest.household_id == p.resident.household_id
    if p.staff is None:
        return false()
    held = ServiceRequest.handler_id == p.staff.id
    if p.role is Role.ADMIN:
        return ServiceRequest.community_id == p.staff.community_id
    if p.role is Role.GRID_HEAD:
        # The grid ids as values, not a subquery: PostgreSQL cannot use an index for `x OR y IN (SELECT …)`
        # (it scanned all the requests of the city); with a list it ORs two index scans.
        grids = db.session.scalars(select(Grid.id).where(Grid.head_id == p.staff.id)).all()
        return or_(held, ServiceRequest.grid_id.in_(grids))
    return held


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


def visible_requests(p: Principal, status: RequestStatus | None = None, grid_id: int | None = None,
                     category: str | None = None, mine: bool = False, late: bool = False) -> Select:
    """The requests `p` may see, filtered (late: overdue only); unordered. Each row's category, house and
    handler are joined into the statement (one round trip for a page of them)."""
    query = select(ServiceRequest).where(request_scope(p)).options(
        joinedload(ServiceRequest.category), joinedload(ServiceRequest.household),
        joinedload(ServiceRequest.handler))
    if status is not None:
        query = query.where(ServiceRequest.status == status)
    if grid_id is not None:
        query = query.where(ServiceRequest.grid_id == grid_id)
    if category is not None:
        query = query.join(Category).where(Category.code == category)
    if mine:
        query = query.where(ServiceRequest.handler_id == p.staff.id if p.staff else false())
    if late:
        query = query.where(overdue())
    return query

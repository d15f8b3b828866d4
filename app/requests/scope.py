"""Which service requests a principal may see; anything else answers 404."""
from sqlalchemy import false, or_, select

from app.auth.principal import Principal, current_principal
from app.models import Grid, Role, ServiceRequest
from app.web.extensions import db


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

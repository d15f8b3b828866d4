"""The registers staff keep: a household's members, and a grid's coverage, pending list and returning migrants."""
from flask_smorest import abort
from sqlalchemy import select

from app.auth.access import grid_scope
from app.auth.principal import current_principal, login_required
from app.models import Grid, Role
from app.models.people import STAFF_ROLES
from app.places.routes import household_or_404
from app.residents import grid_reports
from app.residents.schemas import (
    CoverageSchema,
    GridMemberSchema,
    ReturningQuerySchema,
    StaffMemberSchema,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.formats import answers_in, download

blp = Blueprint("registers", __name__, url_prefix="/api", description="Registers of members kept by staff")

GRID_READERS = (Role.GRID_HEAD, Role.ADMIN, Role.POLICE)


def _grid_or_404(grid_id: int) -> Grid:
    grid = db.session.scalar(select(Grid).where(Grid.id == grid_id, grid_scope(current_principal())))
    if grid is None:
        abort(404, message=f"Grid {grid_id} not found.")
    return grid


@blp.route("/households/<int:household_id>/members")
@login_required(*STAFF_ROLES)
@blp.response(200, StaffMemberSchema(many=True))
def household_members(household_id):
    """A household's members, confirmed and pending, for staff whose place includes it; a record whose ID
    number is registered already says so (already_registered) and where it would move the person from."""
    return household_or_404(household_id).members


@blp.route("/grids/<int:grid_id>/coverage")
@login_required(*GRID_READERS)
@answers_in(blp, "json", "xlsx")
@blp.response(200, CoverageSchema)
def coverage(grid_id, fmt):
    """How many households of the grid, per unit and in all, have at least one confirmed member.

    format=xlsx gives the same table as a spreadsheet (counts only: no one's data, so no audit entry)."""
    grid = _grid_or_404(grid_id)
    figures = grid_reports.coverage(grid)
    if fmt == "json":
        return figures
    return download(grid_reports.coverage_sheet(figures), fmt, f"coverage-grid-{grid.number}")


@blp.route("/grids/<int:grid_id>/pending")
@login_required(*GRID_READERS)
@blp.response(200, GridMemberSchema(many=True))
def pending(grid_id):
    """Registrations in the grid waiting for confirmation, and moves into it waiting for the person's side,
    oldest first; a record whose ID number is registered already says so, here or elsewhere, and where."""
    return grid_reports.pending(_grid_or_404(grid_id))


@blp.route("/grids/<int:grid_id>/returning")
@login_required(*GRID_READERS)
@blp.arguments(ReturningQuerySchema, location="query")
@answers_in(blp, "json", "xlsx")
@blp.response(200, GridMemberSchema(many=True))
def returning(query, grid_id, fmt):
    """Returning migrants of the grid, latest arrivals first, by arrival date range and province.

    format=xlsx gives the same list as a spreadsheet, ID numbers and phones masked."""
    grid = _grid_or_404(grid_id)
    members = grid_reports.returning(grid, query.get("since"), query.get("until"), query.get("province"))
    if fmt == "json":
        return members
    sheet = grid_reports.returning_sheet(grid, members, current_principal())
    db.session.commit()
    return download(sheet, fmt, f"returning-grid-{grid.number}")

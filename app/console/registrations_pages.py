"""The registers beside the registrations page: households and coverage of the caller's grids (the admin's whole
community), returning migrants with their sheet, and the grid head's answer to a move out of their grid."""
from flask import render_template, request, url_for
from marshmallow import fields, validate
from sqlalchemy import case, exists, func, select

from app.auth.access import household_scope
from app.console import forms
from app.console.paging import PagedSchema, one_page
from app.console.routes import _done, _own_grid_or_404, _own_grids, bp
from app.console.signin import signed_in, staff_page
from app.models import Household, Resident, Role
from app.residents import grid_reports
from app.residents.permissions import moves_for
from app.residents.schemas import ReturningQuerySchema
from app.residents.services import approve_move, refuse_move
from app.web.extensions import db
from app.web.formats import download

READERS = (Role.GRID_HEAD, Role.ADMIN)
_ID = validate.Range(min=1, max=2**31 - 1)
REGISTERED = exists().where(Resident.household_id == Household.id, Resident.confirmed)   # as coverage counts


class HouseholdFilterSchema(PagedSchema):
    grid = fields.Integer(validate=_ID)
    unit = fields.Integer(validate=_ID)
    unregistered = fields.Boolean(load_default=False)


@bp.get("/households")
@staff_page(*READERS)
def households():
    """Households of the caller's grids with their registered and confirmed members, filtered by grid, building
    and "not registered" (no confirmed member, as coverage counts), with each grid's coverage."""
    p = signed_in()
    args = forms.read(HouseholdFilterSchema(), request.args)
    grid = _own_grid_or_404(args["grid"]) if "grid" in args else None
    query = select(Household).where(household_scope(p))
    if grid is not None:
        query = query.where(Household.grid_id == grid.id)
    if "unit" in args:
        query = query.where(Household.unit_id == args["unit"])
    if args["unregistered"]:
        query = query.where(~REGISTERED)
    rows, more = one_page(query.order_by(Household.code), args["page"])
    counts = {household_id: (members, confirmed) for household_id, members, confirmed in db.session.execute(
        select(Resident.household_id, func.count(Resident.id), func.sum(case((Resident.confirmed, 1), else_=0)))
        .where(Resident.household_id.in_([h.id for h in rows])).group_by(Resident.household_id))}
    coverage = {grid_id: (total, done) for grid_id, total, done in db.session.execute(
        select(Household.grid_id, func.count(Household.id), func.sum(case((REGISTERED, 1), else_=0)))
        .where(household_scope(p)).group_by(Household.grid_id))}
    return render_template("console/households.html", rows=rows, more=more, args=args, counts=counts,
                           grids=_own_grids(), grid=grid, coverage=coverage,
                           units=grid_reports.coverage(grid)["units"] if grid else [])


class ReturningFilterSchema(ReturningQuerySchema, PagedSchema):
    grid = fields.Integer(validate=_ID)


@bp.get("/returning")
@staff_page(*READERS)
def returning():
    """Returning migrants (返乡人员) of the caller's grids, latest arrivals first, by grid, date and province."""
    args = forms.read(ReturningFilterSchema(), request.args)
    grid = _own_grid_or_404(args["grid"]) if "grid" in args else None
    houses = Household.grid_id == grid.id if grid else household_scope(signed_in())
    rows, more = one_page(grid_reports.returning_in(houses, args.get("since"), args.get("until"), args.get("province")),
                       args["page"])
    period = {key: request.args[key] for key in ("since", "until", "province") if request.args.get(key)}
    return render_template("console/returning.html", rows=rows, more=more, args=args, grids=_own_grids(),
                           grid=grid, period=period)


@bp.get("/grids/<int:grid_id>/returning.xlsx")
@staff_page(*READERS)
def returning_workbook(grid_id):
    """The grid's returning migrants as GET /api/grids/<id>/returning?format=xlsx gives them (masked, audited)."""
    grid = _own_grid_or_404(grid_id)
    query = forms.read(ReturningQuerySchema(), request.args)
    members = grid_reports.returning(grid, query.get("since"), query.get("until"), query.get("province"))
    sheet = grid_reports.returning_sheet(grid, list(members), signed_in())
    db.session.commit()
    return download(sheet, "xlsx", f"returning-grid-{grid.number}")


def moves_out() -> list[Resident]:
    """Moves out of the grid head's grids waiting for their side's answer, oldest first, as GET /api/moves."""
    query = moves_for(signed_in()).where(Resident.move_consent.is_(None))
    return list(db.session.scalars(query.order_by(Resident.created_at, Resident.id)))


@bp.post("/moves/<int:member_id>/<any(approve, refuse):decision>")
@staff_page(Role.GRID_HEAD)
def decide_move(member_id, decision):
    """Agree to or refuse a move out of one's grid, as POST /api/moves/<id>/approve or /refuse."""
    p = signed_in()
    move = db.first_or_404(moves_for(p).where(Resident.id == member_id), description=f"Move {member_id} not found.")
    shown = {"name": move.name, "household": move.move_from.household.code, "decision": decision}
    (approve_move if decision == "approve" else refuse_move)(move, p)
    return _done("console/_decided.html", url_for("console.registrations"), **shown)


"""Figures for the mini-program (JSON) and as an .xlsx workbook, for a community or one grid."""
from flask import abort
from sqlalchemy import select

from app.auth.access import grid_scope
from app.auth.principal import current_principal, login_required
from app.figures.report import community_figures, grid_figures
from app.figures.schemas import CommunityFiguresSchema, GridFiguresSchema, PeriodSchema
from app.figures.workbook import figures_workbook
from app.models import Grid, Role
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.formats import answers_in, download

blp = Blueprint("figures", __name__, url_prefix="/api/figures", description="Statistics")
# One instance for every request: given the class, webargs would make a schema (and copy its fields) on each.
PERIOD = PeriodSchema()


def _answer(figures: dict, fmt: str, stem: str):
    # Counts and rates only, no one's data: a workbook is not an audited export.
    return figures if fmt == "json" else download(figures_workbook(figures), fmt, stem)


@blp.route("/community")
@login_required(Role.ADMIN)
@blp.arguments(PERIOD, location="query")
@answers_in(blp, "json", "xlsx")
@blp.response(200, CommunityFiguresSchema)
def community(period, fmt):
    """The admin's community over the filed-date range, with each grid's figures.

    format=xlsx gives them as a workbook: a row per grid and a total, and the categories."""
    own = current_principal().community_id
    return _answer(community_figures(own, period.get("start"), period.get("end")), fmt, "figures")


@blp.route("/grids/<int:grid_id>")
@login_required()
@blp.arguments(PERIOD, location="query")
@answers_in(blp, "json", "xlsx")
@blp.response(200, GridFiguresSchema)
def grid(period, grid_id, fmt):
    """One grid the caller may read (its head, the admin, its police officer ...); format=xlsx as a workbook."""
    # The grid's columns the figures show, not a Grid: a narrower row for the same scope.
    found = db.session.execute(select(Grid.id, Grid.number, Grid.name).where(
        Grid.id == grid_id, grid_scope(current_principal()))).first()
    if found is None:
        abort(404, description=f"Grid {grid_id} not found.")
    return _answer(grid_figures(found, period.get("start"), period.get("end")), fmt, f"figures-grid-{found.number}")

"""Figures for the mini-program (JSON) and the admin's workbook (.xlsx)."""
from flask import Response
from flask_smorest import Blueprint
from sqlalchemy import select

from app.access import grid_scope
from app.auth.principal import current_principal, login_required
from app.extensions import db
from app.figures.report import community_figures, grid_figures
from app.figures.schemas import CommunityFiguresSchema, GridFiguresSchema, PeriodSchema
from app.figures.workbook import figures_workbook
from app.models import Community, Grid, Role

blp = Blueprint("figures", __name__, url_prefix="/api/figures", description="Statistics")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _own_community() -> Community:
    return db.session.get(Community, current_principal().staff.community_id)


@blp.route("/community")
@login_required(Role.ADMIN)
@blp.arguments(PeriodSchema, location="query")
@blp.response(200, CommunityFiguresSchema)
def community(period):
    """The admin's community over the filed-date range, with each grid's figures."""
    return community_figures(_own_community(), period.get("start"), period.get("end"))


@blp.route("/community.xlsx")
@login_required(Role.ADMIN)
@blp.arguments(PeriodSchema, location="query")
@blp.response(200, description="The figures as an Excel workbook")
def community_workbook(period):
    """The same figures as a workbook: a row per grid and a total, and the categories."""
    figures = community_figures(_own_community(), period.get("start"), period.get("end"))
    return Response(figures_workbook(figures), mimetype=XLSX,
                    headers={"Content-Disposition": 'attachment; filename="figures.xlsx"'})


@blp.route("/grids/<int:grid_id>")
@login_required()
@blp.arguments(PeriodSchema, location="query")
@blp.response(200, GridFiguresSchema)
def grid(period, grid_id):
    """One grid the caller may read (its head, the admin, its police officer ...)."""
    found = db.first_or_404(select(Grid).where(Grid.id == grid_id, grid_scope(current_principal())),
                            description=f"Grid {grid_id} not found.")
    return grid_figures(found, period.get("start"), period.get("end"))

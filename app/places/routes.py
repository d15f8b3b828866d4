"""Grids and households as the caller's role and place allow; anything outside answers 404."""
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from app.auth.access import grid_scope, household_scope
from app.auth.principal import current_principal, login_required
from app.models import Grid, Household
from app.places.schemas import (
    GridDetailSchema,
    GridSchema,
    HouseholdQuerySchema,
    HouseholdSchema,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.pagination import page_of

blp = Blueprint("places", __name__, url_prefix="/api", description="Grids and households")


@blp.route("/grids")
class Grids(MethodView):
    @login_required()
    @blp.response(200, GridSchema(many=True))
    def get(self):
        """Grids the caller may read, by number."""
        query = select(Grid).where(grid_scope(current_principal())).order_by(Grid.community_id, Grid.number)
        return db.session.scalars(query).all()


@blp.route("/grids/<int:grid_id>")
class GridById(MethodView):
    @login_required()
    @blp.response(200, GridDetailSchema)
    def get(self, grid_id):
        """One grid with its units."""
        grid = db.session.scalar(select(Grid).where(Grid.id == grid_id, grid_scope(current_principal())))
        if grid is None:
            abort(404, message=f"Grid {grid_id} not found.")
        return grid


@blp.route("/households")
class Households(MethodView):
    @login_required()
    @blp.arguments(HouseholdQuerySchema, location="query")
    @blp.response(200, HouseholdSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """Households the caller may see, filtered by grid, unit or code, by house code."""
        query = select(Household).where(household_scope(current_principal()))
        for field in ("grid_id", "unit_id", "code"):
            if field in args:
                query = query.where(getattr(Household, field) == args[field])
        return page_of(query, pagination_parameters, Household.code)


def household_or_404(household_id: int) -> Household:
    """The household if the caller may see it; 404 otherwise, so existence is not revealed."""
    household = db.session.scalar(
        select(Household).where(Household.id == household_id, household_scope(current_principal()))
    )
    if household is None:
        abort(404, message=f"Household {household_id} not found.")
    return household


@blp.route("/households/<int:household_id>")
class HouseholdById(MethodView):
    @login_required()
    @blp.response(200, HouseholdSchema)
    def get(self, household_id):
        """One household."""
        return household_or_404(household_id)

"""Admin endpoints: the house sheet (import, export, template) and staff accounts."""
from flask import current_app
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.admin.house_import import exported_sheet, import_houses
from app.admin.house_sheet import example_row, read_sheet, write_sheet
from app.admin.schemas import (
    ImportQuerySchema,
    ImportResultSchema,
    SheetUploadSchema,
    StaffCreateSchema,
    StaffSchema,
)
from app.admin.staff import create_staff
from app.auth.principal import current_principal, current_staff, login_required
from app.models import Community, Role, Staff
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.formats import answers_in, download

blp = Blueprint("admin", __name__, url_prefix="/api/admin", description="Community admin tools")

SHEET_FORMATS = ("xlsx", "csv")


def _community() -> Community:
    return db.session.get_one(Community, current_staff().community_id)


@blp.route("/houses/import", methods=["POST"])
@login_required(Role.ADMIN)
@blp.arguments(ImportQuerySchema, location="query")
@blp.arguments(SheetUploadSchema, location="files")
@blp.response(200, ImportResultSchema)
@blp.alt_response(422, description="Row errors; nothing was imported")
def import_sheet(query, files):
    """Create or update the community's grids, units and houses from an .xlsx or .csv sheet.

    The same sheet twice changes nothing. Any bad row fails the whole file, with every error listed
    by row number and column, and nothing is written. Rows whose address starts with 【示例】 are skipped;
    the answer lists them, and every grid or unit the sheet renamed and every house head it replaced."""
    upload = files["file"]
    rows = read_sheet(upload.filename, upload.read())
    try:
        result = import_houses(_community(), rows, dry_run=query["dry_run"])
    except IntegrityError:
        db.session.rollback()
        abort(409, message="Another import of this community ran at the same time; try again.")
    if result.errors:
        abort(422, message=f"{len(result.errors)} error(s) in the sheet; nothing was imported.",
              errors={"rows": result.errors})
    return {**vars(result), "dry_run": query["dry_run"]}


@blp.route("/houses/export")
@login_required(Role.ADMIN)
@answers_in(blp, *SHEET_FORMATS)
@blp.response(200, description="The house sheet of the community")
def export_sheet(fmt):
    """The community's houses in the import format (phones in full: the admin's own records)."""
    data = exported_sheet(current_principal(), fmt)
    db.session.commit()
    return download(data, fmt, "houses")


@blp.route("/houses/template")
@login_required(Role.ADMIN)
@answers_in(blp, *SHEET_FORMATS)
@blp.response(200, description="An empty house sheet with one example row")
def sheet_template(fmt):
    """A sheet to fill in: the header row and one example row, whose address starts with 【示例】 so that an
    import skips it (the template uploaded as it is changes nothing)."""
    return download(write_sheet([example_row(_community().name)], fmt), fmt, "houses-template")


@blp.route("/staff")
class StaffAccounts(MethodView):
    @login_required(Role.ADMIN)
    @blp.response(200, StaffSchema(many=True))
    def get(self):
        """The community's staff accounts."""
        query = select(Staff).where(Staff.community_id == current_principal().staff.community_id)
        return db.session.scalars(query.order_by(Staff.id)).all()

    @login_required(Role.ADMIN)
    @blp.arguments(StaffCreateSchema)
    @blp.response(201, StaffSchema)
    def post(self, data):
        """Create a grid head, unit leader, joint-household head, police officer or admin."""
        staff = create_staff(current_principal().staff.community_id, data, current_app.config["PASSWORD_HASH_METHOD"])
        db.session.commit()
        return staff

"""Bodies of the admin endpoints."""
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.people import STAFF_ROLES, Role
from app.web.ids import id_range


class SheetUploadSchema(Schema):
    file = Upload(required=True)


class ImportQuerySchema(Schema):
    dry_run = fields.Boolean(load_default=False)


class SkippedRowSchema(Schema):
    row = fields.Integer()
    message = fields.String()


class RenameSchema(Schema):
    grid = fields.Integer()
    unit = fields.Integer(metadata={"description": "present when a unit was renamed"})
    renamed_from = fields.String(data_key="from", attribute="from")
    renamed_to = fields.String(data_key="to", attribute="to")


class HeadChangeSchema(Schema):
    house = fields.String(metadata={"description": "house code"})
    head_from = fields.String(data_key="from", attribute="from")
    head_to = fields.String(data_key="to", attribute="to")


class ImportResultSchema(Schema):
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    grids_created = fields.Integer()
    units_created = fields.Integer()
    skipped = fields.List(fields.Nested(SkippedRowSchema),
                          metadata={"description": "example rows (address starting 【示例】), not imported"})
    renamed = fields.List(fields.Nested(RenameSchema), metadata={"description": "grids and units the sheet renamed"})
    heads_changed = fields.List(fields.Nested(HeadChangeSchema),
                                metadata={"description": "houses whose head the sheet replaced"})
    dry_run = fields.Boolean()


class StaffCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(
        r"^[A-Za-z0-9_.\-]{3,64}$", error="3-64 letters, digits, '_', '.' or '-'."))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=8, max=256))
    role = fields.String(required=True, validate=validate.OneOf([r.value for r in STAFF_ROLES]))
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    phone = fields.String(validate=validate.Length(max=20))
    title = fields.String(validate=validate.Length(max=50))
    station = fields.String(validate=validate.Length(max=100))
    # The places the account answers for: grids (grid head, police), units (unit leader),
    # households (joint-household head); police with no grids cover the whole community.
    grid_ids = fields.List(fields.Integer(validate=id_range()), load_default=list)
    unit_ids = fields.List(fields.Integer(validate=id_range()), load_default=list)
    household_ids = fields.List(fields.Integer(validate=id_range()), load_default=list)

    @validates_schema
    def places_fit_role(self, data, **kwargs):
        role = Role(data["role"])
        allowed = {Role.GRID_HEAD: "grid_ids", Role.POLICE: "grid_ids",
                   Role.UNIT_LEADER: "unit_ids", Role.JOINT_HEAD: "household_ids"}.get(role)
        for key in ("grid_ids", "unit_ids", "household_ids"):
            if data.get(key) and key != allowed:
                raise ValidationError(f"a {role.value} account takes no {key}.", key)


class StaffSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.Function(lambda s: s.role.value)
    name = fields.String()
    phone = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    station = fields.String(allow_none=True)
    active = fields.Boolean()

"""Response bodies for grids, units and households (phones masked)."""
from marshmallow import Schema, fields, validate

from app.privacy.masking import mask_phone
from app.web.ids import id_range


class StaffBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    phone = fields.Function(lambda s: mask_phone(s.phone))


class UnitSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    name = fields.String()
    leader = fields.Nested(StaffBriefSchema, allow_none=True)


class GridSchema(Schema):
    id = fields.Integer()
    community_id = fields.Integer()
    number = fields.Integer()
    name = fields.String()
    head = fields.Nested(StaffBriefSchema, allow_none=True)


class GridDetailSchema(GridSchema):
    units = fields.List(fields.Nested(UnitSchema))


class HouseholdSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    address = fields.String()
    door = fields.String()
    community_id = fields.Integer()
    grid_id = fields.Integer()
    unit_id = fields.Integer()
    head_name = fields.String(allow_none=True)
    head_phone = fields.Function(lambda h: mask_phone(h.head_phone))


class HouseholdQuerySchema(Schema):
    grid_id = fields.Integer(validate=id_range())
    unit_id = fields.Integer(validate=id_range())
    code = fields.String(validate=validate.Length(min=1, max=64))

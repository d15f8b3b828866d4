"""Query and response bodies of the figures endpoints."""
from marshmallow import Schema, ValidationError, fields, validates_schema


class PeriodSchema(Schema):
    start = fields.Date(data_key="from", metadata={"description": "first filed date (China time), inclusive"})
    end = fields.Date(data_key="to", metadata={"description": "last filed date (China time), inclusive"})

    @validates_schema
    def ordered(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError("must not be before 'from'.", "to")


class FiguresSchema(Schema):
    period_from = fields.String(data_key="from", attribute="from", allow_none=True)
    period_to = fields.String(data_key="to", attribute="to", allow_none=True)
    requests = fields.Integer()
    by_status = fields.Dict(keys=fields.String(), values=fields.Integer())
    by_category = fields.List(fields.Dict())
    avg_hours_to_accept = fields.Float(allow_none=True)
    avg_hours_to_resolve = fields.Float(allow_none=True)
    resolved = fields.Integer()
    on_time = fields.Integer()
    on_time_rate = fields.Float(allow_none=True)
    satisfaction = fields.Dict()
    disputes = fields.Dict()
    registration = fields.Dict()


class GridFiguresSchema(FiguresSchema):
    grid = fields.Dict()


class CommunityFiguresSchema(FiguresSchema):
    community = fields.Dict()
    grids = fields.List(fields.Dict())

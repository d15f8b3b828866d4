"""Query and response bodies of the figures endpoints."""
from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

# Requests are filed in this century; a day at the calendar's very ends has no UTC midnight to count from.
FILED_DAYS = validate.Range(min=date(2000, 1, 1), max=date(2099, 12, 31), error="must be a date from 2000 to 2099.")
# The spec says so too: every ISO date of those years (2024-03-01, 20240301, 2024-W09-5) starts with 20.
IN_RANGE = {"pattern": "^20[0-9]{2}", "x-minimum": "2000-01-01", "x-maximum": "2099-12-31"}


class PeriodSchema(Schema):
    start = fields.Date(data_key="from", validate=FILED_DAYS, metadata={
        **IN_RANGE, "description": "first filed date (China time), inclusive; 2000-01-01 to 2099-12-31"})
    end = fields.Date(data_key="to", validate=FILED_DAYS, metadata={
        **IN_RANGE, "description": "last filed date (China time), inclusive; 2000-01-01 to 2099-12-31"})

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

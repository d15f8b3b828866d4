"""Bodies of the activity endpoints."""
from marshmallow import Schema, fields, validate

from app.clock import UtcDateTime, to_utc, utcnow
from app.web.ids import id_range
from app.web.input_fields import Moment


class ActivityCreateSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=100))
    place = fields.String(required=True, validate=validate.Length(min=1, max=200))
    starts_at = Moment(required=True)
    ends_at = Moment(required=True)
    points = fields.Integer(validate=validate.Range(min=0, max=1000),
                            metadata={"description": "points for checking in; the community's rule by default"})
    grid_id = fields.Integer(validate=id_range(), metadata={"description": "a grid's activity; none: the community's"})


class ActivitySchema(Schema):
    id = fields.Integer()
    title = fields.String()
    place = fields.String()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    points = fields.Integer()
    grid_id = fields.Integer(allow_none=True)
    check_ins = fields.Function(lambda a: a.check_in_count, metadata={"description": "people checked in so far"})


class ActivityCodeSchema(Schema):
    token = fields.String()
    url = fields.String(metadata={"description": "the link the poster's QR code carries"})


class ActivityScanSchema(Schema):
    """What scanning an activity's poster shows: the activity, and whether check-in is open now."""

    title = fields.String()
    place = fields.String()
    starts_at = UtcDateTime()
    ends_at = UtcDateTime()
    points = fields.Integer(metadata={"description": "earned by checking in"})
    community = fields.Function(lambda a: a.community.name)
    grid = fields.Function(lambda a: a.grid.name if a.grid else None, metadata={"description": "null: community-wide"})
    open = fields.Function(lambda a: to_utc(a.starts_at) <= utcnow() <= to_utc(a.ends_at),
                           metadata={"description": "check-in is open now"})


class CheckInSchema(Schema):
    id = fields.Integer()
    activity = fields.Function(lambda c: {"id": c.activity.id, "title": c.activity.title,
                                          "points": c.activity.points})
    created_at = UtcDateTime()

"""Bodies of the points, rewards and redemptions endpoints."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.clock import UtcDateTime
from app.web.ids import id_range
from app.web.input_fields import Reason

PERIOD = validate.Regexp(r"^20\d\d(-(0[1-9]|1[0-2]))?$", error="a month (2026-12) or a year (2026).")
POINTS = validate.Range(min=-10000, max=10000)
HOLDERS = ("resident_id", "household_id", "staff_id")


class SomeChange(Schema):
    """The fields to change: any subset, but not none."""

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("give at least one field to change.", "body")


class RuleSchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(dump_only=True)
    name = fields.String(validate=validate.Length(min=1, max=50))
    points = fields.Integer(validate=validate.Range(min=0, max=10000))
    active = fields.Boolean()


class RuleChangeSchema(RuleSchema, SomeChange):
    pass


class ManualEntrySchema(Schema):
    """A staff member's award (points > 0) or deduction (< 0) for exactly one holder."""

    resident_id = fields.Integer(validate=id_range())
    household_id = fields.Integer(validate=id_range())
    staff_id = fields.Integer(validate=id_range(), metadata={"description": "the admin only"})
    points = fields.Integer(required=True, validate=POINTS)
    reason = Reason()

    @validates_schema
    def one_holder(self, data, **kwargs):
        if sum(data.get(name) is not None for name in HOLDERS) != 1:
            raise ValidationError("give exactly one of resident_id, household_id, staff_id.", "resident_id")
        if data.get("points") == 0:
            raise ValidationError("an award or a deduction moves at least one point.", "points")


class ReasonSchema(Schema):
    reason = Reason()


class EntrySchema(Schema):
    id = fields.Integer()
    account_id = fields.Integer()
    points = fields.Integer()
    kind = fields.String(metadata={"description": "rule, manual, reversal or redemption"})
    reason = fields.String(allow_none=True)
    reverses_id = fields.Integer(allow_none=True)
    created_at = UtcDateTime()


class AccountSchema(Schema):
    id = fields.Integer()
    holder = fields.Function(lambda a: "household" if a.household_id else "person")
    balance = fields.Integer()


class MyPointsSchema(Schema):
    accounts = fields.List(fields.Nested(AccountSchema))
    entries = fields.List(fields.Nested(EntrySchema), metadata={"description": "the latest 50, newest first"})


class LeaderboardQuerySchema(Schema):
    period = fields.String(validate=PERIOD, metadata={"description": "a month or a year; this month by default"})
    grid_id = fields.Integer(validate=id_range())


class LeaderSchema(Schema):
    rank = fields.Integer()
    name = fields.String(metadata={"description": "masked: 王**"})
    kind = fields.String(metadata={"description": "person or household"})
    points = fields.Integer()


class LeaderboardSchema(Schema):
    period = fields.String()
    grid_id = fields.Integer(allow_none=True)
    leaders = fields.List(fields.Nested(LeaderSchema))


class RewardSchema(Schema):
    id = fields.Integer(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    cost = fields.Integer(required=True, validate=validate.Range(min=1, max=100000))
    stock = fields.Integer(required=True, validate=validate.Range(min=0, max=100000))
    active = fields.Boolean()


class RewardChangeSchema(RewardSchema, SomeChange):
    pass


class RedeemSchema(Schema):
    account = fields.String(load_default="mine", validate=validate.OneOf(["mine", "household"]),
                            metadata={"description": "household: the household's points (its head only)"})


class RedemptionSchema(Schema):
    id = fields.Integer()
    reward = fields.Function(lambda r: {"id": r.reward.id, "name": r.reward.name})
    account_id = fields.Integer()
    cost = fields.Integer()
    created_at = UtcDateTime()
    handed_over_at = UtcDateTime(allow_none=True)


class RedemptionQuerySchema(Schema):
    waiting = fields.Boolean(load_default=True, metadata={"description": "only those not handed over yet"})

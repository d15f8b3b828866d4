"""Bodies of the wish endpoints; what each reader may see of a wish."""
from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

from app.auth.principal import current_principal
from app.clock import UtcDateTime
from app.models.wishes import Vulnerability, WishCategory, WishStatus
from app.privacy.masking import mask_name
from app.requests.schemas import StepSchema
from app.web.ids import id_range
from app.web.input_fields import Reason
from app.wishes.lifecycle import knows_household
from app.wishes.photos import on_the_wall, sees

TEXT = validate.Length(min=1, max=200)


class WishCreateSchema(Schema):
    text = fields.String(required=True, validate=TEXT)
    category = fields.Enum(WishCategory, by_value=True, required=True)
    estimated_value = fields.Integer(validate=validate.Range(min=0, max=100000),
                                     metadata={"description": "yuan; under the community's cap"})
    household_id = fields.Integer(validate=id_range(), metadata={"description": "staff posting on someone's behalf"})
    beneficiary_name = fields.String(validate=validate.Length(min=1, max=50),
                                     metadata={"description": "staff posting on someone's behalf"})
    vulnerability = fields.Enum(Vulnerability, by_value=True,
                                metadata={"description": "staff posting on someone's behalf; never shown to others"})


class ApproveSchema(Schema):
    text = fields.String(validate=TEXT, metadata={"description": "a revised text (required for a flagged one)"})


class RejectSchema(Schema):
    reason = Reason()


class NoteSchema(Schema):
    note = fields.String(required=True, validate=validate.Length(min=1, max=500))


class WishQuerySchema(Schema):
    status = fields.Enum(WishStatus, by_value=True)
    claimed = fields.Boolean(load_default=False, metadata={"description": "only those I claimed"})


class WishPhotoUploadSchema(Schema):
    photo = Upload(required=True, metadata={"description": "JPEG, PNG or WebP, at most 5 MB and 16 megapixels"})


class SettingsSchema(Schema):
    value_cap = fields.Integer(validate=validate.Range(min=0, max=100000), metadata={"description": "yuan"})
    claim_days = fields.Integer(validate=validate.Range(min=1, max=90))


def _knows(wish) -> bool:
    return knows_household(wish, current_principal())


def _grid_head(wish):
    """The claimer's contact for the visit: the grid head, whose phone is printed on every door's letter."""
    head = wish.grid.head
    return {"name": head.name, "phone": head.phone} if head else None


def _photos(wish):
    p = current_principal()
    return [{"id": photo.id, "kind": photo.kind.value, "url": f"/api/wishes/{wish.id}/photos/{photo.id}",
             "check": photo.check} for photo in wish.photos if sees(photo, wish, p)]


def _wall_photo(wish):
    photo = on_the_wall(wish)
    return f"/api/communities/{wish.community.code}/wish-wall/photos/{photo.id}" if photo else None


class WishSchema(Schema):
    """A wish as its household, the staff of its place and its claimer see it: the household (address, whole name,
    staff's vulnerability tag) to those who know it; the grid head's contact to everyone."""

    id = fields.Integer()
    status = fields.Function(lambda w: w.status.value)
    text = fields.String()
    category = fields.Function(lambda w: w.category.value)
    estimated_value = fields.Integer(allow_none=True)
    name = fields.Function(lambda w: w.beneficiary_name if _knows(w) else mask_name(w.beneficiary_name))
    grid = fields.Function(lambda w: {"id": w.grid.id, "name": w.grid.name})
    household = fields.Function(lambda w: {"id": w.household.id, "code": w.household.code,
                                           "address": w.household.address} if _knows(w) else None)
    vulnerability = fields.Function(
        lambda w: w.vulnerability.value if w.vulnerability and _knows(w) and current_principal().staff else None)
    flagged = fields.Boolean(metadata={"description": "WeChat's content check flagged the text: the grid head reviews"})
    reject_reason = fields.String(allow_none=True)
    grid_head = fields.Function(_grid_head)
    claimed = fields.Function(lambda w: w.claimed_at is not None)
    claimed_at = UtcDateTime(allow_none=True)
    claim_due_at = UtcDateTime(allow_none=True)
    fulfil_note = fields.String(allow_none=True)
    photos = fields.Function(_photos, metadata={
        "description": "the wisher's and the claimer's photos the caller may see; `check` is WeChat's media "
                       "check (pass, risky, review; null: none made): others see only passed ones"})
    created_at = UtcDateTime()
    approved_at = UtcDateTime(allow_none=True)
    fulfilled_at = UtcDateTime(allow_none=True)
    closed_at = UtcDateTime(allow_none=True)


class WishDetailSchema(WishSchema):
    events = fields.List(fields.Nested(StepSchema))


class WallWishSchema(Schema):
    """A wish on the public wall: nothing that finds the person (no address, phone, house or tag)."""

    id = fields.Integer()
    text = fields.String()
    category = fields.Function(lambda w: w.category.value)
    grid = fields.Function(lambda w: w.grid.name)
    name = fields.Function(lambda w: mask_name(w.beneficiary_name), metadata={"description": "masked: 王**"})
    photo = fields.Function(_wall_photo, metadata={"description": "the wisher's photo, once WeChat passed it"})
    approved_at = UtcDateTime()


class WishFiguresSchema(Schema):
    collected = fields.Integer(metadata={"description": "wishes posted in the period"})
    claimed = fields.Integer(metadata={"description": "of those, claimed at least once"})
    fulfilled = fields.Integer()
    median_days_to_fulfil = fields.Float(allow_none=True, metadata={"description": "from posting to fulfilment"})


class PointFiguresSchema(Schema):
    awarded = fields.Integer()
    deducted = fields.Integer(metadata={"description": "deductions and reversed awards"})
    redeemed = fields.Integer(metadata={"description": "points spent on rewards"})
    redemptions = fields.Integer()


class LifeFiguresSchema(Schema):
    period = fields.String(allow_none=True)
    wishes = fields.Nested(WishFiguresSchema)
    points = fields.Nested(PointFiguresSchema)

"""Bodies of the card and contact request endpoints."""
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.clock import UtcDateTime
from app.models import ContactStatus
from app.privacy.masking import mask_phone
from app.requests.schemas import CODE
from app.web.validation import MOBILE_PATTERN, normalize_mobile

URGENCIES = ("normal", "urgent")


class OfficerSchema(Schema):
    """The officer as their card shows them: the phone in full, since it is printed on the card."""

    name = fields.String()
    title = fields.String(allow_none=True)
    station = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class CardSchema(OfficerSchema):
    jurisdictions = fields.List(fields.String())


class ContactCreateSchema(Schema):
    message = fields.String(required=True, validate=validate.Length(min=1, max=300))
    urgency = fields.String(load_default="normal", validate=validate.OneOf(URGENCIES))
    phone = fields.String(metadata={"description": "mainland mobile; a registered resident's own by default",
                                    "pattern": MOBILE_PATTERN, "minLength": 11})

    @validates("phone")
    def mobile(self, value, **kwargs):
        try:
            normalize_mobile(value)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


class ContactQuerySchema(Schema):
    status = fields.String(load_default="open", validate=validate.OneOf(
        ["open", "all"] + [s.value for s in ContactStatus]),
        metadata={"description": "open: pending or contacted"})


class ContactAnswerSchema(Schema):
    # Documented (and refused) as the two answers an officer gives, not every status a request passes through.
    status = fields.String(required=True, validate=validate.OneOf(
        [ContactStatus.CONTACTED.value, ContactStatus.HANDLED.value]))
    note = fields.String(validate=validate.Length(min=1, max=500))


class HandoverSchema(Schema):
    category = fields.String(required=True, validate=CODE,
                             metadata={"description": "the service request's category code"})
    description = fields.String(validate=validate.Length(min=1, max=1000),
                                metadata={"description": "what the grid is to do; the contact message by default"})


class _ContactBaseSchema(Schema):
    id = fields.Integer()
    message = fields.String()
    urgency = fields.Function(lambda c: "urgent" if c.urgent else "normal")
    status = fields.Function(lambda c: c.status.value)
    note = fields.String(allow_none=True)
    created_at = UtcDateTime()
    contacted_at = UtcDateTime(allow_none=True)
    handled_at = UtcDateTime(allow_none=True)
    service_request_id = fields.Function(lambda c: c.handover.service_request_id if c.handover else None,
                                         metadata={"description": "the service request it was handed over as"})


class ContactSchema(_ContactBaseSchema):
    """A contact request in the officer's queue."""

    # In full: the officer calls this number back.
    phone = fields.String()
    resident_name = fields.Function(lambda c: c.wechat.resident.name if c.wechat.resident else None)
    household_code = fields.Function(
        lambda c: c.wechat.resident.household.code if c.wechat.resident else None)


class MyContactSchema(_ContactBaseSchema):
    """A contact request in its sender's own list."""

    phone = fields.Function(lambda c: mask_phone(c.phone), metadata={"description": "the call-back number"})
    officer = fields.Nested(OfficerSchema)

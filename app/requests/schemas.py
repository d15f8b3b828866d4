"""Bodies of the service request and category endpoints."""
from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.auth.principal import current_principal
from app.clock import UtcDateTime, to_utc
from app.models import RequestStatus, Role
from app.models.requests import MediationKind, MediationOutcome
from app.places.schemas import StaffBriefSchema
from app.privacy.masking import mask_phone
from app.requests.categories import FIRST_RESPONDERS
from app.requests.lifecycle import TRANSITIONS, USER_ACTIONS
from app.web.ids import id_range
from app.web.input_fields import Reason

CODE = validate.Regexp(r"^[a-z][a-z0-9_]{0,31}$", error="1-32 lower-case letters, digits or '_'.")


class CategorySchema(Schema):
    id = fields.Integer(dump_only=True)
    code = fields.String(required=True, validate=CODE)
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    description = fields.String(allow_none=True, validate=validate.Length(max=200))
    deadline_hours = fields.Integer(required=True, validate=validate.Range(min=1, max=24 * 90))
    first_responder = fields.String(allow_none=True, validate=validate.OneOf(FIRST_RESPONDERS))
    is_dispute = fields.Boolean(load_default=False)
    active = fields.Boolean(metadata={"description": "false retires it: no new requests"})


class CategoryChangeSchema(CategorySchema):
    """The fields to change (used with partial=True: any subset, but not none)."""

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("give at least one field to change.", "body")


class CategoryQuerySchema(Schema):
    include_inactive = fields.Boolean(load_default=False)


class RequestCreateSchema(Schema):
    category = fields.String(required=True, validate=CODE, metadata={"description": "a category code"})
    description = fields.String(required=True, validate=validate.Length(min=1, max=1000))


class PhotoUploadSchema(Schema):
    photos = fields.List(Upload(), required=True, validate=validate.Length(min=1))


class FilingSchema(Schema):
    """What the mini-program's filing form needs beside the categories."""

    photo_limit = fields.Integer(metadata={"description": "photos a request may carry"})
    photo_max_mb = fields.Integer(metadata={"description": "the largest photo, in MB"})
    subscribe_templates = fields.List(fields.String(), metadata={
        "description": "the subscribe-message template ids of the household's notices about its request, at most "
                       "3 (WeChat's limit for one requestSubscribeMessage): ask for them at the filing tap"})


class RequestQuerySchema(Schema):
    status = fields.Enum(RequestStatus, by_value=True)
    category = fields.String(validate=CODE)
    grid_id = fields.Integer(validate=id_range())
    mine = fields.Boolean(load_default=False, metadata={"description": "only those I hold"})


class ActionSchema(Schema):
    """One step on the timeline; `note` is the transfer's reason, the resolution, or the rating comment."""

    action = fields.String(required=True, validate=validate.OneOf(USER_ACTIONS))
    note = Reason(required=False, max_length=1000)   # a transfer's reason, a resolution, a rating's comment
    to_staff_id = fields.Integer(validate=id_range())
    rating = fields.Integer(validate=validate.Range(min=1, max=5))

    @validates_schema
    def required_for_action(self, data, **kwargs):
        for field in TRANSITIONS[data["action"]].needs:
            if data.get(field) is None:
                raise ValidationError(f"required to {data['action']} a request.", field)


class MediationSchema(Schema):
    kind = fields.Enum(MediationKind, by_value=True, required=True)
    outcome = fields.Enum(MediationOutcome, by_value=True, allow_none=True,
                          metadata={"description": "empty while the mediation is under way"})
    mediator = fields.String(allow_none=True, validate=validate.Length(max=50))
    note = fields.String(allow_none=True, validate=validate.Length(max=1000))


def handler_phone(role: Role, phone: str | None, viewer: Role | None) -> str | None:
    """In full to the household when the handler is a grid head: that phone is printed on the letters of
    the grid's doors. Other handlers' phones (unit leaders, joint heads, the admin) are printed nowhere."""
    if role is Role.GRID_HEAD and viewer is Role.RESIDENT:
        return phone
    return mask_phone(phone)


def _handler_phone(staff):
    return handler_phone(staff.role, staff.phone, current_principal().role)


class HandlerSchema(StaffBriefSchema):
    phone = fields.Function(_handler_phone)


class TransferTargetSchema(StaffBriefSchema):
    """A staff member a request may be transferred to; the phone masked."""

    role = fields.Function(lambda s: s.role.value)


class StepSchema(Schema):
    """One step on a timeline (a request's, a wish's): who, in which role, did what, when, with what note."""

    id = fields.Integer()
    at = UtcDateTime()
    action = fields.String()
    role = fields.String(allow_none=True)
    actor = fields.Function(lambda e: e.actor_staff.name if e.actor_staff else None)
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    note = fields.String(allow_none=True)


class EventSchema(StepSchema):
    handler = fields.Nested(HandlerSchema, allow_none=True)


def mask_email(email: str | None) -> str | None:
    """z***@example.cn: the first character and the domain."""
    return email and email[0] + "***" + email[email.rindex("@"):]


class CallerSchema(Schema):
    """An Open311 caller, masked like every phone; POST /api/requests/<id>/caller/reveal gives it whole."""

    first_name = fields.String(attribute="caller_first_name", allow_none=True)
    last_name = fields.String(attribute="caller_last_name", allow_none=True)
    # Fields of any kind: the revealed caller answers the stored values instead.
    phone: fields.Field = fields.Function(lambda r: mask_phone(r.caller_phone), allow_none=True)
    email: fields.Field = fields.Function(lambda r: mask_email(r.caller_email), allow_none=True)


class RevealedCallerSchema(CallerSchema):
    phone = fields.String(attribute="caller_phone", allow_none=True)
    email = fields.String(attribute="caller_email", allow_none=True)


def _caller(req):
    """Staff see who called; the household never does (a neighbour may have called about it)."""
    has_one = req.caller_first_name or req.caller_last_name or req.caller_phone or req.caller_email
    return CallerSchema().dump(req) if has_one and current_principal().staff else None


class RequestSchema(Schema):
    id = fields.Integer()
    status = fields.Function(lambda r: r.status.value)
    category = fields.Function(lambda r: {"code": r.category.code, "name": r.category.name})
    description = fields.String()
    source = fields.String(metadata={"description": "wechat (the mini-program), open311 (a partner system) or police "
                                                    "(an officer handed a contact request over)"})
    caller = fields.Function(_caller, metadata={"description": "who called about an Open311 request, masked; "
                                                               "staff only"})
    household = fields.Function(lambda r: {"id": r.household.id, "code": r.household.code,
                                           "address": r.household.address})
    grid_id = fields.Integer()
    handler = fields.Nested(HandlerSchema, allow_none=True)
    escalation_level = fields.Integer()
    filed_at = UtcDateTime()
    due_at = UtcDateTime()
    accepted_at = UtcDateTime(allow_none=True)
    resolved_at = UtcDateTime(allow_none=True)
    resolution_note = fields.String(allow_none=True)
    rating = fields.Integer(allow_none=True)
    rating_comment = fields.String(allow_none=True)


def request_rows(rows) -> list[dict]:
    """RequestSchema(many=True)'s dump of the API queue's rows (app.requests.scope.QUEUE_COLUMNS), without
    marshmallow for speed: tests/requests/test_queue.py holds the two equal."""
    viewer = current_principal().role
    return [{
        "id": r.id, "status": r.status.value, "category": {"code": r.category_code, "name": r.category_name},
        "description": r.description, "source": r.source, "caller": _caller(r),
        "household": {"id": r.household_id, "code": r.household_code, "address": r.household_address},
        "grid_id": r.grid_id,
        "handler": None if r.handler_id is None else {"id": r.handler_id, "name": r.handler_name,
                                                      "phone": handler_phone(r.handler_role, r.handler_phone, viewer)},
        "escalation_level": r.escalation_level, "filed_at": _iso(r.filed_at), "due_at": _iso(r.due_at),
        "accepted_at": _iso(r.accepted_at), "resolved_at": _iso(r.resolved_at),
        "resolution_note": r.resolution_note, "rating": r.rating, "rating_comment": r.rating_comment,
    } for r in rows]


def _iso(moment):
    """UtcDateTime's dump."""
    return None if moment is None else to_utc(moment).isoformat()


class RequestDetailSchema(RequestSchema):
    events = fields.List(fields.Nested(EventSchema))
    photos = fields.Function(lambda r: [
        {"id": p.id, "url": f"/api/requests/{r.id}/photos/{p.id}", "content_type": p.content_type}
        for p in r.photos])
    mediation = fields.Nested(MediationSchema, allow_none=True)
    contact_request_id = fields.Function(lambda r: r.handover.contact_request_id if r.handover else None,
                                         metadata={"description": "the police contact request it was handed over from"})

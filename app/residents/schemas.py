"""Bodies of registration and the grid head's registers; ID numbers and phones always leave masked."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema
from sqlalchemy import select

from app.clock import UtcDateTime
from app.extensions import db
from app.models import Household
from app.models.people import ResidenceType
from app.privacy import mask_phone
from app.residents.migrants import migrant_field_errors, normalize_province
from app.validation import ID_NUMBER_PATTERN, MOBILE_PATTERN, china_today, normalize_id_number, normalize_mobile


class Normalized(fields.String):
    """A string put through a normalizer (ID number, mobile, province); its ValueError is the field's error."""

    def __init__(self, normalize, **kwargs):
        super().__init__(**kwargs)
        self.normalize = normalize

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return self.normalize(super()._deserialize(value, attr, data, **kwargs))
        except ValueError as exc:
            raise ValidationError(str(exc)) from None


def _not_future(day):
    if day > china_today():
        raise ValidationError("Cannot be in the future.")


def _meaningful(text):
    if len(text.strip()) < 4:
        raise ValidationError("Give a reason of at least 4 characters.")


RESIDENCE_TYPES = [t.value for t in ResidenceType]
# Declared in the spec as the normalizers enforce them (the ID number's region, birth date and check character
# are checked beyond its shape).
MOBILE = {"pattern": MOBILE_PATTERN, "minLength": 11, "description": "mainland mobile; spaces, dashes, +86 allowed"}
ID_NUMBER = {"pattern": ID_NUMBER_PATTERN, "minLength": 18, "description": "18-character resident ID (GB 11643)"}


class MemberChangeSchema(Schema):
    """Any subset of a member's fields (PATCH); also the base of a full member entry."""

    name = fields.String(validate=validate.Length(min=1, max=50))
    relationship_to_head = fields.String(validate=validate.Length(min=1, max=20),
                                         metadata={"description": "e.g. 配偶, 子, 女, 父亲, 母亲"})
    phone = Normalized(normalize_mobile, allow_none=True, metadata=MOBILE)
    id_number = Normalized(normalize_id_number, metadata=ID_NUMBER)
    residence_type = fields.String(validate=validate.OneOf(RESIDENCE_TYPES))
    from_province = Normalized(normalize_province, allow_none=True)
    from_city = fields.String(validate=validate.Length(min=1, max=30), allow_none=True)
    return_date = fields.Date(validate=_not_future, allow_none=True)
    stay_days = fields.Integer(validate=validate.Range(min=0, max=3650), allow_none=True)


class MemberEntrySchema(MemberChangeSchema):
    """One person in a registration."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    id_number = Normalized(normalize_id_number, required=True, metadata=ID_NUMBER)
    residence_type = fields.String(required=True, validate=validate.OneOf(RESIDENCE_TYPES))
    is_self = fields.Boolean(load_default=False, metadata={"description": "this entry is the person registering"})

    @validates_schema
    def migrant_fields(self, data, **kwargs):
        errors = migrant_field_errors(data["residence_type"], data)
        if errors:
            raise ValidationError({field: [message] for field, message in errors.items()})


class RegistrationSchema(Schema):
    members = fields.List(fields.Nested(MemberEntrySchema), required=True,
                          validate=validate.Length(min=1, max=20))
    claim_head = fields.Boolean(load_default=False,
                                metadata={"description": "the registrant (is_self) heads this household"})
    consent_version = fields.String(required=True, validate=validate.Length(min=1, max=20),
                                    metadata={"description": "the privacy notice version the resident accepted"})

    @validates_schema
    def one_self_and_relationships(self, data, **kwargs):
        selves = [m for m in data["members"] if m["is_self"]]
        if len(selves) > 1:
            raise ValidationError("At most one member is yourself (is_self).", "members")
        if data["claim_head"] and not selves:
            raise ValidationError("Only you can claim the head: mark your own entry is_self.", "claim_head")
        missing = {i: {"relationship_to_head": ["Required: the relationship to the household head."]}
                   for i, m in enumerate(data["members"])
                   if not m.get("relationship_to_head") and not (data["claim_head"] and m["is_self"])}
        if missing:
            raise ValidationError({"members": missing})


class HouseholdBriefSchema(Schema):
    id = fields.Integer()
    code = fields.String()
    address = fields.String()


class MemberSchema(Schema):
    id = fields.Integer()
    household_id = fields.Integer()
    name = fields.String()
    relationship_to_head = fields.String(allow_none=True)
    phone = fields.Function(lambda m: mask_phone(m.phone))
    id_number = fields.String(attribute="id_number_masked", allow_none=True)
    residence_type = fields.Function(lambda m: m.residence_type.value if m.residence_type else None)
    from_province = fields.String(allow_none=True)
    from_city = fields.String(allow_none=True)
    return_date = fields.Date(allow_none=True)
    stay_days = fields.Integer(allow_none=True)
    is_head = fields.Boolean()
    status = fields.Function(lambda m: "confirmed" if m.confirmed else "pending")
    move_from_household_id = fields.Integer(allow_none=True)
    consent_version = fields.String(allow_none=True)
    created_at = UtcDateTime()
    confirmed_at = UtcDateTime(allow_none=True)


class GridMemberSchema(MemberSchema):
    """A member in a grid-wide list: with the house, and for a move the house code they come from."""

    household = fields.Nested(HouseholdBriefSchema)
    move_from_code = fields.Method("_move_from_code")

    def _move_from_code(self, member):
        if member.move_from_household_id is None:
            return None
        return db.session.scalar(select(Household.code).where(Household.id == member.move_from_household_id))


class RegisteredSchema(Schema):
    household = fields.Nested(HouseholdBriefSchema)
    members = fields.List(fields.Nested(MemberSchema))


class MyHouseholdSchema(RegisteredSchema):
    me = fields.Integer(metadata={"description": "the caller's own member id"})


class ExportSchema(Schema):
    exported_at = UtcDateTime()
    household = fields.Nested(HouseholdBriefSchema)
    members = fields.List(fields.Dict(), metadata={"description": "as in /api/my/household; the caller's own "
                                                                  "record with its full ID number and phone"})


class LetterContactSchema(Schema):
    name = fields.String()
    phone = fields.String(allow_none=True, metadata={"description": "in full: it is printed on the letter"})
    title = fields.String(allow_none=True)
    station = fields.String(allow_none=True)


class ScanSchema(Schema):
    code = fields.String()
    address = fields.String()
    community = fields.String()
    grid = fields.Dict()
    grid_head = fields.Nested(LetterContactSchema, allow_none=True)
    police = fields.Nested(LetterContactSchema, allow_none=True)
    has_head = fields.Boolean()


class PrivacyNoticeSchema(Schema):
    version = fields.String()
    text = fields.String()


class RevealSchema(Schema):
    reason = fields.String(required=True, validate=[validate.Length(max=500), _meaningful],
                           metadata={"minLength": 4, "description": "at least 4 characters besides spaces"})


class RevealedSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    id_number = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class UnitCoverageSchema(Schema):
    unit_id = fields.Integer()
    number = fields.Integer()
    name = fields.String()
    households = fields.Integer()
    registered = fields.Integer(metadata={"description": "households with at least one confirmed member"})
    share = fields.Float()


class CoverageSchema(Schema):
    grid_id = fields.Integer()
    households = fields.Integer()
    registered = fields.Integer()
    share = fields.Float()
    units = fields.List(fields.Nested(UnitCoverageSchema))


class ReturningQuerySchema(Schema):
    since = fields.Date(metadata={"description": "arrived on or after"})
    until = fields.Date(metadata={"description": "arrived on or before"})
    province = Normalized(normalize_province)

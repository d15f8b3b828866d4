"""Bodies of registration and the grid head's registers; ID numbers and phones always leave masked."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.clock import UtcDateTime, china_today
from app.models import Household
from app.models.people import ResidenceType
from app.privacy.masking import mask_phone
from app.residents.migrants import migrant_field_errors, normalize_province
from app.web.extensions import db
from app.web.input_fields import Reason
from app.web.validation import (
    ID_NUMBER_PATTERN,
    MOBILE_PATTERN,
    normalize_id_number,
    normalize_mobile,
)


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


def _status(member) -> str:
    return "confirmed" if member.confirmed else "pending"


class MemberSchema(Schema):
    """A member as residents see them: never whether the ID number is registered anywhere else."""

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
    status = fields.Function(_status)
    consent_version = fields.String(allow_none=True)
    created_at = UtcDateTime()
    confirmed_at = UtcDateTime(allow_none=True)


def _moved_from(member) -> Household | None:
    if member.move_from_household_id is None:
        return None
    return db.session.get(Household, member.move_from_household_id)


def _already_registered(member) -> str | None:
    if member.move_from_id is None:
        return None
    return "here" if member.move_from_household_id == member.household_id else "elsewhere"


class StaffMemberSchema(MemberSchema):
    """A member as staff see them: whether the ID number is registered already, and the move that makes."""

    already_registered = fields.Function(_already_registered, metadata={
        "description": "here / elsewhere: the person is in another record of this or another household, so "
                       "this record is a move waiting for the person's side or for this household; else null"})
    move_from_household_id = fields.Integer(allow_none=True)
    move_from_code = fields.Function(lambda m: getattr(_moved_from(m), "code", None))
    move_consent = fields.String(allow_none=True, metadata={
        "description": "who agreed on the person's side: person, household_head or grid_head"})


class GridMemberSchema(StaffMemberSchema):
    """A member in a grid-wide list, with the house."""

    household = fields.Nested(HouseholdBriefSchema)


class MoveSchema(Schema):
    """A move as the person's side decides it: who is claimed, from which house to which."""

    id = fields.Integer(metadata={"description": "the record claiming the person, in the household they go to"})
    name = fields.String()
    status = fields.Function(_status, metadata={"description": "whether the household they go to confirmed it"})
    from_household = fields.Function(lambda m: HouseholdBriefSchema().dump(_moved_from(m)),
                                     metadata={"description": "the household they leave: id, code, address"})
    to_household = fields.Nested(HouseholdBriefSchema, attribute="household")
    consent = fields.String(attribute="move_consent", allow_none=True)
    moved = fields.Function(lambda m: m.move_from_id is None and m.move_consent is not None)
    created_at = UtcDateTime()


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
    reason = Reason(min_length=4, max_length=500)


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

"""Bodies of the party and volunteer endpoints; contacts masked as for staff."""
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.party import OrganisationKind
from app.party.services import volunteer_of
from app.privacy.masking import mask_phone
from app.web.ids import id_range


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.Enum(OrganisationKind, by_value=True, required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    grid_id = fields.Integer(allow_none=True, validate=id_range(), metadata={"description": "a branch's grid"})
    unit_id = fields.Integer(allow_none=True, validate=id_range(), metadata={"description": "a group's unit"})


class PersonSchema(Schema):
    """Exactly one person: a confirmed resident in the caller's place, or (the admin) a staff member."""

    resident_id = fields.Integer(validate=id_range())
    staff_id = fields.Integer(validate=id_range())

    @validates_schema
    def one_person(self, data, **kwargs):
        if (data.get("resident_id") is None) == (data.get("staff_id") is None):
            raise ValidationError("give exactly one of resident_id, staff_id.", "resident_id")


class PartyMemberCreateSchema(PersonSchema):
    organisation_id = fields.Integer(required=True, validate=id_range())


class PartyMemberChangeSchema(Schema):
    organisation_id = fields.Integer(validate=id_range())
    volunteer = fields.Boolean(metadata={"description": "record the person as a volunteer too, or no longer"})
    ended_on = fields.Date(allow_none=True, metadata={
        "description": "the day the membership ended (not in the future; releases their contact households); "
                       "null: it goes on"})


class VolunteerCreateSchema(PersonSchema):
    skills = fields.String(validate=validate.Length(max=200))


def _name(record):
    return (record.resident or record.staff).name


class PartyMemberSchema(Schema):
    id = fields.Integer()
    name = fields.Function(_name)
    organisation = fields.Function(lambda m: {"id": m.organisation.id, "name": m.organisation.name,
                                              "kind": m.organisation.kind.value})
    resident_id = fields.Integer(allow_none=True)
    staff_id = fields.Integer(allow_none=True)
    volunteer = fields.Function(lambda m: volunteer_of(m) is not None)
    ended_on = fields.Date(allow_none=True)


class VolunteerSchema(Schema):
    id = fields.Integer()
    name = fields.Function(_name)
    skills = fields.String(allow_none=True)
    resident_id = fields.Integer(allow_none=True)
    staff_id = fields.Integer(allow_none=True)


class HouseholdIdsSchema(Schema):
    household_ids = fields.List(fields.Integer(validate=id_range()), required=True)


class ContactHouseSchema(Schema):
    """A household as staff see it in lists: the head's phone masked."""

    id = fields.Integer()
    code = fields.String()
    address = fields.String()
    head_name = fields.String(allow_none=True)
    head_phone = fields.Function(lambda h: mask_phone(h.head_phone))


class LookedAfterSchema(ContactHouseSchema):
    wishes = fields.Function(lambda h: [{"id": w.id, "text": w.text, "status": w.status.value} for w in h.open_wishes],
                             metadata={"description": "the household's wishes not yet closed"})

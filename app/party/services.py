"""Recording party members and volunteers, organisations, assigning contact households, and the coverage."""
from sqlalchemy import delete, select

from app.auth.access import grid_scope, household_scope
from app.auth.principal import Principal, staff_of
from app.clock import china_today
from app.models import (
    ContactHousehold,
    Grid,
    Household,
    PartyMember,
    PartyOrganisation,
    Resident,
    Role,
    Unit,
    Volunteer,
)
from app.models.party import OrganisationKind
from app.points.services import holder_in_reach
from app.privacy.audit import record
from app.web.extensions import db
from app.web.refusals import Conflict, NotFound, Refusal

MOST_CONTACT_HOUSEHOLDS = 10


def create_organisation(community_id: int, data: dict) -> PartyOrganisation:
    """A committee, a grid's branch (grid_id) or a unit's group (unit_id), in the admin's community."""
    kind = OrganisationKind(data["kind"])
    if kind is OrganisationKind.BRANCH:
        grid = db.session.get(Grid, data.get("grid_id") or 0)
        if grid is None or grid.community_id != community_id:
            raise Refusal("a branch is a grid's, of your community.", "grid_id")
    if kind is OrganisationKind.GROUP:
        unit = db.session.get(Unit, data.get("unit_id") or 0)
        if unit is None or unit.grid.community_id != community_id:
            raise Refusal("a group is a unit's, of your community.", "unit_id")
    organisation = PartyOrganisation(community_id=community_id, kind=kind, name=data["name"],
                                     grid_id=data.get("grid_id") if kind is OrganisationKind.BRANCH else None,
                                     unit_id=data.get("unit_id") if kind is OrganisationKind.GROUP else None)
    db.session.add(organisation)
    db.session.flush()
    return organisation


def _person(p: Principal, data: dict) -> dict:
    """{"resident_id": ...} or {"staff_id": ...} of a person in the caller's reach (as the points are given)."""
    holder = holder_in_reach(p, data)
    return {"staff_id": holder.id} if data.get("staff_id") is not None else {"resident_id": holder.id}


def record_member(p: Principal, data: dict) -> PartyMember:
    organisation = db.session.get(PartyOrganisation, data["organisation_id"])
    if organisation is None or organisation.community_id != p.community_id:
        raise NotFound(f"no organisation {data['organisation_id']} in your community.", "organisation_id")
    person = _person(p, data)
    if db.session.scalar(select(PartyMember.id).filter_by(**person)) is not None:
        raise Conflict("This person is recorded as a party member already.")
    member = PartyMember(community_id=p.community_id, organisation=organisation, **person)
    db.session.add(member)
    db.session.flush()
    return member


def record_volunteer(p: Principal, data: dict) -> Volunteer:
    person = _person(p, data)
    if db.session.scalar(select(Volunteer.id).filter_by(**person)) is not None:
        raise Conflict("This person is recorded as a volunteer already.")
    volunteer = Volunteer(community_id=p.community_id, skills=data.get("skills"), **person)
    db.session.add(volunteer)
    db.session.flush()
    return volunteer


def volunteer_of(member: PartyMember) -> Volunteer | None:
    person = {"staff_id": member.staff_id} if member.staff_id is not None else {"resident_id": member.resident_id}
    return db.session.scalar(select(Volunteer).filter_by(**person))


def _organisation_in_reach(p: Principal, organisation_id: int) -> PartyOrganisation:
    """An organisation of the admin's community; for a grid head, a branch or group of their grids."""
    organisation = db.session.get(PartyOrganisation, organisation_id)
    if organisation is not None and p.role is not Role.ADMIN:
        unit = db.session.get(Unit, organisation.unit_id) if organisation.unit_id is not None else None
        grid_id = unit.grid_id if unit is not None else organisation.grid_id
        in_grids = grid_id is not None and db.session.scalar(
            select(Grid.id).where(Grid.id == grid_id, grid_scope(p))) is not None
        organisation = organisation if in_grids else None
    if organisation is None or organisation.community_id != p.community_id:
        raise NotFound(f"no organisation {organisation_id} in your place.", "organisation_id")
    return organisation


def change_member(p: Principal, member: PartyMember, changes: dict) -> PartyMember:
    """Move a member to another organisation, record them as a volunteer or no longer, end (or, a mistake,
    resume) their membership: ending it releases their contact households. Audited with what changed."""
    done = []
    if "organisation_id" in changes and changes["organisation_id"] != member.organisation_id:
        organisation = _organisation_in_reach(p, changes["organisation_id"])
        done.append(f"organisation {member.organisation.name} → {organisation.name}")
        member.organisation = organisation
    volunteer = volunteer_of(member) if "volunteer" in changes else None
    if "volunteer" in changes and changes["volunteer"] != (volunteer is not None):
        if volunteer is None:
            db.session.add(Volunteer(community_id=member.community_id, resident_id=member.resident_id,
                                     staff_id=member.staff_id))
        else:
            db.session.delete(volunteer)
        done.append("volunteer" if changes["volunteer"] else "no longer a volunteer")
    if "ended_on" in changes and changes["ended_on"] != member.ended_on:
        ended = changes["ended_on"]
        if ended is not None and ended > china_today():
            raise Refusal("the membership ends today at the latest; record a later end when it comes.", "ended_on")
        if ended is not None:
            db.session.execute(delete(ContactHousehold).where(ContactHousehold.party_member_id == member.id))
        done.append(f"membership ended {ended.isoformat()}" if ended else "membership goes on")
        member.ended_on = ended
    if done:
        record(p, "update", "party_member", member.id, reason="; ".join(done))
        db.session.flush()
    return member


def people_scope(p: Principal, model: type[PartyMember] | type[Volunteer]):
    """Condition on PartyMember or Volunteer, the people a keeper lists: the admin's community's; a grid head's,
    the residents living in their grids."""
    if p.role is Role.ADMIN:
        return model.community_id == staff_of(p).community_id
    return model.resident_id.in_(select(Resident.id).join(Household).where(household_scope(p)))


def member_or_404(p: Principal, member_id: int) -> PartyMember:
    found = db.session.scalar(select(PartyMember).where(PartyMember.id == member_id, people_scope(p, PartyMember)))
    if found is None:
        raise NotFound(f"Party member {member_id} not found.")
    return found


def assign_households(p: Principal, member: PartyMember, household_ids: list[int]) -> list[Household]:
    """The member's contact households within the caller's place become exactly these (a few; each household
    has at most one contact member: one held by another member is refused)."""
    if len(set(household_ids)) > MOST_CONTACT_HOUSEHOLDS:
        raise Refusal(f"at most {MOST_CONTACT_HOUSEHOLDS} households a member.", "household_ids")
    houses = db.session.scalars(select(Household).where(Household.id.in_(household_ids), household_scope(p))).all()
    missing = set(household_ids) - {h.id for h in houses}
    if missing:
        raise NotFound(f"no household {min(missing)} in your place.", "household_ids")
    if member.ended_on is not None:
        raise Conflict("This membership has ended; a member looks after households while it goes on.")
    held = db.session.scalar(select(ContactHousehold.household_id).where(
        ContactHousehold.household_id.in_(household_ids), ContactHousehold.party_member_id != member.id))
    if held is not None:
        raise Conflict(f"Household {held} has another contact party member; release it first.")
    in_place = select(Household.id).where(household_scope(p))
    db.session.execute(delete(ContactHousehold).where(ContactHousehold.party_member_id == member.id,
                                                      ContactHousehold.household_id.in_(in_place)))
    db.session.add_all(ContactHousehold(party_member_id=member.id, household_id=h.id) for h in houses)
    db.session.flush()
    return list(houses)


def uncovered(p: Principal):
    """Households in the caller's place with no contact party member."""
    return select(Household).where(household_scope(p), Household.id.not_in(select(ContactHousehold.household_id)))


def my_contact_households(p: Principal) -> list[Household]:
    """The households the caller looks after as a party member (none if they are not one)."""
    if p.staff is not None:
        person = PartyMember.staff_id == p.staff.id
    elif p.resident is not None:
        person = PartyMember.resident_id == p.resident.id
    else:
        return []
    return list(db.session.scalars(select(Household).join(ContactHousehold).join(PartyMember).where(person)
                                   .order_by(Household.code)))

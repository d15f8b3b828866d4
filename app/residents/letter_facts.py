"""What the family letter on a door tells a stranger who scans it: the house and whom to call, no residents."""
from sqlalchemy import or_, select

from app.extensions import db
from app.models import Household, Jurisdiction, Role, Staff
from app.residents.services import confirmed_head


def community_officer(household: Household) -> Staff | None:
    """The active police officer covering the house: one assigned to its grid first, then to the community."""
    return db.session.scalar(
        select(Staff).join(Jurisdiction, Jurisdiction.staff_id == Staff.id)
        .where(Staff.role == Role.POLICE, Staff.active, Jurisdiction.community_id == household.community_id,
               or_(Jurisdiction.grid_id == household.grid_id, Jurisdiction.grid_id.is_(None)))
        .order_by(Jurisdiction.grid_id.is_(None), Staff.id).limit(1))


def _contact(staff: Staff | None, *extra) -> dict | None:
    if staff is None or not staff.active:
        return None
    # Staff phones are printed on the letter itself, so they are shown in full.
    return {"name": staff.name, "phone": staff.phone, **{key: getattr(staff, key) for key in extra}}


def letter_facts(household: Household) -> dict:
    return {
        "code": household.code,
        "address": household.address,
        "community": household.community.name,
        "grid": {"number": household.grid.number, "name": household.grid.name},
        "grid_head": _contact(household.grid.head),
        "police": _contact(community_officer(household), "title", "station"),
        "has_head": confirmed_head(household.id) is not None,
    }

"""What the family letter on a door tells a stranger who scans it: the house and whom to call, no residents."""
from sqlalchemy import bindparam, exists, or_, select
from sqlalchemy.orm import aliased

from app.models import Community, Grid, Household, Jurisdiction, Resident, Role, Staff
from app.web.extensions import db


def _officer_id(community_id, grid_id):
    """The active police officer covering a house: one assigned to its grid first, then to the community."""
    return (select(Staff.id).join(Jurisdiction, Jurisdiction.staff_id == Staff.id)
            .where(Staff.role == Role.POLICE, Staff.active, Jurisdiction.community_id == community_id,
                   or_(Jurisdiction.grid_id == grid_id, Jurisdiction.grid_id.is_(None)))
            .order_by(Jurisdiction.grid_id.is_(None), Staff.id).limit(1))


def community_officer(household: Household) -> Staff | None:
    officer_id = db.session.scalar(_officer_id(household.community_id, household.grid_id))
    return db.session.get(Staff, officer_id) if officer_id is not None else None


CONTACT = ("name", "phone")
OFFICER = ("name", "phone", "title", "station")


def _facts_query():
    """Community, grid, grid head, officer and whether the house has a confirmed head, in one statement.
    Built once: every scan runs it, and building it (two aliases, a subquery) cost more than running it."""
    head, officer = aliased(Staff), aliased(Staff)
    community_id, grid_id, household_id = (bindparam(n) for n in ("community_id", "grid_id", "household_id"))
    has_head = exists().where(Resident.household_id == household_id, Resident.is_head, Resident.confirmed)
    return (select(Community.name.label("community"), Grid.number, Grid.name, has_head.label("has_head"),
                   head.active.label("head_active"), *(getattr(head, c).label(f"head_{c}") for c in CONTACT),
                   officer.id.label("officer_id"), *(getattr(officer, c).label(f"officer_{c}") for c in OFFICER))
            .select_from(Grid).join(Community, Community.id == community_id)
            .outerjoin(head, head.id == Grid.head_id)
            .outerjoin(officer, officer.id == _officer_id(community_id, grid_id).scalar_subquery())
            .where(Grid.id == grid_id))


_FACTS = _facts_query()


def letter_facts(household: Household) -> dict:
    row = db.session.execute(_FACTS, {"community_id": household.community_id, "grid_id": household.grid_id,
                                      "household_id": household.id}).one()
    # Staff phones are printed on the letter itself, so they are shown in full.
    return {
        "code": household.code,
        "address": household.address,
        "community": row.community,
        "grid": {"number": row.number, "name": row.name},
        "grid_head": {c: row._mapping[f"head_{c}"] for c in CONTACT} if row.head_active else None,
        "police": {c: row._mapping[f"officer_{c}"] for c in OFFICER} if row.officer_id is not None else None,
        "has_head": bool(row.has_head),
    }

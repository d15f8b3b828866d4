"""Who is responsible for a house's request at each level: first responder, grid head, community admin."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.models import Category, Grid, Household, Level, Role, Staff, Unit
from app.web.extensions import db


def household_to_route(household_id: int) -> Household:
    """The house with whoever route() may ask for (its unit's leader, its grid's head, its joint head) in one
    query, rather than a query for each relation on first use."""
    return db.session.scalars(select(Household).where(Household.id == household_id).options(
        joinedload(Household.unit).joinedload(Unit.leader), joinedload(Household.grid).joinedload(Grid.head),
        joinedload(Household.joint_head))).one()


def community_admin(community_id: int) -> Staff | None:
    """The community's first active admin: who answers when nobody nearer does."""
    return db.session.scalar(select(Staff).where(
        Staff.community_id == community_id, Staff.role == Role.ADMIN, Staff.active.is_(True)
    ).order_by(Staff.id).limit(1))


def _first_responder(household: Household, category: Category) -> Staff | None:
    if category.first_responder == "joint_head":
        return household.joint_head
    if category.first_responder == "unit_leader":
        return household.unit.leader
    return None


def responsible(household: Household, category: Category, level: Level) -> Staff | None:
    """The active staff member who holds the house's request at `level`, or None if there is none."""
    if level is Level.FIRST_RESPONDER:
        staff = _first_responder(household, category)
    elif level is Level.GRID_HEAD:
        staff = household.grid.head
    else:
        staff = community_admin(household.community_id)
    return staff if staff is not None and staff.active else None


def route(household: Household, category: Category, above: Level | None = None):
    """(level, staff) of the nearest responsible person above `above` (from the bottom when None).

    (None, None) when nobody is left: the request stays where it is."""
    for level in Level:
        if above is not None and level <= above:
            continue
        staff = responsible(household, category, level)
        if staff is not None:
            return level, staff
    return None, None

"""Who is responsible for a house's request at each level: first responder, grid head, community admin."""
from typing import NamedTuple

from sqlalchemy import and_, bindparam, select

from app.models import Category, Grid, Household, Level, Role, Staff, Unit
from app.web.extensions import db


class Holder(NamedTuple):
    """An active staff member who may hold a request: what routing, the timeline and the answer need of them."""
    id: int
    name: str
    phone: str
    role: Role


class HouseToRoute(NamedTuple):
    """A house as filing reads it: its place, and its active first responders and grid head."""
    id: int
    community_id: int
    grid_id: int
    code: str
    address: str
    joint_head: Holder | None
    unit_leader: Holder | None
    grid_head: Holder | None


# Narrow for speed: prebuilt Core statements of the columns a Holder needs, rather than ORM rows of whole staff
# members (the house's: six joined entities).
_staff, _household, _unit, _grid = Staff.__table__, Household.__table__, Unit.__table__, Grid.__table__
_joint, _leader, _head = _staff.alias("joint_head"), _staff.alias("unit_leader"), _staff.alias("grid_head")
_HOUSE_TO_ROUTE = (
    select(_household.c.id, _household.c.community_id, _household.c.grid_id, _household.c.code,
           _household.c.address, *(s.c[key] for s in (_joint, _leader, _head) for key in Holder._fields))
    .select_from(_household.join(_unit, _unit.c.id == _household.c.unit_id)
                 .join(_grid, _grid.c.id == _household.c.grid_id)
                 .outerjoin(_joint, and_(_joint.c.id == _household.c.joint_head_id, _joint.c.active.is_(True)))
                 .outerjoin(_leader, and_(_leader.c.id == _unit.c.leader_id, _leader.c.active.is_(True)))
                 .outerjoin(_head, and_(_head.c.id == _grid.c.head_id, _head.c.active.is_(True))))
    .where(_household.c.id == bindparam("household_id")))
_COMMUNITY_ADMIN = select(*(_staff.c[key] for key in Holder._fields)).where(
    _staff.c.community_id == bindparam("community_id"), _staff.c.role == Role.ADMIN, _staff.c.active.is_(True)
).order_by(_staff.c.id).limit(1)


def household_to_route(household_id: int) -> HouseToRoute:
    """The house with whoever route() may ask for (its joint head, its unit's leader, its grid's head) in one
    query."""
    row = db.session.execute(_HOUSE_TO_ROUTE, {"household_id": household_id}).one()
    holders = (None if row[start] is None else Holder(*row[start:start + 4]) for start in (5, 9, 13))
    return HouseToRoute(*row[:5], *holders)


def community_admin(community_id: int) -> Holder | None:
    """The community's first active admin: who answers when nobody nearer does."""
    row = db.session.execute(_COMMUNITY_ADMIN, {"community_id": community_id}).first()
    return None if row is None else Holder(*row)


def _first_responder(house: HouseToRoute, category: Category) -> Holder | None:
    if category.first_responder == "joint_head":
        return house.joint_head
    if category.first_responder == "unit_leader":
        return house.unit_leader
    return None


def responsible(house: HouseToRoute, category: Category, level: Level) -> Holder | None:
    """The active staff member who holds the house's request at `level`, or None if there is none."""
    if level is Level.FIRST_RESPONDER:
        return _first_responder(house, category)
    if level is Level.GRID_HEAD:
        return house.grid_head
    return community_admin(house.community_id)


def route(house: HouseToRoute, category: Category, above: Level | None = None):
    """(level, holder) of the nearest responsible person above `above` (from the bottom when None).

    (None, None) when nobody is left: the request stays where it is."""
    for level in Level:
        if above is not None and level <= above:
            continue
        staff = responsible(house, category, level)
        if staff is not None:
            return level, staff
    return None, None

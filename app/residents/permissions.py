"""Which member records a resident may see and change, who confirms a registration, who agrees to a move."""
from sqlalchemy import Select, false, or_, select
from sqlalchemy.orm import aliased

from app.auth.access import household_scope
from app.auth.principal import Principal
from app.models import Household, Resident, Role
from app.web.refusals import Forbidden


def sees(viewer: Resident, member: Resident) -> bool:
    """A confirmed member sees the whole household; a pending one only themselves and whom they registered,
    so that scanning a door's letter reveals nobody who lives behind it."""
    return member.household_id == viewer.household_id and (
        viewer.confirmed or member.id == viewer.id or member.registered_by_id == viewer.id)


def may_change(viewer: Resident, member: Resident) -> bool:
    """The head changes anyone in the household; others themselves and the members they registered."""
    return member.household_id == viewer.household_id and (
        (viewer.is_head and viewer.confirmed) or member.id == viewer.id or member.registered_by_id == viewer.id)


def check_confirms(principal: Principal, member: Resident) -> None:
    """Let the grid head or the household's confirmed head confirm or reject; Forbidden for anyone else.

    The member's household is already known to be within the caller's place."""
    if principal.role is Role.GRID_HEAD:
        return
    viewer = principal.resident
    if viewer is None or viewer.household_id != member.household_id or not viewer.is_head:
        raise Forbidden("Only the head of this household or its grid head confirms members.")


def moves_for(p: Principal) -> Select:
    """The records moving a person whose side `p` speaks for: the person (their own earlier record), the
    confirmed head of the household they leave, its grid head. The side they go to finds none of them."""
    earlier = aliased(Resident)
    moves = select(Resident).join(earlier, Resident.move_from_id == earlier.id)
    if p.role is Role.GRID_HEAD:
        return moves.join(Household, earlier.household_id == Household.id).where(household_scope(p))
    if p.member is None:
        return moves.where(false())
    mine = earlier.id == p.member.id
    if p.resident is not None and p.resident.is_head:
        mine = or_(mine, earlier.household_id == p.resident.household_id)
    return moves.where(mine)


def consent_of(p: Principal, move: Resident) -> str:
    """Whom `p` agrees as, for a move within moves_for(p)."""
    if p.member is not None and p.member.id == move.move_from_id:
        return "person"
    return "grid_head" if p.role is Role.GRID_HEAD else "household_head"

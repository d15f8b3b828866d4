"""Which member records a resident may see and change, and who confirms a registration."""
from app.auth.principal import Principal
from app.models import Resident, Role
from app.residents.services import Refusal


def sees(viewer: Resident, member: Resident) -> bool:
    """A confirmed member sees the whole household; a pending one only themselves and whom they registered,
    so that scanning a door's letter reveals nobody who lives behind it."""
    return member.household_id == viewer.household_id and (
        viewer.confirmed or member.id == viewer.id or member.registered_by_id == viewer.id)


def may_change(viewer: Resident, member: Resident) -> bool:
    """The head changes anyone in the household; others themselves and the members they registered."""
    return member.household_id == viewer.household_id and (
        (viewer.is_head and viewer.confirmed) or member.id == viewer.id or member.registered_by_id == viewer.id)


def confirms_as_grid_head(principal: Principal, member: Resident) -> bool:
    """True for the grid head, False for the household's confirmed head; Refusal for anyone else.

    The member's household is already known to be within the caller's place."""
    if principal.role is Role.GRID_HEAD:
        return True
    viewer = principal.resident
    if viewer is not None and viewer.household_id == member.household_id and viewer.is_head and viewer.confirmed:
        return False
    raise Refusal("Only the head of this household or its grid head confirms members.")

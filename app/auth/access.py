"""What each principal may see: SQL conditions that scope households and grids to a role's place."""
from sqlalchemy import false, or_, select

from app.auth.principal import Principal
from app.models import Grid, Household, Jurisdiction, Role, Unit


def _police_grids(staff_id):
    return select(Jurisdiction.grid_id).where(
        Jurisdiction.staff_id == staff_id, Jurisdiction.grid_id.is_not(None)
    )


def _police_communities(staff_id):
    return select(Jurisdiction.community_id).where(
        Jurisdiction.staff_id == staff_id, Jurisdiction.grid_id.is_(None)
    )


def household_scope(p: Principal):
    """Condition on Household that is true exactly for the houses `p` may see."""
    if p.role is Role.RESIDENT:   # a confirmed member (a registrant is no resident: app/auth/principal.py)
        assert p.household_id is not None, "a RESIDENT's role comes from their confirmed member record"
        return Household.id == p.household_id
    sid = p.staff_id
    if sid is None:
        return false()
    if p.role is Role.ADMIN:
        return Household.community_id == p.community_id
    if p.role is Role.GRID_HEAD:
        return Household.grid_id.in_(select(Grid.id).where(Grid.head_id == sid))
    if p.role is Role.UNIT_LEADER:
        return Household.unit_id.in_(select(Unit.id).where(Unit.leader_id == sid))
    if p.role is Role.JOINT_HEAD:
        return Household.joint_head_id == sid
    if p.role is Role.POLICE:
        return or_(Household.grid_id.in_(_police_grids(sid)),
                   Household.community_id.in_(_police_communities(sid)))
    return false()


def grid_scope(p: Principal):
    """Condition on Grid: the grids whose figures and households `p` may read."""
    sid = p.staff_id
    if sid is None:
        return false()
    if p.role is Role.ADMIN:
        return Grid.community_id == p.community_id
    if p.role is Role.GRID_HEAD:
        return Grid.head_id == sid
    if p.role is Role.POLICE:
        return or_(Grid.id.in_(_police_grids(sid)), Grid.community_id.in_(_police_communities(sid)))
    if p.role is Role.UNIT_LEADER:
        return Grid.id.in_(select(Unit.grid_id).where(Unit.leader_id == sid))
    if p.role is Role.JOINT_HEAD:
        return Grid.id.in_(select(Household.grid_id).where(Household.joint_head_id == sid))
    return false()

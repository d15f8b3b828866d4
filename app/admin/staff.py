"""Creating staff accounts, giving them their places in the community, and their WeChat invites."""
from datetime import datetime

from sqlalchemy import select

from app.auth.principal import Principal
from app.auth.wechat_login import new_invite
from app.models import Grid, Household, Jurisdiction, Role, Staff, Unit
from app.web.extensions import db
from app.web.refusals import Conflict, NotFound, Refusal


def _own(model, ids, community_id, field, community_column):
    found = db.session.scalars(select(model).where(model.id.in_(ids), community_column == community_id)).all()
    missing = sorted(set(ids) - {row.id for row in found})
    if missing:
        raise Refusal(f"not in this community: {missing}.", field, zh="所选网格不属于本社区。")
    return found


def create_staff(community_id: int, data: dict, hash_method: str) -> Staff:
    """A new account with its places; the caller commits. A Refusal for foreign places or a taken username."""
    if db.session.scalar(select(Staff.id).where(Staff.username == data["username"])):
        raise Conflict(f"'{data['username']}' is taken.", "username", zh=f"用户名 {data['username']} 已被使用。")
    role = Role(data["role"])
    staff = Staff(community_id=community_id, username=data["username"], role=role, name=data["name"],
                  phone=data.get("phone"), title=data.get("title"), station=data.get("station"))
    staff.set_password(data["password"], method=hash_method)
    db.session.add(staff)
    grids = _own(Grid, data["grid_ids"], community_id, "grid_ids", Grid.community_id)
    units = _own(Unit, data["unit_ids"], community_id, "unit_ids",
                 select(Grid.community_id).where(Grid.id == Unit.grid_id).scalar_subquery())
    houses = _own(Household, data["household_ids"], community_id, "household_ids", Household.community_id)
    if role is Role.GRID_HEAD:
        for grid in grids:
            grid.head = staff
    elif role is Role.POLICE:
        places = [g.id for g in grids] or [None]
        staff.jurisdictions = [Jurisdiction(community_id=community_id, grid_id=g) for g in places]
    for unit in units:
        unit.leader = staff
    for house in houses:
        house.joint_head = staff
    return staff


def invite(principal: Principal, staff_id: int) -> tuple[str, datetime]:
    """A single-use code (valid 7 days) for a staff member of the admin's community to bind their WeChat, the
    invite audited; NotFound for anyone else. The caller commits."""
    staff = db.session.get(Staff, staff_id)
    assert principal.staff is not None, "an admin's invite"
    if staff is None or staff.community_id != principal.staff.community_id:
        raise NotFound(f"Staff {staff_id} not found.")
    return new_invite(staff, principal)   # audited there

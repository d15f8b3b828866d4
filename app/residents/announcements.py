"""Who hears of registrations, confirmations and moves: outbox rows in the change's own transaction."""
from sqlalchemy import select

from app.extensions import db
from app.models import Household, Resident, WeChatIdentity
from app.models.people import ResidenceType
from app.notify import notify


def _names(rows) -> str:
    return "、".join(row.name for row in rows)


def _data(household: Household, rows) -> dict:
    return {"household_id": household.id, "member_ids": [row.id for row in rows]}


def _identities(*member_ids) -> list[WeChatIdentity]:
    wanted = [i for i in member_ids if i is not None]
    return db.session.scalars(select(WeChatIdentity).where(WeChatIdentity.resident_id.in_(wanted))).all()


def registered(household: Household, rows: list[Resident], head: Resident | None) -> None:
    """Pending members go to the household head (the grid head when there is none); moves and returning
    migrants go to the grid head."""
    grid_head = household.grid.head
    pending = [r for r in rows if not r.confirmed and r.move_from_household_id is None]
    if pending:
        for recipient in (_identities(head.id) if head else []) or ([grid_head] if grid_head else []):
            notify(recipient, "member_pending", "新成员待确认",
                   f"{household.address}：{_names(pending)} 申请登记为家庭成员，请确认。",
                   _data(household, pending), page="pages/household/index")
    if grid_head is None:
        return
    moves = [r for r in rows if r.move_from_household_id is not None]
    if moves:
        notify(grid_head, "member_move", "人员迁入待确认",
               f"{_names(moves)} 已在其他住户登记，现申请迁入 {household.code}（{household.address}），请核实后确认。",
               _data(household, moves) | {"from_household_ids": [r.move_from_household_id for r in moves]},
               page=f"pages/grid/pending?grid_id={household.grid_id}")
    migrants = [r for r in rows if r.residence_type is ResidenceType.RETURNING_MIGRANT]
    if migrants:
        arrivals = "；".join(f"{r.name}（自{r.from_province}{r.from_city}，{r.return_date:%Y-%m-%d}返回）"
                            for r in migrants)
        notify(grid_head, "returning_migrant", "返乡人员登记", f"{household.code}：{arrivals}",
               _data(household, migrants), page=f"pages/grid/returning?grid_id={household.grid_id}")


def registrant(member: Resident, confirmed: bool) -> None:
    """Tell the member (if they use WeChat) and whoever registered them how the registration ended."""
    household = member.household
    if confirmed:
        kind, title, body = "member_confirmed", "登记已确认", f"{member.name} 已确认为 {household.address} 的家庭成员。"
    else:
        kind, title, body = ("member_rejected", "登记未通过",
                             f"{member.name} 在 {household.address} 的登记未通过确认，如有疑问请联系网格长。")
    for identity in _identities(member.id, member.registered_by_id):
        notify(identity, kind, title, body, _data(household, [member]), page="pages/household/index")


def moved_out(old: Resident, new: Resident) -> None:
    """The grid head of the household a person left learns where they went."""
    grid_head = old.household.grid.head
    if grid_head is not None:
        notify(grid_head, "member_moved_out", "人员迁出",
               f"{old.name} 已从 {old.household.code} 迁至 {new.household.code}。",
               {"household_id": old.household_id, "to_household_id": new.household_id},
               page=f"pages/grid/households?grid_id={old.household.grid_id}")

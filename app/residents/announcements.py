"""Who hears of registrations, confirmations and moves, and who speaks for a household: outbox rows in the change's
own transaction."""
from collections.abc import Sequence

from sqlalchemy import bindparam, select

from app.models import Household, Resident, WeChatIdentity
from app.models.people import ResidenceType, resident_table, wechat_identity_table
from app.notifications.notify import notify, notify_now
from app.web.extensions import db


def _names(rows) -> str:
    return "、".join(row.name for row in rows)


def _data(household: Household, rows) -> dict:
    return {"household_id": household.id, "member_ids": [row.id for row in rows]}


def _identities(*member_ids) -> Sequence[WeChatIdentity]:
    wanted = [i for i in member_ids if i is not None]
    return db.session.scalars(select(WeChatIdentity).where(WeChatIdentity.resident_id.in_(wanted))).all()


# Narrow for speed: the ids of the household's confirmed head's WeChat users, in one statement.
_HEAD_IDENTITIES = (select(wechat_identity_table.c.id)
                    .join(resident_table, wechat_identity_table.c.resident_id == resident_table.c.id)
                    .where(resident_table.c.household_id == bindparam("household_id"), resident_table.c.is_head,
                           resident_table.c.confirmed))


def head_identities(household_id: int) -> list[int]:
    """Whom a household's pending members are told to: its confirmed head's WeChat users (ids), if any."""
    return list(db.session.scalars(_HEAD_IDENTITIES, {"household_id": household_id}))


def household_voice(household_id: int, identity: WeChatIdentity | None) -> list[WeChatIdentity]:
    """Who hears of a household's wish or request when a notice is made: the WeChat user who posted it while they
    are a confirmed member of the household still, else the household's confirmed head's WeChat users (nobody when
    it has none). A member removed since hears no more of it."""
    if identity is None:
        return []
    member = identity.resident
    if member is not None and member.household_id == household_id and member.confirmed:
        return [identity]
    heads = head_identities(household_id)
    return list(db.session.scalars(select(WeChatIdentity).where(WeChatIdentity.id.in_(heads)))) if heads else []


def registered(household: Household, rows: list[Resident], head_users: list[int], grid_head_id: int | None) -> None:
    """Pending members go to the household head (the WeChat users `head_users`; the grid head when there is
    none), returning migrants to the grid head; whether anyone's ID number is registered already is for staff
    only (move_waiting). By ids, at once: registration is a hot path (notify_now)."""
    pending = [r for r in rows if not r.confirmed]
    if pending:
        recipients = [{"wechat_id": i} for i in head_users] or ([{"staff_id": grid_head_id}] if grid_head_id else [])
        for recipient in recipients:
            notify_now("member_pending", "新成员待确认",
                       f"{household.address}：{_names(pending)} 申请登记为家庭成员，请确认。",
                       _data(household, pending), "pages/household/index", **recipient)
    migrants = [r for r in rows if r.residence_type is ResidenceType.RETURNING_MIGRANT]
    if migrants and grid_head_id is not None:
        arrivals = "；".join(f"{r.name}（自{r.from_province}{r.from_city}，{r.return_date:%Y-%m-%d}返回）"
                            for r in migrants)
        notify_now("returning_migrant", "返乡人员登记", f"{household.code}：{arrivals}", _data(household, migrants),
                   f"pages/grid/returning?grid_id={household.grid_id}", staff_id=grid_head_id)


def move_waiting(member: Resident, earlier: Resident, source_head: Resident | None) -> None:
    """A record of a person registered already: the grid head where it was made learns of it, and the person's
    side (they, their household head, their grid head) is asked to agree unless it has. No ID numbers."""
    to, source = member.household, earlier.household
    where = "本户" if source.id == to.id else f" {source.code} "
    agreed = "本人已同意迁出" if member.move_consent else "须经本人、原住户户主或原网格长同意方可迁入"
    if to.grid.head is not None:
        notify(to.grid.head, "member_move", "人员迁入待确认",
               f"{member.name} 已在{where}登记，现登记于 {to.code}（{to.address}），{agreed}。",
               _data(to, [member]) | {"from_household_id": source.id},
               page=f"pages/grid/pending?grid_id={to.grid_id}")
    if member.move_consent:
        return
    for recipient in [*_identities(earlier.id, source_head.id if source_head else None), source.grid.head]:
        if recipient is not None:
            notify(recipient, "member_move_request", "迁出待同意",
                   f"{earlier.name} 在 {to.code}（{to.address}）被登记为家庭成员，申请从 {source.code} 迁出。"
                   "本人、户主或网格长同意后方可迁出，也可拒绝。",
                   {"move_id": member.id, "household_id": source.id, "to_household_id": to.id},
                   page="pages/moves/index")


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


def move_settled(earlier: Resident, member: Resident, moved: bool, heads: list[Resident | None]) -> None:
    """The person, both households' `heads` and both grid heads hear that a move happened or was refused."""
    source, to = earlier.household, member.household
    if moved:
        kind, title, body = "member_moved", "人员迁移", f"{earlier.name} 已从 {source.code} 迁至 {to.code}。"
    else:
        kind, title, body = ("member_move_refused", "迁移未获同意",
                             f"{member.name} 从 {source.code} 迁至 {to.code} 的登记未获本人、原户主或原网格长同意。")
    people = _identities(earlier.id, *(head.id for head in heads if head is not None))
    grid_heads = {grid.head.id: grid.head for grid in (source.grid, to.grid) if grid.head is not None}
    for recipient in [*people, *grid_heads.values()]:
        notify(recipient, kind, title, body, {"household_id": source.id, "to_household_id": to.id},
               page="pages/household/index")

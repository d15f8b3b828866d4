"""Handing a contact request that is not police work (a leaking house, social security, water and power) over to
the grid: a service request for the sender's house, routed like any other, linked both ways, the sender told."""
from datetime import datetime

from sqlalchemy import select

from app.auth.access import household_scope
from app.auth.principal import Principal, staff_of
from app.clock import to_utc, utcnow
from app.models import ContactRequest, ContactStatus, Handover, Household
from app.notifications.notify import notify
from app.requests.categories import category_by_code
from app.requests.lifecycle import file_request
from app.web.extensions import db
from app.web.refusals import Conflict, Refusal


def hand_over(row: ContactRequest, officer: Principal, category_code: str, description: str | None,
              now: datetime | None = None) -> Handover:
    """File a service request for the house of the contact request's sender, a house of the officer's jurisdiction,
    and close the contact request as handled, pointing to it; the caller commits."""
    now = to_utc(now or utcnow())
    done = db.session.scalar(select(Handover).where(Handover.contact_request_id == row.id))
    if done is not None:
        raise Conflict(f"This contact request was handed over already, as service request {done.service_request_id}.")
    if row.status is ContactStatus.HANDLED:
        raise Conflict("This contact request is handled already.")
    member = row.wechat.resident
    if member is None or not member.confirmed:
        # No house to route to: a registrant's house has not accepted them, a stranger has none.
        raise Refusal("the sender is no confirmed resident of any house, so there is no house to hand over to; "
                      "call them back instead.", "contact_request")
    house = member.household
    if db.session.scalar(select(Household.id).where(Household.id == house.id, household_scope(officer))) is None:
        raise Refusal("the sender lives outside your jurisdiction, so their house is not yours to hand over to; "
                      "call them back, or point them to their own community's officer.", "contact_request")
    category = category_by_code(house.community_id, category_code)
    if category is None:
        raise Refusal(f"no category '{category_code}' in the sender's community.", "category")
    req = file_request(house, category, description or row.message, row.wechat, officer, now, source="police",
                       note=f"民警{staff_of(officer).name}转办居民的联系请求（#{row.id}）：{row.message}")
    handover = Handover(contact_request=row, service_request_id=req.id, officer=officer.staff, created_at=now)
    db.session.add(handover)
    row.status, row.handled_at = ContactStatus.HANDLED, now
    row.note = f"已转交网格办理（诉求 #{req.id}）"
    db.session.flush()
    notify(row.wechat, "contact_handed_over", "民警已将您的事项转交网格办理",
           f"{category.name}：{row.message}"[:200], {"contact_request_id": row.id, "request_id": req.id},
           page=f"pages/requests/detail?id={req.id}")
    return handover

"""Officer cards, sending a contact request under the rate limits, and the officer's answers."""
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from app.clock import to_utc, utcnow
from app.codes.services import UnknownCode, resolve
from app.models import (
    Community,
    ContactRequest,
    ContactStatus,
    Grid,
    Jurisdiction,
    QrCode,
    Resident,
    Role,
    Staff,
    WeChatIdentity,
)
from app.notifications.notify import notify
from app.web.extensions import db
from app.web.refusals import Conflict, NotFound, TooMany
from app.web.write_locks import serialise


def covering_officer(community_id, grid_id) -> Select:
    """The id of the active police officer covering a grid: one assigned to the grid first, then one covering the
    whole community. `community_id` and `grid_id` are values, or a house's columns for a correlated subquery."""
    staff, jurisdiction = Staff.__table__, Jurisdiction.__table__
    return (select(staff.c.id).join(jurisdiction, jurisdiction.c.staff_id == staff.c.id)
            .where(staff.c.role == Role.POLICE, staff.c.active, jurisdiction.c.community_id == community_id,
                   or_(jurisdiction.c.grid_id == grid_id, jurisdiction.c.grid_id.is_(None)))
            .order_by(jurisdiction.c.grid_id.is_(None), staff.c.id).limit(1))


# (column, how many, per window): nobody floods an officer, from one WeChat account or one phone.
LIMITS = [("wechat_id", 3, timedelta(hours=1)), ("phone", 5, timedelta(days=1))]
# The officer's answers: where each status may go next.
NEXT = {ContactStatus.PENDING: {ContactStatus.CONTACTED, ContactStatus.HANDLED},
        ContactStatus.CONTACTED: {ContactStatus.HANDLED}}
NOTICES = {ContactStatus.CONTACTED: ("contact_contacted", "民警已与您联系"),
           ContactStatus.HANDLED: ("contact_handled", "民警已处理您的联系请求")}


def officer_for(token: str, count_scan: bool = True) -> Staff:
    """The active police officer whose card carries `token`; UnknownCode (404) or RevokedCode (410)."""
    return officer_on(resolve(token, count=count_scan))


def officer_on(code: QrCode) -> Staff:
    """The active police officer whose card a live code is; UnknownCode (404) for any other code."""
    officer = code.staff
    if officer is None or officer.role is not Role.POLICE or not officer.active:
        raise UnknownCode(code.token)
    return officer


def jurisdiction_names(officer: Staff) -> list[str]:
    query = (select(Community.name, Grid.name).select_from(Jurisdiction)
             .join(Community, Community.id == Jurisdiction.community_id)
             .outerjoin(Grid, Grid.id == Jurisdiction.grid_id)
             .where(Jurisdiction.staff_id == officer.id).order_by(Community.id, Grid.number))
    return [f"{community}{grid or ''}" for community, grid in db.session.execute(query)]


def card_facts(officer: Staff) -> dict:
    """What GET /api/cards/<token> (and a scanned card at GET /api/scan) tells anyone about the officer."""
    return {"name": officer.name, "title": officer.title, "station": officer.station, "phone": officer.phone,
            "jurisdictions": jurisdiction_names(officer)}


def check_limits(values: dict, now: datetime) -> None:
    """Count recent requests in the database (so the limits hold across workers); TooMany if over."""
    for field, most, window in LIMITS:
        serialise(f"contact-request:{field}:{values[field]}")
        column = getattr(ContactRequest, field)
        count, oldest = db.session.execute(
            select(func.count(ContactRequest.id), func.min(ContactRequest.created_at))
            .where(column == values[field], ContactRequest.created_at > now - window)).one()
        if count >= most:
            retry_after = max(1, int((to_utc(oldest) + window - now).total_seconds()) + 1)
            raise TooMany(f"Too many contact requests from this {field}; try again in {retry_after} s.", retry_after)


def send(officer: Staff, wechat: WeChatIdentity, phone: str, message: str, urgent: bool,
         now: datetime | None = None) -> ContactRequest:
    """Queue a contact request for the officer and tell them; the caller commits."""
    now = to_utc(now or utcnow())
    check_limits({"wechat_id": wechat.id, "phone": phone}, now)
    row = ContactRequest(officer=officer, wechat=wechat, phone=phone, message=message, urgent=urgent,
                         created_at=now)
    db.session.add(row)
    db.session.flush()
    notify(officer, "contact_request", "紧急：居民请求联系" if urgent else "居民请求联系", message,
           {"contact_request_id": row.id, "urgent": urgent}, page="pages-staff/contacts/index")
    return row


def answer(row: ContactRequest, status: ContactStatus, note: str | None,
           now: datetime | None = None) -> ContactRequest:
    """The officer marks the request contacted or handled; the resident hears of it. The caller commits."""
    now = to_utc(now or utcnow())
    if status not in NEXT.get(row.status, set()):
        raise Conflict(f"Cannot mark a contact request {status.value} when it is {row.status.value}.")
    row.status, row.note = status, note or row.note
    setattr(row, f"{status.value}_at", now)
    kind, title = NOTICES[status]
    notify(row.wechat, kind, title, note or title, {"contact_request_id": row.id, "status": status.value},
           page="pages/police/mine")
    return row


# The officer's queue: urgent first, then the longest waiting.
QUEUE_ORDER = (ContactRequest.urgent.desc(), ContactRequest.created_at, ContactRequest.id)


def queue_of(officer: Staff, status: str) -> Select:
    """The officer's own contact requests in `status` ("open": pending or contacted; "all"), each with its
    sender's household; unordered (QUEUE_ORDER orders them)."""
    query = select(ContactRequest).where(ContactRequest.officer_id == officer.id).options(
        selectinload(ContactRequest.handover),  # type: ignore[attr-defined]  # a backref (models/handovers.py)
        selectinload(ContactRequest.wechat).selectinload(WeChatIdentity.resident).selectinload(Resident.household))
    if status == "open":
        query = query.where(ContactRequest.status.in_([ContactStatus.PENDING, ContactStatus.CONTACTED]))
    elif status != "all":
        query = query.where(ContactRequest.status == ContactStatus(status))
    return query


def own_contact(officer: Staff, contact_id: int) -> ContactRequest:
    """One of the officer's own contact requests, locked for an answer; NotFound for anyone else's."""
    row = db.session.scalar(select(ContactRequest).where(
        ContactRequest.id == contact_id, ContactRequest.officer_id == officer.id).with_for_update())
    if row is None:
        raise NotFound(f"Contact request {contact_id} not found.")
    return row

"""The service request state machine (as data), filing a request, and every step on its timeline."""
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace

from sqlalchemy import insert, select

from app.auth.principal import Principal
from app.clock import to_utc, utcnow
from app.models import (
    Household,
    Level,
    Mediation,
    RequestEvent,
    Role,
    ServiceRequest,
    Staff,
    WeChatIdentity,
)
from app.models import RequestStatus as S
from app.models.requests import request_event_table, service_request_table
from app.notifications.notify import notify, notify_now
from app.privacy import audit
from app.requests.photos import add_photos
from app.requests.routing import HouseToRoute, household_to_route, route
from app.residents.announcements import household_voice
from app.web.extensions import db
from app.web.refusals import Conflict, Forbidden, Refusal

HANDLER, ADMIN, RESIDENT, SYSTEM = "handler", "admin", "resident", "system"
RATE_OR_REOPEN_DAYS = 7


@dataclass(frozen=True)
class Transition:
    sources: frozenset        # statuses the action may start from (None: a request not yet filed)
    target: S | None          # the status afterwards; None keeps it
    actors: tuple             # who may take it: HANDLER, ADMIN (of the community), RESIDENT, SYSTEM
    needs: tuple = ()         # fields the action requires
    # Who hears of it: (recipient, notification kind, title); recipient is "handler" or "resident".
    notices: tuple = ()


TRANSITIONS = {
    "file": Transition(frozenset({None}), S.OPEN, (RESIDENT, SYSTEM),
                       notices=(("handler", "request_assigned", "新的诉求待受理"),)),
    "accept": Transition(frozenset({S.OPEN}), S.ACCEPTED, (HANDLER,),
                         notices=(("resident", "request_accepted", "您的诉求已受理"),)),
    "transfer": Transition(frozenset({S.OPEN, S.ACCEPTED}), S.OPEN, (HANDLER, ADMIN), ("to_staff_id", "note"),
                           (("handler", "request_assigned", "转办的诉求待受理"),
                            ("resident", "request_transferred", "您的诉求已转交他人办理"))),
    "note": Transition(frozenset({S.ACCEPTED}), None, (HANDLER,), ("note",),
                       (("resident", "request_progress", "您的诉求有新进展"),)),
    "resolve": Transition(frozenset({S.ACCEPTED}), S.RESOLVED, (HANDLER,), ("note",),
                          (("resident", "request_resolved", "您的诉求已办结"),)),
    "rate": Transition(frozenset({S.RESOLVED}), S.CLOSED, (RESIDENT,), ("rating",),
                       (("handler", "request_rated", "居民评价了您办结的诉求"),)),
    "reopen": Transition(frozenset({S.RESOLVED}), S.OPEN, (RESIDENT,),
                         notices=(("handler", "request_reopened", "居民重新打开了诉求"),)),
    # A dispute's mediation (kind and outcome) may be recorded or corrected at any stage.
    "mediate": Transition(frozenset(S), None, (HANDLER, ADMIN), ("kind",),
                          (("resident", "request_mediation", "您的纠纷调解情况已登记"),)),
    "escalate": Transition(frozenset({S.OPEN, S.ACCEPTED}), None, (SYSTEM,),
                           notices=(("handler", "request_escalated", "超时诉求升级至您处理"),)),
}
# The household's notices about its request, most awaited first (WeChat asks for at most 3 templates at a tap).
RESIDENT_NOTICES = ("request_resolved", "request_accepted", "request_progress", "request_transferred",
                    "request_mediation")
# What residents and staff may post on a request's timeline (filing and escalation happen elsewhere).
USER_ACTIONS = ("accept", "transfer", "note", "resolve", "rate", "reopen")


def actor_kinds(req: ServiceRequest, p: Principal | None) -> set:
    if p is None:
        return {SYSTEM}
    if p.role is Role.RESIDENT:
        assert p.resident is not None, "a RESIDENT's role comes from their confirmed member record"
        return {RESIDENT} if p.resident.household_id == req.household_id else set()
    assert p.staff is not None, "login_required() admits staff and residents only"
    kinds = {HANDLER} if p.staff.id == req.handler_id else set()
    if p.role is Role.ADMIN and p.staff.community_id == req.community_id:
        kinds.add(ADMIN)
    return kinds


def check(req: ServiceRequest, action: str, p: Principal | None) -> Transition:
    """The transition if `p` may take `action` on `req` now; a Refusal otherwise."""
    t = TRANSITIONS[action]
    if not actor_kinds(req, p) & set(t.actors):
        raise Forbidden(f"Only the request's {' or '.join(t.actors)} may {action} it.")
    if req.status not in t.sources:
        allowed = " or ".join(sorted(s.value for s in t.sources))
        raise Conflict(f"Cannot {action} a request that is {req.status.value}; "
                           f"{action} is allowed only when it is {allowed}.")
    return t


def next_escalation(level: int, category, now: datetime) -> datetime | None:
    """When the time of a request's holder at `level` runs out: a category period from now, unless nobody is
    above them."""
    if level >= Level.ADMIN:
        return None
    return now + timedelta(hours=category.deadline_hours)


def _event_values(req, action: str, p: Principal | None, now: datetime, before: S | None,
                  note: str | None) -> dict:
    """The columns of a timeline event but its request and handler."""
    return {"at": now, "action": action, "note": note, "from_status": before.value if before else None,
            "to_status": req.status.value, "actor_staff_id": p.staff.id if p and p.staff else None,
            "actor_wechat_id": p.wechat.id if p and p.wechat and not p.staff else None,
            "role": p.role.value if p and p.role else None}


def _notices(req, action: str, note: str | None):
    """(recipient, kind, title, body, data, page) of who hears of the action; recipient "handler" or "resident"."""
    for who, kind, title in TRANSITIONS[action].notices:
        body = f"{req.category.name}：{note or req.description}"[:200]
        yield who, kind, title, body, {"request_id": req.id, "status": req.status.value}, \
            f"pages/requests/detail?id={req.id}"


def record(req: ServiceRequest, action: str, p: Principal | None, now: datetime, before: S | None,
           note: str | None = None) -> RequestEvent:
    """Add the timeline event and queue its notifications, in the caller's transaction."""
    event = RequestEvent(request=req, handler=req.handler, **_event_values(req, action, p, now, before, note))
    db.session.add(event)
    db.session.flush()
    for who, kind, title, body, data, page in _notices(req, action, note):
        # Whoever holds the role now: a member removed from the household since hears no more of it.
        holders = household_voice(req.household_id, req.filed_by) if who == "resident" else [req.handler]
        for recipient in filter(None, holders):
            notify(recipient, kind, title, body, data, page=page)
    return event


# Filing writes its three rows with prebuilt Core INSERTs, for speed: the ORM's unit of work cost two thirds of
# a filing's Python. The answer is made of the values written.
_requests, _events = service_request_table, request_event_table
_INSERT_REQUEST = insert(_requests).returning(_requests.c.id)
_INSERT_EVENT = insert(_events).returning(_events.c.id)


def file_request(household: Household | HouseToRoute, category, description: str, filed_by: WeChatIdentity | None,
                 p: Principal | None, now: datetime | None = None, source: str = "wechat",
                 caller: dict | None = None, note: str | None = None) -> SimpleNamespace:
    """Save a new request routed to whoever is responsible for the house, and tell them; the caller commits.

    `household`: the house, or household_to_route()'s row of it (saving the lookup); `caller`: an Open311 caller's
    caller_first_name, caller_last_name, caller_phone and caller_email; `note`: the filing's note on the timeline
    (where it came from). Returns the request as written, with what RequestDetailSchema reads (not an ORM object:
    db.session.get() it to act on it)."""
    if isinstance(household, Household):
        household = household_to_route(household.id)
    now = to_utc(now or utcnow())
    level, handler = route(household, category)
    escalation_level = Level.ADMIN if level is None else level
    columns = {
        "community_id": household.community_id, "grid_id": household.grid_id, "household_id": household.id,
        "category_id": category.id, "description": description, "source": source,
        "filed_by_wechat_id": filed_by.id if filed_by else None, "caller_first_name": None,
        "caller_last_name": None, "caller_phone": None, "caller_email": None, **(caller or {}),
        "status": S.OPEN, "handler_id": handler.id if handler else None, "escalation_level": escalation_level,
        "filed_at": now, "due_at": now + timedelta(hours=category.deadline_hours),
        "escalate_at": next_escalation(escalation_level, category, now),
        "accepted_at": None, "resolved_at": None, "resolution_note": None, "rating": None, "rating_comment": None}
    req = SimpleNamespace(id=db.session.execute(_INSERT_REQUEST, columns).scalar_one(), **columns,
                          category=category, household=household, handler=handler, filed_by=filed_by,
                          photos=[], mediation=None, handover=None)
    event = _event_values(req, "file", p, now, None, note)
    event_id = db.session.execute(_INSERT_EVENT, {**event, "request_id": req.id, "handler_id": req.handler_id}
                                  ).scalar_one()
    req.events = [SimpleNamespace(id=event_id, **event, handler=handler, actor_staff=p.staff if p else None)]
    recipients = {"handler": {"staff_id": req.handler_id}, "resident": {"wechat_id": req.filed_by_wechat_id}}
    for who, kind, title, body, data, page in _notices(req, "file", note):
        if any(recipients[who].values()):
            notify_now(kind, title, body, data, page, **recipients[who])
    return req


def _may_hold(req: ServiceRequest) -> tuple:
    """Whom a request may be transferred to: its community's active staff, police officers (who never handle
    requests) and its current handler excepted."""
    return (Staff.community_id == req.community_id, Staff.active.is_(True), Staff.role != Role.POLICE,
            Staff.id != req.handler_id)   # IS NOT NULL when nobody holds it


def transfer_targets(req: ServiceRequest, p: Principal) -> list[Staff]:
    """The staff `p` may transfer `req` to now, by role and name; a Refusal if `p` may not transfer it."""
    check(req, "transfer", p)
    return list(db.session.scalars(select(Staff).where(*_may_hold(req)).order_by(Staff.role, Staff.name, Staff.id)))


def _transfer(req, data, now):
    target = db.session.scalar(select(Staff).where(Staff.id == data["to_staff_id"], *_may_hold(req)))
    if target is not None:
        req.handler = target
        return
    named = db.session.get(Staff, data["to_staff_id"])
    if named is None or named.community_id != req.community_id or not named.active:
        raise Refusal(f"no active staff member {data['to_staff_id']} in this community.", "to_staff_id")
    if named.role is Role.POLICE:
        raise Refusal("police officers do not handle service requests.", "to_staff_id",
                      zh="社区民警不办理诉求，请转给其他工作人员。")
    raise Refusal("that is the current handler already.", "to_staff_id", zh="该工作人员已是当前经办人。")


def _resolve(req, data, now):
    req.resolved_at, req.resolution_note, req.escalate_at = now, data["note"], None


def _within_window(req, now):
    if now > to_utc(req.resolved_at) + timedelta(days=RATE_OR_REOPEN_DAYS):
        raise Conflict(f"The {RATE_OR_REOPEN_DAYS} days to rate or reopen a resolved request are over.")


def _rate(req, data, now):
    _within_window(req, now)
    req.rating, req.rating_comment = data["rating"], data.get("note")


def _reopen(req, data, now):
    _within_window(req, now)
    req.resolved_at = req.resolution_note = None
    req.escalate_at = next_escalation(req.escalation_level, req.category, now)


def _accept(req, data, now):
    req.accepted_at = req.accepted_at or now   # the first acceptance is what the figures time


def _mediate(req, data, now):
    if not req.category.is_dispute:
        raise Conflict(f"Only a dispute records mediation; this is a '{req.category.name}' request.",
                       zh=f"只有纠纷类诉求登记调解，这是一件“{req.category.name}”诉求。")
    if req.mediation is None:
        req.mediation = Mediation()
    for key in ("kind", "outcome", "mediator", "note"):
        setattr(req.mediation, key, data.get(key))
    req.mediation.updated_at = now


EFFECTS = {"accept": _accept, "transfer": _transfer, "resolve": _resolve, "rate": _rate, "reopen": _reopen,
           "mediate": _mediate}


def perform(req: ServiceRequest, action: str, p: Principal, data: dict, now: datetime | None = None) -> RequestEvent:
    """Take a user's action on the request (checked against TRANSITIONS); the caller commits."""
    now = to_utc(now or utcnow())
    t = check(req, action, p)
    before = req.status
    if action in EFFECTS:
        EFFECTS[action](req, data, now)
    if t.target is not None:
        req.status = t.target
    return record(req, action, p, now, before, data.get("note"))


def attach_photos(req: ServiceRequest, p: Principal, uploads: list) -> None:
    """Photos from the household or the handler, while the request is open or accepted; commits."""
    if not actor_kinds(req, p) & {RESIDENT, HANDLER}:
        raise Forbidden("Only the household or the handler may add photos.")
    if req.status not in (S.OPEN, S.ACCEPTED):
        raise Conflict(f"Cannot add photos to a request that is {req.status.value}.")
    add_photos(req, uploads)


def reveal_caller(req: ServiceRequest, p: Principal, reason: str) -> ServiceRequest:
    """An Open311 caller's whole contacts, for the handler or the admin to call back; audited with the reason."""
    if not actor_kinds(req, p) & {HANDLER, ADMIN}:
        raise Forbidden("Only the request's handler or the community's admin may see the caller's contacts.")
    audit.record(p, "reveal", "service_request", req.id, reason=reason)
    return req

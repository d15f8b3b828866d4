"""Recording who touched people's data, and the community admin's log of it; rows are only ever added, in the
caller's transaction."""
from datetime import date, timedelta

from sqlalchemy import Select, insert, select

from app.auth.principal import Principal
from app.clock import day_start
from app.models import AuditEvent, Staff
from app.models.audit import audit_event_table
from app.web.extensions import db
from app.web.refusals import NotFound

SYSTEM = Principal(role=None)   # a `flask` command an operator ran on a server: no account behind it


def _entry(principal: Principal, action: str, object_type: str, object_id, reason, community_id: int | None) -> dict:
    return {"community_id": community_id if community_id is not None else principal.community_id,
            "actor_staff_id": principal.staff.id if principal.staff else None,
            "actor_wechat_id": principal.wechat.id if principal.wechat else None,
            "role": principal.role.value if principal.role else None,
            "action": action, "object_type": object_type,
            "object_id": None if object_id is None else str(object_id), "reason": reason}


def record(principal: Principal, action: str, object_type: str, object_id=None, reason=None,
           community_id: int | None = None) -> AuditEvent:
    """An entry in `community_id`'s log (by default the principal's community: the staff member's, or the
    household's of a WeChat user's own record)."""
    event = AuditEvent(**_entry(principal, action, object_type, object_id, reason, community_id))
    db.session.add(event)
    return event


def record_each(principal: Principal, action: str, object_type: str, object_ids: list,
                community_id: int | None = None) -> None:
    """An entry per object, as record() makes them, written at once (one statement, no ORM objects: for speed)."""
    db.session.execute(insert(audit_event_table),
                       [_entry(principal, action, object_type, object_id, None, community_id)
                        for object_id in object_ids])


def audit_log(community_id: int, actor_id: int | None = None, action: str | None = None,
              start: date | None = None, end: date | None = None) -> Select:
    """The community's entries with their acting staff member (None for a WeChat user), newest first; by one staff
    member, one action, from and to China dates (inclusive). Read along ix_audit_event_community_(action_)at."""
    query = (select(AuditEvent, Staff).outerjoin(Staff, Staff.id == AuditEvent.actor_staff_id)
             .where(AuditEvent.community_id == community_id))
    if actor_id is not None:
        query = query.where(AuditEvent.actor_staff_id == actor_id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    if start is not None:
        query = query.where(AuditEvent.at >= day_start(start))
    if end is not None:
        query = query.where(AuditEvent.at < day_start(end + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def own_entry(community_id: int, event_id: int) -> tuple[AuditEvent, Staff | None]:
    """One entry of the community's log with its acting staff member; NotFound for any other community's."""
    found = db.session.execute(audit_log(community_id).where(AuditEvent.id == event_id)).first()
    if found is None:
        raise NotFound(f"Audit entry {event_id} not found.", zh="未找到该审计记录。")
    return found._tuple()

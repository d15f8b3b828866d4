"""Escalating overdue requests one level up (`flask escalate`): each step exactly once, however many run it."""
import time
from datetime import datetime

import click
from sqlalchemy import select, update

from app.clock import to_utc, utcnow
from app.models import Level, RequestStatus, ServiceRequest, Staff
from app.requests.lifecycle import next_escalation, record
from app.requests.routing import household_to_route, route
from app.web.extensions import db
from app.wishes.lifecycle import lapse_overdue
from app.wishes.media_checks import sweep_unchecked

UNRESOLVED = (RequestStatus.OPEN, RequestStatus.ACCEPTED)
LEVEL_NAMES = {Level.FIRST_RESPONDER: "首接人", Level.GRID_HEAD: "网格长", Level.ADMIN: "社区管理员"}


def overdue(now: datetime, limit: int = 500) -> list[tuple[int, int]]:
    """(id, escalation level) of unresolved requests whose holder's time ran out, oldest first."""
    query = select(ServiceRequest.id, ServiceRequest.escalation_level).where(
        ServiceRequest.status.in_(UNRESOLVED), ServiceRequest.escalate_at <= now,
    ).order_by(ServiceRequest.escalate_at).limit(limit)
    return [tuple(row) for row in db.session.execute(query)]


def escalate_one(request_id: int, level: int, now: datetime) -> bool:
    """Move one request up from `level`, in its own transaction; False if another runner got there first.

    The claim is a conditional UPDATE on the level that was read: of several runners, only the one whose
    UPDATE still finds that level changes the row (PostgreSQL re-checks the WHERE after the row lock;
    SQLite takes one writer at a time), and the others see rowcount 0 and leave it alone."""
    claim = db.session.execute(
        update(ServiceRequest).where(
            ServiceRequest.id == request_id, ServiceRequest.escalation_level == level,
            ServiceRequest.status.in_(UNRESOLVED), ServiceRequest.escalate_at <= now,
        ).values(escalation_level=level + 1).execution_options(synchronize_session=False))
    if claim.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        db.session.rollback()
        return False
    req = db.session.get_one(ServiceRequest, request_id, populate_existing=True)   # claimed: it exists
    new_level, staff = route(household_to_route(req.household_id), req.category, above=Level(level))
    if staff is None:   # nobody above: stay put and stop asking
        req.escalation_level, req.escalate_at = level, None
        db.session.commit()
        return False
    req.escalation_level, req.handler = new_level, db.session.get_one(Staff, staff.id)
    req.escalate_at = next_escalation(req.escalation_level, req.category, now)
    record(req, "escalate", None, now, req.status,
           note=f"超过处理时限，由{LEVEL_NAMES[Level(level)]}升级至{LEVEL_NAMES[new_level]}")
    db.session.commit()
    return True


def escalate_overdue(now: datetime | None = None, limit: int = 500) -> int:
    """Escalate up to `limit` overdue requests as of `now`; returns how many this runner moved."""
    now = to_utc(now or utcnow())
    return sum(escalate_one(request_id, level, now) for request_id, level in overdue(now, limit))


@click.command("escalate")
@click.option("--every", type=int, default=0, help="Keep running, once every N seconds (0: run once)")
def escalate_command(every):
    """Escalate overdue service requests to the next level, put micro-wishes whose claim ran out back on the
    wall, and send photos WeChat gave no verdict on in time to the grid head; safe to run on several machines at
    once."""
    while True:
        click.echo(f"escalated {escalate_overdue()} request(s)")
        click.echo(f"lapsed {lapse_overdue()} wish claim(s)")
        click.echo(f"sent {sweep_unchecked()} photo(s) WeChat gave no verdict on to the grid head")
        db.session.remove()   # no transaction left open while sleeping
        if not every:
            return
        time.sleep(every)

"""Creating an activity with its QR code, reprinting the code, and checking in once inside the time window."""
from datetime import datetime

from sqlalchemy import select

from app.auth.access import grid_scope
from app.auth.principal import Principal, staff_of, wechat_of
from app.clock import CHINA, to_utc, utcnow
from app.codes.services import code_for, reprint, resolve
from app.models import Activity, CheckIn, Grid, QrCode, Role
from app.points.services import award_by_rule, insert_once, rules
from app.web.extensions import db
from app.web.refusals import Conflict, Forbidden, NotFound, Refusal


def create(p: Principal, data: dict) -> Activity:
    """An activity of the admin's community, or of a grid the grid head holds (required of a grid head)."""
    if to_utc(data["ends_at"]) <= to_utc(data["starts_at"]):
        raise Refusal("must be after starts_at.", "ends_at")
    grid_id = data.get("grid_id")
    if p.role is Role.GRID_HEAD and grid_id is None:
        raise Refusal("a grid head's activity is for one of their grids.", "grid_id")
    if grid_id is not None and db.session.scalar(select(Grid.id).where(Grid.id == grid_id, grid_scope(p))) is None:
        raise NotFound(f"no grid {grid_id} in your place.", "grid_id")
    points, community_id = data.get("points"), staff_of(p).community_id
    rule = next(r for r in rules(community_id) if r.code == "activity_checkin")
    if points is None:
        points = rule.points if rule.active else 0
    elif points > 0 and not rule.active:
        raise Refusal("the community's check-in rule is retired: activities give no points until it is active "
                      "again.", "points")
    activity = Activity(community_id=community_id, grid_id=grid_id, title=data["title"], place=data["place"],
                        starts_at=to_utc(data["starts_at"]), ends_at=to_utc(data["ends_at"]), points=points,
                        created_by=p.staff)
    db.session.add(activity)
    db.session.flush()
    code_for(activity)
    return activity


def when(activity: Activity) -> str:
    """The activity's time as the poster prints it, in China time: "2026年12月06日 09:00–11:30"."""
    start, end = to_utc(activity.starts_at).astimezone(CHINA), to_utc(activity.ends_at).astimezone(CHINA)
    if start.date() == end.date():
        return f"{start:%Y年%m月%d日 %H:%M}–{end:%H:%M}"
    return f"{start:%Y年%m月%d日 %H:%M} – {end:%m月%d日 %H:%M}"


def activity_scope(p: Principal):
    """Condition on Activity: the community's for the admin and for people; a grid head's grids' and the
    community-wide ones for other staff."""
    if p.role is Role.ADMIN or p.staff is None:
        return Activity.community_id == p.community_id
    return (Activity.community_id == p.community_id) & (
        Activity.grid_id.is_(None) | Activity.grid_id.in_(select(Grid.id).where(grid_scope(p))))


def activity_or_404(activity_id: int, p: Principal) -> Activity:
    found = db.session.scalar(select(Activity).where(Activity.id == activity_id, activity_scope(p)))
    if found is None:
        raise NotFound(f"Activity {activity_id} not found.")
    return found


def reissue(activity: Activity, p: Principal) -> QrCode:
    """A new code: the poster printed before checks nobody in any more (its link answers 410)."""
    if p.role is not Role.ADMIN and activity.created_by_id != staff_of(p).id:
        raise Forbidden("Only the activity's creator or the admin reprints its code.")
    return reprint(activity, by=p)


def check_in(token: str, p: Principal, now: datetime | None = None) -> CheckIn:
    """The scanning WeChat user checks in, once, between the activity's start and end; they earn its points (a
    resident, or a staff member through their bound WeChat) unless they organised it or the check-in rule is
    retired. The caller commits."""
    now = to_utc(now or utcnow())
    activity = resolve(token).activity   # 404 unknown, 410 reprinted
    if activity is None or activity.community_id != p.community_id:
        raise NotFound("No such activity code in your community.")
    if not to_utc(activity.starts_at) <= now <= to_utc(activity.ends_at):
        raise Conflict(f"Check-in is open from {to_utc(activity.starts_at):%Y-%m-%d %H:%M} to "
                       f"{to_utc(activity.ends_at):%Y-%m-%d %H:%M} UTC.")
    # The unique (activity, person) key, not a look-up first: of two check-ins at once, one is kept.
    row_id = insert_once(CheckIn, activity_id=activity.id, wechat_id=wechat_of(p).id, created_at=now)
    if row_id is None:
        raise Conflict("You have checked in at this activity already.")
    # Nothing for the activity's organiser (their WeChat, bound to the staff account that made it). The ledger's
    # own once-per-source key backs the check-in's.
    if wechat_of(p).staff_id != activity.created_by_id:
        award_by_rule(p.staff or p.resident, "activity_checkin", f"activity:{activity.id}", now, by=p,
                      points=activity.points, reason=activity.title)
    return db.session.get_one(CheckIn, row_id)

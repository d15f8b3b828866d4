"""A community's rewards catalogue, redeeming points for a reward, and staff handing it over."""
from datetime import datetime

from sqlalchemy import select, update

from app.auth.principal import Principal, staff_of
from app.clock import to_utc, utcnow
from app.models import Grid, PointAccount, Redemption, Reward, Role
from app.points.services import grid_of, post
from app.web.extensions import db
from app.web.refusals import Conflict, NotFound


def reward_in_community(reward_id: int, community_id: int, lock: bool = False) -> Reward:
    query = select(Reward).where(Reward.id == reward_id, Reward.community_id == community_id)
    found = db.session.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise NotFound(f"Reward {reward_id} not found.")
    return found


def redeem(reward_id: int, account: PointAccount, now: datetime | None = None) -> Redemption:
    """Take one of the reward off the stock and its cost off the account, in the caller's transaction (which
    rolls back on a Conflict: no stock or not enough points). Both are conditional UPDATEs: whatever number of
    redemptions run at once, neither the stock nor the balance goes below zero."""
    now = to_utc(now or utcnow())
    reward = reward_in_community(reward_id, account.community_id)
    taken = db.session.execute(
        update(Reward).where(Reward.id == reward.id, Reward.active.is_(True), Reward.stock > 0)
        .values(stock=Reward.stock - 1).execution_options(synchronize_session=False))
    db.session.expire(reward, ["stock"])
    if taken.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        raise Conflict(f"'{reward.name}' is out of stock." if reward.active else f"'{reward.name}' is withdrawn.")
    redemption = Redemption(reward=reward, account=account, community_id=account.community_id,
                            grid_id=grid_of(account), cost=reward.cost, created_at=now)
    db.session.add(redemption)
    db.session.flush()
    post(account, -reward.cost, "redemption", source=f"redemption:{redemption.id}", reason=reward.name, now=now)
    return redemption


def redemptions_scope(p: Principal):
    """Condition on Redemption: the admin's community; a grid head's grids."""
    staff = staff_of(p)
    if p.role is Role.ADMIN:
        return Redemption.community_id == staff.community_id
    return Redemption.grid_id.in_(select(Grid.id).where(Grid.head_id == staff.id))


def hand_over(p: Principal, redemption_id: int, now: datetime | None = None) -> Redemption:
    """Staff mark a redemption handed over, once."""
    found = db.session.scalar(select(Redemption).where(Redemption.id == redemption_id, redemptions_scope(p))
                              .with_for_update())
    if found is None:
        raise NotFound(f"Redemption {redemption_id} not found.")
    if found.handed_over_at is not None:
        raise Conflict("This reward was handed over already.")
    found.handed_over_at, found.handed_over_by = to_utc(now or utcnow()), p.staff
    return found

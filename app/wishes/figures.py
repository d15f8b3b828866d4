"""Figures of community life over a period: wishes collected, claimed, fulfilled and the median days to fulfil
one; points awarded, deducted and redeemed."""
from datetime import datetime
from statistics import median

from sqlalchemy import func, select

from app.clock import as_utc
from app.models import PointEntry, Redemption, Wish, WishEvent


def _within(column, start: datetime | None, end: datetime | None):
    conditions = []
    if start is not None:
        conditions.append(column >= start)
    if end is not None:
        conditions.append(column < end)
    return conditions


def community_life(session, community_id: int, start: datetime | None = None, end: datetime | None = None) -> dict:
    posted = _within(Wish.created_at, start, end)
    collected = session.scalar(select(func.count(Wish.id)).where(Wish.community_id == community_id, *posted))
    claimed = session.scalar(select(func.count(func.distinct(WishEvent.wish_id))).join(Wish).where(
        Wish.community_id == community_id, WishEvent.action == "claim", *posted))
    times = session.execute(select(Wish.created_at, Wish.fulfilled_at).where(
        Wish.community_id == community_id, Wish.fulfilled_at.is_not(None), *posted)).all()
    days = [(as_utc(done) - as_utc(made)).total_seconds() / 86400 for made, done in times]
    entries = _within(PointEntry.created_at, start, end)

    def points(*kinds, sign=1):
        return session.scalar(select(func.coalesce(func.sum(PointEntry.points), 0)).where(
            PointEntry.community_id == community_id, PointEntry.kind.in_(kinds),
            PointEntry.points * sign > 0, *entries)) * sign

    return {
        "wishes": {"collected": collected, "claimed": claimed, "fulfilled": len(times),
                   "median_days_to_fulfil": round(median(days), 1) if days else None},
        "points": {"awarded": points("rule", "manual"), "deducted": points("manual", "reversal", sign=-1),
                   "redeemed": points("redemption", sign=-1),
                   "redemptions": session.scalar(select(func.count(Redemption.id)).where(
                       Redemption.community_id == community_id, *_within(Redemption.created_at, start, end)))},
    }

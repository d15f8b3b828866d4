"""Figures as people read them: counts, mean hours, rates and coverage, for a grid or a community."""
from datetime import date

from sqlalchemy import select

from app.figures.queries import Tally, tallies
from app.models import Category, Community, Grid, RequestStatus
from app.web.extensions import db


def _ratio(part, whole, digits=3):
    return round(part / whole, digits) if whole else None


def summary(t: Tally, names: dict[str, str]) -> dict:
    """The report of one tally; `names` gives the category names by code."""
    return {
        "requests": t.filed,
        "by_status": {s.value: t.by_status.get(s.value, 0) for s in RequestStatus},
        "by_category": [{"code": code, "name": names.get(code, code), "count": count}
                        for code, count in sorted(t.by_category.items(), key=lambda item: (-item[1], item[0]))],
        "avg_hours_to_accept": _ratio(t.accept_hours, t.accepted, 1),
        "avg_hours_to_resolve": _ratio(t.resolve_hours, t.resolved, 1),
        "resolved": t.resolved,
        "on_time": t.on_time,
        "on_time_rate": _ratio(t.on_time, t.resolved),
        "satisfaction": {"mean": _ratio(t.rating_sum, t.rated, 2), "count": t.rated},
        "disputes": {"count": t.disputes, "resolved": t.disputes_resolved,
                     "rate": _ratio(t.disputes_resolved, t.disputes)},
        "registration": {"households": t.households, "registered": t.registered,
                         "coverage": _ratio(t.registered, t.households)},
    }


def _names(community_id: int) -> dict[str, str]:
    query = select(Category.code, Category.name).where(Category.community_id == community_id)
    return {code: name for code, name in db.session.execute(query)}


def _period(start, end) -> dict:
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


def grid_figures(grid: Grid, start: date | None = None, end: date | None = None) -> dict:
    tally = tallies([grid.id], start, end)[grid.id]
    return {"grid": {"id": grid.id, "number": grid.number, "name": grid.name}, **_period(start, end),
            **summary(tally, _names(grid.community_id))}


def grids_figures(grids: list[Grid], community_id: int, start: date | None = None, end: date | None = None) -> dict:
    """The figures of `grids` (of one community) added up, with each grid's beside them."""
    per_grid = tallies([g.id for g in grids], start, end)
    names = _names(community_id)
    total = sum(per_grid.values(), Tally())
    return {**_period(start, end), **summary(total, names),
            "grids": [{"id": g.id, "number": g.number, "name": g.name, **summary(per_grid[g.id], names)}
                      for g in grids]}


def community_figures(community: Community, start: date | None = None, end: date | None = None) -> dict:
    """The community's figures, with each grid's beside them (the grids add up to the community)."""
    return {"community": {"id": community.id, "code": community.code, "name": community.name},
            **grids_figures(community.grids, community.id, start, end)}

"""Figures as people read them: counts, mean hours, rates and coverage, for a grid or a community."""
from collections.abc import Sequence
from datetime import date

from sqlalchemy import Row, bindparam, select

from app.figures.queries import Tally, tallies
from app.models import Community, Grid, RequestStatus
from app.web.extensions import db


def _ratio(part, whole, digits=3):
    return round(part / whole, digits) if whole else None


STATUSES = [s.value for s in RequestStatus]


def summary(t: Tally) -> dict:
    """The report of one tally."""
    return {
        "requests": t.filed,
        "by_status": {status: t.by_status.get(status, 0) for status in STATUSES},
        "by_category": [{"code": code, "name": name, "count": -count}     # the most requests first, then by code
                        for count, code, name in sorted([(-count, code, name)
                                                         for (code, name), count in t.by_category.items()])],
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


def _period(start, end) -> dict:
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


def grid_figures(grid: Grid | Row, start: date | None = None, end: date | None = None) -> dict:
    """The figures of a grid (a Grid, or a row with its id, number and name)."""
    tally = tallies([grid.id], start, end)[grid.id]
    return {"grid": {"id": grid.id, "number": grid.number, "name": grid.name}, **_period(start, end),
            **summary(tally)}


def grids_figures(grids: Sequence[Grid] | Sequence[Row], start: date | None = None, end: date | None = None) -> dict:
    """The figures of `grids` (Grids, or rows with their id, number and name) added up, with each grid's beside them."""
    per_grid = tallies([g.id for g in grids], start, end)
    total = sum(per_grid.values(), Tally())
    return {**_period(start, end), **summary(total),
            "grids": [{"id": g.id, "number": g.number, "name": g.name, **summary(per_grid[g.id])} for g in grids]}


# The community and its grids by number, in one narrow Core statement built once (a community without grids: one
# row, with no grid).
_COMMUNITY, _GRID = Community.__table__, Grid.__table__
_COMMUNITY_GRIDS = (select(_COMMUNITY.c.code.label("community_code"), _COMMUNITY.c.name.label("community_name"),
                           _GRID.c.id, _GRID.c.number, _GRID.c.name)
                    .select_from(_COMMUNITY.outerjoin(_GRID, _GRID.c.community_id == _COMMUNITY.c.id))
                    .where(_COMMUNITY.c.id == bindparam("community_id")).order_by(_GRID.c.number))


def community_figures(community_id: int, start: date | None = None, end: date | None = None) -> dict:
    """The community's figures, with each grid's beside them (the grids add up to the community)."""
    rows = db.session.execute(_COMMUNITY_GRIDS, {"community_id": community_id}).all()
    return {"community": {"id": community_id, "code": rows[0].community_code, "name": rows[0].community_name},
            **grids_figures([row for row in rows if row.id is not None], start, end)}

"""The figures' SQL: every number is a GROUP BY grid aggregate, so the cost stays in the database."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import add, attrgetter

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Float,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    func,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from app.clock import day_start
from app.models import Category, Household, Mediation, Resident, ServiceRequest
from app.models.requests import MediationOutcome
from app.web.extensions import db


@dataclass
class Tally:
    """Sums and counts of one grid (or, added up, of a community); the report derives means and rates."""

    filed: int = 0
    accepted: int = 0
    accept_hours: float = 0.0
    resolved: int = 0
    resolve_hours: float = 0.0
    on_time: int = 0
    rated: int = 0
    rating_sum: int = 0
    disputes: int = 0
    disputes_resolved: int = 0
    households: int = 0
    registered: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)    # by (code, name)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(*map(add, _fields(self), _fields(other)))


# Every field of a Tally, in order (a community adds up a Tally per grid).
_fields = attrgetter(*Tally.__dataclass_fields__)


class _hours(FunctionElement):
    """Hours between two timestamp columns (start, end), in the database's own arithmetic."""

    type = Float()
    name = "hours"
    inherit_cache = True


@compiles(_hours)
def _hours_in_sqlite(element, compiler, **kw):
    start, end = element.clauses
    return compiler.process((func.julianday(end) - func.julianday(start)) * 24.0, **kw)


@compiles(_hours, "postgresql")
def _hours_in_postgresql(element, compiler, **kw):
    start, end = element.clauses
    return compiler.process(cast(func.extract("epoch", end - start), Float) / 3600.0, **kw)


# The tables themselves: the figures' statements are Core, built once (below) and run with bound values, since
# building them, their cache keys and the ORM's rows cost more than the database's work on a grid's requests.
SR, CATEGORY, MEDIATION = ServiceRequest.__table__, Category.__table__, Mediation.__table__
HOUSEHOLD, RESIDENT = Household.__table__, Resident.__table__
GRID_IDS: BindParameter[list[int]] = bindparam("grid_ids", expanding=True)

# The summed columns of _request_sums, in this order (after grid, status, category code and name, dispute flag).
_SUMS = ("filed", "accepted", "accept_hours", "resolved", "resolve_hours", "on_time", "rated", "rating_sum",
         "disputes_resolved")


def _request_sums(since: bool, until: bool):
    """One row per (grid, status, category) of the :grid_ids' requests filed from :since and before :until (each
    bound only if `since`, `until`): every request figure in one pass over the grids' requests.

    The columns it reads are in ix_service_request_grid_figures (INCLUDE), so PostgreSQL answers it from the
    index alone. A request's mediation is looked up (unique index) only for the disputes among them: a
    resolved dispute is a dispute-category request whose mediation ended resolved (mediation is recorded for
    disputes only, so this counts what the outer join with every mediation counted before)."""
    yes = lambda condition: func.sum(case((condition, 1), else_=0))  # noqa: E731
    outcome = select(MEDIATION.c.outcome).where(MEDIATION.c.request_id == SR.c.id).scalar_subquery()
    columns = {
        "filed": func.count(),
        "accepted": func.count(SR.c.accepted_at),
        "accept_hours": func.sum(_hours(SR.c.filed_at, SR.c.accepted_at)),
        "resolved": func.count(SR.c.resolved_at),
        "resolve_hours": func.sum(_hours(SR.c.filed_at, SR.c.resolved_at)),
        "on_time": yes(SR.c.resolved_at <= SR.c.due_at),
        "rated": func.count(SR.c.rating),
        "rating_sum": func.sum(SR.c.rating),
        "disputes_resolved": yes(and_(CATEGORY.c.is_dispute, outcome == MediationOutcome.RESOLVED)),
    }
    where: list[ColumnElement[bool]] = [SR.c.grid_id.in_(GRID_IDS)]
    if since:
        where.append(SR.c.filed_at >= bindparam("since"))
    if until:
        where.append(SR.c.filed_at < bindparam("until"))
    # The status as the string stored (its value), not turned into a RequestStatus per row.
    return (select(SR.c.grid_id, type_coerce(SR.c.status, String), CATEGORY.c.code, CATEGORY.c.name,
                   CATEGORY.c.is_dispute, *(columns[name].label(name) for name in _SUMS))
            .join(CATEGORY, CATEGORY.c.id == SR.c.category_id)
            .where(*where)
            .group_by(SR.c.grid_id, SR.c.status, CATEGORY.c.code, CATEGORY.c.name, CATEGORY.c.is_dispute))


# By which ends of the filed-date range are given.
_REQUEST_SUMS = {(since, until): _request_sums(since, until) for since in (False, True) for until in (False, True)}

_CONFIRMED = exists().where(RESIDENT.c.household_id == HOUSEHOLD.c.id, RESIDENT.c.confirmed.is_(True))
_COVERAGE = (select(HOUSEHOLD.c.grid_id, func.count(HOUSEHOLD.c.id), func.sum(case((_CONFIRMED, 1), else_=0)))
             .where(HOUSEHOLD.c.grid_id.in_(GRID_IDS)).group_by(HOUSEHOLD.c.grid_id))


def tallies(grid_ids: list[int], start: date | None = None, end: date | None = None) -> dict[int, Tally]:
    """One Tally per grid id, in two grouped queries whatever the number of grids or requests; `start` and `end`
    are the first and last filed dates (China time), both included."""
    result: defaultdict[int, Tally] = defaultdict(Tally)
    # Per grid, added up in a list: a community's figures read hundreds of rows.
    sums: defaultdict[int, list] = defaultdict(lambda: [0] * len(_SUMS))
    params: dict = {"grid_ids": grid_ids}
    if start is not None:
        params["since"] = day_start(start)
    if end is not None:
        params["until"] = day_start(end + timedelta(days=1))
    rows = db.session.execute(_REQUEST_SUMS[start is not None, end is not None], params).all()
    for grid_id, status, code, name, is_dispute, *values in rows:
        tally, filed = result[grid_id], values[0]
        grid_sums = sums[grid_id]
        for i, value in enumerate(values):
            if value:
                grid_sums[i] += value
        tally.by_status[status] += filed
        tally.by_category[code, name] += filed
        if is_dispute:
            tally.disputes += filed
    for grid_id, grid_sums in sums.items():
        for name, value in zip(_SUMS, grid_sums, strict=True):
            setattr(result[grid_id], name, value)
    for grid_id, households, registered in db.session.execute(_COVERAGE, {"grid_ids": grid_ids}).all():
        result[grid_id].households, result[grid_id].registered = households, registered or 0
    return {grid_id: result[grid_id] for grid_id in grid_ids}

"""The figures' SQL: every number is a GROUP BY grid aggregate, so the cost stays in the database."""
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Float, and_, case, cast, exists, func, select

from app.clock import day_start
from app.models import Category, Household, Mediation, Resident, ServiceRequest
from app.models.requests import MediationOutcome
from app.web.extensions import db

SR = ServiceRequest


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
    by_category: Counter = field(default_factory=Counter)

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(**{name: getattr(self, name) + getattr(other, name) for name in self.__dataclass_fields__})


def _hours(start, end):
    """Hours between two timestamp columns, in the database's own arithmetic."""
    if db.session.get_bind().dialect.name == "postgresql":
        return cast(func.extract("epoch", end - start), Float) / 3600.0
    return (func.julianday(end) - func.julianday(start)) * 24.0


def _filed_between(start: date | None, end: date | None):
    """Conditions on the filed date (China time), both ends included."""
    conditions = []
    if start:
        conditions.append(SR.filed_at >= day_start(start))
    if end:
        conditions.append(SR.filed_at < day_start(end + timedelta(days=1)))
    return conditions


# The summed columns of _request_sums, in this order (after grid, status, category code and dispute flag).
_SUMS = ("filed", "accepted", "accept_hours", "resolved", "resolve_hours", "on_time", "rated", "rating_sum",
         "disputes_resolved")


def _request_sums(where):
    """One row per (grid, status, category): every request figure in one pass over the grid's requests.

    The columns it reads are in ix_service_request_grid_figures (INCLUDE), so PostgreSQL answers it from the
    index alone. A request's mediation is looked up (unique index) only for the disputes among them: a
    resolved dispute is a dispute-category request whose mediation ended resolved (mediation is recorded for
    disputes only, so this counts what the outer join with every mediation counted before)."""
    yes = lambda condition: func.sum(case((condition, 1), else_=0))  # noqa: E731
    outcome = select(Mediation.outcome).where(Mediation.request_id == SR.id).scalar_subquery()
    columns = {
        "filed": func.count(),
        "accepted": func.count(SR.accepted_at),
        "accept_hours": func.sum(_hours(SR.filed_at, SR.accepted_at)),
        "resolved": func.count(SR.resolved_at),
        "resolve_hours": func.sum(_hours(SR.filed_at, SR.resolved_at)),
        "on_time": yes(SR.resolved_at <= SR.due_at),
        "rated": func.count(SR.rating),
        "rating_sum": func.sum(SR.rating),
        "disputes_resolved": yes(and_(Category.is_dispute, outcome == MediationOutcome.RESOLVED)),
    }
    return (select(SR.grid_id, SR.status, Category.code, Category.is_dispute,
                   *(columns[name].label(name) for name in _SUMS))
            .join(Category, Category.id == SR.category_id)
            .where(*where).group_by(SR.grid_id, SR.status, Category.code, Category.is_dispute))


def _coverage(grid_condition):
    confirmed = exists().where(Resident.household_id == Household.id, Resident.confirmed.is_(True))
    return (select(Household.grid_id, func.count(Household.id), func.sum(case((confirmed, 1), else_=0)))
            .where(grid_condition).group_by(Household.grid_id))


def tallies(grid_ids: list[int], start: date | None = None, end: date | None = None) -> dict[int, Tally]:
    """One Tally per grid id, in two grouped queries whatever the number of grids or requests."""
    result: defaultdict[int, Tally] = defaultdict(Tally)
    sums: dict[int, list] = {}    # per grid, added up in a list: a community's figures read a thousand rows
    where = [SR.grid_id.in_(grid_ids), *_filed_between(start, end)]
    for grid_id, status, code, is_dispute, *values in db.session.execute(_request_sums(where)).tuples():
        tally, filed = result[grid_id], values[0]
        grid_sums = sums.setdefault(grid_id, [0] * len(_SUMS))
        for i, value in enumerate(values):
            if value:
                grid_sums[i] += value
        tally.by_status[status.value] += filed
        tally.by_category[code] += filed
        if is_dispute:
            tally.disputes += filed
    for grid_id, grid_sums in sums.items():
        for name, value in zip(_SUMS, grid_sums, strict=True):
            setattr(result[grid_id], name, value)
    for grid_id, households, registered in db.session.execute(_coverage(Household.grid_id.in_(grid_ids))):
        result[grid_id].households, result[grid_id].registered = households, registered or 0
    return {grid_id: result[grid_id] for grid_id in grid_ids}

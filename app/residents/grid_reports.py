"""A grid head's figures: registration coverage, pending confirmations and moves, returning migrants (.xlsx too)."""
from collections.abc import Sequence
from datetime import date

from sqlalchemy import case, exists, func, or_, select
from sqlalchemy.orm import contains_eager

from app.auth.principal import Principal
from app.models import Grid, Household, Resident, Unit
from app.models.people import ResidenceType
from app.privacy.audit import record
from app.privacy.masking import mask_phone
from app.web.extensions import db
from app.web.spreadsheets import xlsx


def _share(registered: int, households: int) -> float:
    return round(registered / households, 4) if households else 0.0


def coverage(grid: Grid) -> dict:
    """Per unit and in total: households, and households with at least one confirmed member."""
    return coverage_of([grid])[grid.id]


def coverage_of(grids: Sequence[Grid]) -> dict[int, dict]:
    """coverage() of each grid, by grid id, in one statement (the admin's page shows every grid of the community)."""
    registered = exists().where(Resident.household_id == Household.id, Resident.confirmed)
    rows = db.session.execute(
        select(Unit.grid_id, Unit.id, Unit.number, Unit.name, func.count(Household.id),
               func.coalesce(func.sum(case((registered, 1), else_=0)), 0))
        .outerjoin(Household, Household.unit_id == Unit.id).where(Unit.grid_id.in_([g.id for g in grids]))
        .group_by(Unit.grid_id, Unit.id, Unit.number, Unit.name).order_by(Unit.number)).all()
    units: dict[int, list[dict]] = {g.id: [] for g in grids}
    for grid_id, uid, number, name, total, done in rows:
        units[grid_id].append({"unit_id": uid, "number": number, "name": name, "households": total,
                               "registered": done, "share": _share(done, total)})
    return {grid_id: _totals(grid_id, its_units) for grid_id, its_units in units.items()}


def _totals(grid_id: int, units: list[dict]) -> dict:
    households, done = sum(u["households"] for u in units), sum(u["registered"] for u in units)
    return {"grid_id": grid_id, "households": households, "registered": done,
            "share": _share(done, households), "units": units}


def _in(houses):
    """Members of the houses matching `houses`, each with its household (pages list their codes)."""
    return (select(Resident).join(Household, Resident.household_id == Household.id).where(houses)
            .options(contains_eager(Resident.household)))


def pending(grid: Grid) -> Sequence[Resident]:
    """Registrations waiting for a head or the grid head, and moves into the grid not yet agreed, oldest first."""
    return pending_of([grid])[grid.id]


def pending_of(grids: Sequence[Grid]) -> dict[int, list[Resident]]:
    """pending() of each grid, by grid id, in one statement."""
    waiting = or_(Resident.confirmed.is_(False), Resident.move_from_id.is_not(None))
    query = _in(Household.grid_id.in_([g.id for g in grids])).where(waiting)
    found: dict[int, list[Resident]] = {g.id: [] for g in grids}
    for member in db.session.scalars(query.order_by(Resident.created_at, Resident.id)):
        found[member.household.grid_id].append(member)
    return found


def returning(grid: Grid, since: date | None = None, until: date | None = None,
              province: str | None = None) -> Sequence[Resident]:
    """Returning migrants of the grid, the latest arrivals first."""
    return db.session.scalars(returning_in(Household.grid_id == grid.id, since, until, province)).all()


def returning_in(houses, since: date | None = None, until: date | None = None, province: str | None = None):
    """The query of returning migrants in the houses matching `houses` (a condition on Household), latest first."""
    query = _in(houses).where(Resident.residence_type == ResidenceType.RETURNING_MIGRANT)
    if since:
        query = query.where(Resident.return_date >= since)
    if until:
        query = query.where(Resident.return_date <= until)
    if province:
        query = query.where(Resident.from_province == province)
    return query.order_by(Resident.return_date.desc(), Resident.id)


RETURNING_COLUMNS = ("门牌编码", "地址", "姓名", "与户主关系", "身份证号", "手机号", "来自省份", "来自城市",
                     "返回日期", "计划停留天数", "状态")


def returning_sheet(grid: Grid, members: list[Resident], by: Principal) -> bytes:
    """The returning migrants as an .xlsx sheet, ID numbers and phones masked as everywhere else; audited."""
    record(by, "export", "grid_returning", grid.id)
    return xlsx({"返乡人员": [RETURNING_COLUMNS, *(
        [m.household.code, m.household.address, m.name, m.relationship_to_head, m.id_number_masked,
         mask_phone(m.phone), m.from_province, m.from_city, m.return_date, m.stay_days,
         "已确认" if m.confirmed else "待确认"] for m in members)]})


COVERAGE_COLUMNS = ("楼栋编号", "楼栋名称", "户数", "已登记户", "登记覆盖率")


def coverage_sheet(figures: dict) -> bytes:
    """A grid's coverage (as coverage() gives it) as an .xlsx sheet: a row per unit, then the total."""
    rows = [[u["number"], u["name"], u["households"], u["registered"], u["share"]] for u in figures["units"]]
    total = ["合计", None, figures["households"], figures["registered"], figures["share"]]
    return xlsx({"登记覆盖": [COVERAGE_COLUMNS, *rows, total]})

"""Importing a community's houses from the sheet: validate every row first, then upsert in one transaction."""
import re
from dataclasses import dataclass, field

from sqlalchemy import select

from app.admin.house_sheet import EXAMPLE_MARK, LABELS, RawRow, write_sheet
from app.auth.principal import Principal
from app.models import Community, Grid, Household, Unit
from app.models.places import house_code
from app.privacy.audit import record
from app.web.extensions import db
from app.web.validation import normalize_mobile

_DOOR = re.compile(r"[0-9A-Z][0-9A-Z\-]{0,15}")


@dataclass
class HouseRow:
    number: int
    grid: int
    unit: int
    door: str
    address: str
    grid_name: str | None = None
    unit_name: str | None = None
    head_name: str | None = None
    head_phone: str | None = None


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    grids_created: int = 0
    units_created: int = 0
    errors: list = field(default_factory=list)
    # What an admin would not guess from the counts: rows skipped, and names the sheet changed.
    skipped: list = field(default_factory=list)
    renamed: list = field(default_factory=list)
    heads_changed: list = field(default_factory=list)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if "\x00" in text:
        raise ValueError("contains a NUL character; retype the cell.")
    return text or None


def _number(value) -> int:
    text = _text(value)
    if text is None:
        raise ValueError("required.")
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise ValueError(f"'{text}' is not a number from 1 to 99.")
    return int(text)


def _door(value) -> str:
    text = _text(value)
    if text is None:
        raise ValueError("required.")
    door = text.upper()
    if not _DOOR.fullmatch(door):
        raise ValueError(f"'{text}' must be 1-16 letters, digits or dashes.")
    return door


def _bounded(limit, required=False):
    def check(value):
        text = _text(value)
        if text is None and required:
            raise ValueError("required.")
        if text is not None and len(text) > limit:
            raise ValueError(f"longer than {limit} characters.")
        return text
    return check


def _phone(value):
    text = _text(value)
    return normalize_mobile(text) if text else None


_CHECKS = {
    "grid": _number, "unit": _number, "door": _door,
    "address": _bounded(200, required=True), "grid_name": _bounded(100),
    "unit_name": _bounded(100), "head_name": _bounded(50), "head_phone": _phone,
}


def _is_example(raw: RawRow) -> bool:
    return str(raw.values.get("address") or "").strip().startswith(EXAMPLE_MARK)


def validate_rows(raw_rows: list[RawRow]) -> tuple[list[HouseRow], list[dict]]:
    """Every row checked; errors name the row number and the column as the admin sees them."""
    rows, errors = [], []
    seen: dict[tuple, int] = {}   # (grid, unit, door) → the row that named the house first
    for raw in raw_rows:
        values, row_errors = {}, []
        for key, check in _CHECKS.items():
            try:
                values[key] = check(raw.values.get(key))
            except ValueError as exc:
                row_errors.append({"row": raw.number, "column": LABELS[key], "message": str(exc)})
        if not row_errors:
            place = (values["grid"], values["unit"], values["door"])
            if place in seen:
                row_errors.append({"row": raw.number, "column": LABELS["door"],
                                   "message": f"the same house as row {seen[place]}."})
            seen[place] = raw.number
        errors.extend(row_errors)
        if not row_errors:
            rows.append(HouseRow(number=raw.number, **values))
    return rows, errors


def import_houses(community: Community, raw_rows: list[RawRow], dry_run: bool = False) -> ImportResult:
    """Upsert the community's grids, units and households from the rows; nothing is written on any error."""
    examples = [raw for raw in raw_rows if _is_example(raw)]
    rows, errors = validate_rows([raw for raw in raw_rows if not _is_example(raw)])
    result = ImportResult(errors=errors, skipped=[
        {"row": raw.number, "message": f"an example row (its address starts with {EXAMPLE_MARK}); not imported."}
        for raw in examples])
    if errors:
        return result
    grids = {g.number: g for g in db.session.scalars(select(Grid).where(Grid.community_id == community.id))}
    units = {(u.grid_id, u.number): u for u in db.session.scalars(
        select(Unit).join(Grid).where(Grid.community_id == community.id))}
    houses = {(h.unit_id, h.door): h for h in db.session.scalars(
        select(Household).where(Household.community_id == community.id))}
    for row in rows:
        grid, new_grid, old_name = _place(grids, row.grid, row.grid_name,
                                          lambda: Grid(community=community, number=row.grid, name=f"第{row.grid}网格"))
        if old_name:
            result.renamed.append({"grid": row.grid, "from": old_name, "to": grid.name})
        unit, new_unit, old_name = _place(units, (grid.id, row.unit), row.unit_name,
                                          lambda: Unit(grid=grid, number=row.unit, name=f"{row.unit}号楼"))
        if old_name:
            result.renamed.append({"grid": row.grid, "unit": row.unit, "from": old_name, "to": unit.name})
        result.grids_created += new_grid
        result.units_created += new_unit
        _upsert_house(community, grid, unit, row, houses, result)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return result


def _place(known: dict, key, name, make):
    """The grid or unit at `key`, created with `make` when new, renamed when the sheet names it otherwise:
    (place, is_new, the name it had if this renamed it)."""
    place = known.get(key)
    if place is None:
        place = known[key] = make()
        if name:
            place.name = name
        db.session.add(place)
        db.session.flush()
        return place, True, None
    if name and place.name != name:
        old_name, place.name = place.name, name
        return place, False, old_name
    return place, False, None


def _upsert_house(community, grid, unit, row, houses, result):
    house = houses.get((unit.id, row.door))
    wanted = {"address": row.address, "head_name": row.head_name, "head_phone": row.head_phone}
    if house is None:
        db.session.add(Household(
            community=community, grid=grid, unit=unit, door=row.door,
            code=house_code(community.code, grid.number, unit.number, row.door), **wanted))
        result.created += 1
        return
    # A blank optional cell keeps what is stored: a sheet without phones must not erase them.
    changes = {k: v for k, v in wanted.items() if v is not None and getattr(house, k) != v}
    if "head_name" in changes and house.head_name:
        result.heads_changed.append({"house": house.code, "from": house.head_name, "to": row.head_name})
    for key, value in changes.items():
        setattr(house, key, value)
    if changes:
        result.updated += 1
    else:
        result.unchanged += 1


def export_rows(community: Community, by: Principal) -> list[dict]:
    """Every house of the community as a sheet row (phones in full: the admin's own records); audited."""
    record(by, "export", "house_sheet", community.id)
    query = (select(Household, Unit, Grid).join(Unit, Household.unit_id == Unit.id)
             .join(Grid, Household.grid_id == Grid.id)
             .where(Household.community_id == community.id).order_by(Household.code))
    return [
        {"grid": g.number, "grid_name": g.name, "unit": u.number, "unit_name": u.name, "door": h.door,
         "address": h.address, "head_name": h.head_name, "head_phone": h.head_phone}
        for h, u, g in db.session.execute(query)
    ]


def exported_sheet(principal: Principal, fmt: str) -> bytes:
    """The admin's community's house sheet in the import format (phones in full: the admin's own records); the
    export is audited (export_rows), and the caller commits."""
    assert principal.staff is not None, "an admin's export"
    return write_sheet(export_rows(db.session.get_one(Community, principal.staff.community_id), principal), fmt)

"""What the family letter on a door tells a stranger who scans it: the house and whom to call, no residents."""
from sqlalchemy import Row, and_, bindparam, exists, select

from app.codes.services import count_scan, live
from app.models import Community, Grid, Household, QrCode, Resident, Staff
from app.police.services import covering_officer
from app.web.extensions import db
from qr.tokens import is_valid_token


def _facts_query(by_token: bool):
    """The house, community, grid, active grid head, officer and whether the house has a confirmed head, in one
    statement: the house by :household_id, or the code (live or not) by :token with its id and revocation (the
    house an outer join: a card's or poster's code has none, and no house code then). Built once, in Core on the
    tables' own columns and no more of them than the answer shows: every scan runs it, and building it (aliases,
    subqueries) or loading ORM rows cost more than running it."""
    code, house, grid, community = (m.__table__ for m in (QrCode, Household, Grid, Community))
    staff, resident = Staff.__table__, Resident.__table__
    head, officer = staff.alias("head"), staff.alias("officer")
    officer_id = covering_officer(house.c.community_id, house.c.grid_id).correlate(house).scalar_subquery()
    has_head = exists().where(resident.c.household_id == house.c.id, resident.c.is_head, resident.c.confirmed)
    columns = [house.c.code, house.c.address, community.c.name.label("community"), grid.c.number,
               grid.c.name.label("grid_name"), has_head.label("has_head"),
               head.c.name.label("head_name"), head.c.phone.label("head_phone"),
               *(officer.c[c].label(f"officer_{c}") for c in ("name", "phone", "title", "station"))]
    facts = (house.join(community, community.c.id == house.c.community_id).join(grid, grid.c.id == house.c.grid_id)
             .outerjoin(head, and_(head.c.id == grid.c.head_id, head.c.active))
             .outerjoin(officer, officer.c.id == officer_id))
    if not by_token:
        return select(*columns).select_from(facts).where(house.c.id == bindparam("household_id"))
    return (select(code.c.id.label("code_id"), code.c.revoked_at, *columns)
            .select_from(code.outerjoin(facts, house.c.id == code.c.household_id))
            .where(code.c.token == bindparam("token")))


_FACTS, _FACTS_BY_TOKEN = _facts_query(by_token=False), _facts_query(by_token=True)


def letter_facts(household: Household) -> dict:
    return _answer(db.session.execute(_FACTS, {"household_id": household.id}).one())


def scanned_letter(token: str) -> dict | None:
    """The facts of the letter a live code is on, with the scan counted; None for a code that is no letter's (not
    counted). UnknownCode or RevokedCode as app.codes.services.resolve raises them."""
    row = live(token, db.session.execute(_FACTS_BY_TOKEN, {"token": token}).first() if is_valid_token(token) else None)
    if row.code is None:
        return None
    count_scan(row.code_id)
    return _answer(row)


def _answer(row: Row) -> dict:
    # Staff phones are printed on the letter itself, so they are shown in full.
    return {
        "code": row.code,
        "address": row.address,
        "community": row.community,
        "grid": {"number": row.number, "name": row.grid_name},
        "grid_head": {"name": row.head_name, "phone": row.head_phone} if row.head_name is not None else None,
        "police": {"name": row.officer_name, "phone": row.officer_phone, "title": row.officer_title,
                   "station": row.officer_station} if row.officer_name is not None else None,
        "has_head": bool(row.has_head),
    }

"""What goes on a house's letter and an officer's card, gathered from the database for qr/ to draw."""
from typing import Iterator

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.codes.service import code_for
from app.models import Grid, Household, Jurisdiction, QrCode, Staff
from app.police.services import jurisdiction_names
from app.web.extensions import db
from qr.card import CardData
from qr.letter import LetterData
from qr.template import DEFAULT_LETTER_TEMPLATE
from qr.tokens import card_url, new_token, scan_url

NOBODY = "（待定）"  # printed where a grid has no head or no officer yet


def officer_for_grid(grid: Grid) -> Staff | None:
    """The grid's own community officer first, else one covering the whole community."""
    rows = db.session.execute(
        select(Staff, Jurisdiction.grid_id).join(Jurisdiction, Jurisdiction.staff_id == Staff.id)
        .where(Staff.active, Jurisdiction.community_id == grid.community_id,
               or_(Jurisdiction.grid_id == grid.id, Jurisdiction.grid_id.is_(None)))
        .order_by(Jurisdiction.grid_id.is_(None), Staff.id)
    ).first()
    return rows[0] if rows else None


def _letter(house: Household, token: str, officer: Staff | None) -> LetterData:
    head = house.grid.head
    community = house.community
    return LetterData(
        community=community.name, grid=house.grid.name, house_code=house.code, address=house.address,
        grid_head=head.name if head else NOBODY, grid_head_phone=(head.phone or "") if head else "",
        police=officer.name if officer else NOBODY, police_phone=(officer.phone or "") if officer else "",
        qr_url=scan_url(current_app.config["PUBLIC_BASE_URL"], token),
        template=community.letter_template or DEFAULT_LETTER_TEMPLATE,
    )


def letter_for(house: Household) -> LetterData:
    return _letter(house, code_for(house).token, officer_for_grid(house.grid))


def letters_for(condition) -> Iterator[LetterData]:
    """Letters of every house matching `condition`, by house code, read in chunks, not all at once."""
    _issue_missing_codes(condition)
    query = (select(Household, QrCode.token)
             .join(QrCode, (QrCode.household_id == Household.id) & QrCode.revoked_at.is_(None))
             .where(condition).order_by(Household.code)
             .options(joinedload(Household.grid).joinedload(Grid.head), joinedload(Household.community))
             .execution_options(yield_per=500))
    officers: dict[int, Staff | None] = {}
    for house, token in db.session.execute(query):
        if house.grid_id not in officers:
            officers[house.grid_id] = officer_for_grid(house.grid)
        yield _letter(house, token, officers[house.grid_id])


def _issue_missing_codes(condition) -> None:
    """First print of a batch: give every house without a live code one, in a single insert."""
    live = select(QrCode.household_id).where(QrCode.household_id.is_not(None), QrCode.revoked_at.is_(None))
    missing = db.session.scalars(select(Household.id).where(condition, Household.id.not_in(live))).all()
    if missing:
        db.session.execute(QrCode.__table__.insert(),
                           [{"token": new_token(), "household_id": h, "version": 1, "scans": 0} for h in missing])
        db.session.commit()


def card_for(officer: Staff) -> CardData:
    jurisdiction = "、".join(jurisdiction_names(officer)) or officer.community.name
    return CardData(name=officer.name, title=officer.title or "社区民警", station=officer.station or "",
                    phone=officer.phone or "", jurisdiction=jurisdiction,
                    qr_url=card_url(current_app.config["PUBLIC_BASE_URL"], code_for(officer).token))

"""What goes on a house's letter and an officer's card, gathered from the database for qr/ to draw."""
from collections.abc import Iterator

from flask import current_app
from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.codes.services import code_for
from app.codes.wxacodes import WXACODE_COMMUNITIES, fetch_missing, kept_for, printed_image
from app.models import Grid, Household, QrCode, Staff
from app.models.codes import WxaCodeImage, qr_code_table
from app.police.services import covering_officer, jurisdiction_names
from app.web.extensions import db
from qr.card import CardData
from qr.letter import LetterData
from qr.template import DEFAULT_LETTER_TEMPLATE
from qr.tokens import card_url, new_token, scan_url

NOBODY = "（待定）"  # printed where a grid has no head or no officer yet


def officer_for_grid(grid: Grid) -> Staff | None:
    """The active police officer covering the grid, as a scan of its letters shows them."""
    officer_id = db.session.scalar(covering_officer(grid.community_id, grid.id))
    return db.session.get(Staff, officer_id) if officer_id is not None else None


def letter_data(house: Household, token: str, officer: Staff | None, code_image: bytes | None) -> LetterData:
    """The letter of `house` whose code has `token`, with the community's text."""
    head = house.grid.head if house.grid.head is not None and house.grid.head.active else None   # as a scan shows
    community = house.community
    return LetterData(
        community=community.name, grid=house.grid.name, house_code=house.code, address=house.address,
        grid_head=head.name if head else NOBODY, grid_head_phone=(head.phone or "") if head else "",
        police=officer.name if officer else NOBODY, police_phone=(officer.phone or "") if officer else "",
        qr_url=scan_url(current_app.config["PUBLIC_BASE_URL"], token),
        template=community.letter_template or DEFAULT_LETTER_TEMPLATE, code_png=code_image,
    )


def letter_for(house: Household) -> LetterData:
    """A house's letter; a first print issues its code (and fetches its mini-program code, if the community
    prints those: see app/codes/wxacodes.py for what may be raised)."""
    code = code_for(house)
    return letter_data(house, code.token, officer_for_grid(house.grid), printed_image(code, house.community_id))


def letters_for(condition, budget: float | None = None) -> Iterator[LetterData]:
    """Letters of every house matching `condition`, by house code, read in chunks, not all at once. Missing
    mini-program codes are fetched first, for `budget` seconds at most (app/codes/wxacodes.py)."""
    _issue_missing_codes(condition)
    fetch_missing(condition, budget)
    # A community that went back to link QR codes keeps its images, unprinted.
    printed = kept_for(QrCode.id) & Household.community_id.in_(WXACODE_COMMUNITIES)
    query = (select(Household, QrCode.token, WxaCodeImage.image)
             .join(QrCode, (QrCode.household_id == Household.id) & QrCode.revoked_at.is_(None))
             .outerjoin(WxaCodeImage, printed)
             .where(condition).order_by(Household.code)
             .options(joinedload(Household.grid).joinedload(Grid.head), joinedload(Household.community))
             .execution_options(yield_per=500))
    officers: dict[int, Staff | None] = {}
    for house, token, code_image in db.session.execute(query):
        if house.grid_id not in officers:
            officers[house.grid_id] = officer_for_grid(house.grid)
        yield letter_data(house, token, officers[house.grid_id], code_image)


def _issue_missing_codes(condition) -> None:
    """First print of a batch: give every house without a live code one, in a single insert."""
    # NOT EXISTS, not NOT IN: an anti-join on qr_code's household index, where NOT IN hashed all of qr_code
    # (bench.plans: 0.4 s a chunk of a city's 200,000 codes).
    live = exists().where(QrCode.household_id == Household.id, QrCode.revoked_at.is_(None))
    missing = db.session.scalars(select(Household.id).where(condition, ~live)).all()
    if missing:
        db.session.execute(qr_code_table.insert(),
                           [{"token": new_token(), "household_id": h, "version": 1, "scans": 0} for h in missing])
        db.session.commit()


def card_lines(officer: Staff) -> dict[str, str]:
    """What an officer's card prints beside its code (and its page at /c/<token> shows)."""
    return {"name": officer.name, "title": officer.title or "社区民警", "station": officer.station or "",
            "phone": officer.phone or "",
            "jurisdiction": "、".join(jurisdiction_names(officer)) or officer.community.name}


def card_for(officer: Staff, vcard: bool = False) -> CardData:
    """An officer's card; its code is the mini-program code where the community prints those, but for a vCard
    (which a phone's camera reads, not WeChat)."""
    code = code_for(officer)
    return CardData(**card_lines(officer), qr_url=card_url(current_app.config["PUBLIC_BASE_URL"], code.token),
                    code_png=None if vcard else printed_image(code, officer.community_id))

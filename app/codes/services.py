"""Issue, reprint and resolve QR code tokens; the caller commits."""
from typing import TypeVar

from sqlalchemy import Row, bindparam, delete, select, update
from sqlalchemy.orm import joinedload

from app.auth.principal import Principal
from app.clock import utcnow
from app.models import Activity, Household, QrCode, Staff
from app.models.codes import WxaCodeImage, qr_code_table
from app.privacy.audit import SYSTEM, record
from app.web.extensions import db
from app.web.refusals import Gone, NotFound
from qr.tokens import is_valid_token, new_token

# What a token's lookup found: the QrCode, or a row of a narrower statement with its revoked_at.
Found = TypeVar("Found", QrCode, Row)


class UnknownCode(NotFound):
    def __init__(self, token: str) -> None:
        super().__init__("No QR code has this token.")
        self.token = token


class RevokedCode(Gone):
    def __init__(self, token: str) -> None:
        super().__init__("This QR code was replaced by a reprint; scan the new one.")
        self.token = token


# Who a code belongs to, by the owner's class: the QrCode relationship (and its `<name>_id` column) naming it.
_OWNERS = {Household: "household", Staff: "staff", Activity: "activity"}


def _owner(target) -> str:
    try:
        return _OWNERS[type(target)]
    except KeyError:
        raise TypeError(f"no QR codes for a {type(target).__name__}") from None


def _target_filter(target):
    return getattr(QrCode, f"{_owner(target)}_id") == target.id


def current_code(target) -> QrCode | None:
    return db.session.scalar(select(QrCode).where(_target_filter(target), QrCode.revoked_at.is_(None)))


def code_for(target) -> QrCode:
    """The live code of a house, officer or activity, issuing the first one when there is none."""
    return current_code(target) or _issue(target, version=1)


def reprint(target, by: Principal = SYSTEM) -> QrCode:
    """Revoke the live code and issue the next version (a lost or defaced letter gets a new QR, or a new
    mini-program code: the old one's image is dropped, its scene answers 410 like the old link); audited, as
    every printed copy stops working."""
    old = current_code(target)
    if old is not None:
        old.revoked_at = utcnow()
        db.session.execute(delete(WxaCodeImage).where(WxaCodeImage.qr_code_id == old.id))
        db.session.flush()
    record(by, "reprint", _owner(target), target.id, community_id=target.community_id)
    return _issue(target, version=(old.version + 1) if old else 1)


def _issue(target, version: int) -> QrCode:
    code = QrCode(token=new_token(), version=version, **{_owner(target): target})
    db.session.add(code)
    db.session.flush()
    return code


def resolve(token: str, count: bool = True) -> QrCode:
    """The live code for a token, with the scan counted unless `count` is False (a follow-up call,
    not a scan); UnknownCode or RevokedCode otherwise."""
    code = live(token, db.session.scalar(_BY_TOKEN, {"token": token}) if is_valid_token(token) else None)
    if count:
        count_scan(code.id)
    return code


def live(token: str, code: Found | None) -> Found:
    """The code found for `token` (a QrCode, or a row with its revoked_at) if it is live: UnknownCode if none was
    found, RevokedCode if it was replaced."""
    if code is None:
        raise UnknownCode(token)
    if code.revoked_at is not None:
        raise RevokedCode(token)
    return code


def count_scan(code_id: int) -> None:
    # An UPDATE rather than read-modify-write, so concurrent scans are all counted.
    db.session.execute(_COUNT_SCAN, {"code_id": code_id})


# Built once, run on every scan: the code with its house or officer (which every caller reads next), and the count.
_BY_TOKEN = select(QrCode).where(QrCode.token == bindparam("token")).options(
    joinedload(QrCode.household), joinedload(QrCode.staff), joinedload(QrCode.activity))
_COUNT_SCAN = (update(qr_code_table).where(qr_code_table.c.id == bindparam("code_id"))
               .values(scans=qr_code_table.c.scans + 1))

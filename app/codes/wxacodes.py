"""Mini-program codes (wxacode) on letters and cards: which communities print them, and each code version's image,
fetched from WeChat once (it limits the calls) and kept in the database, where every app server finds it, as
WeChat sent it (its content type) and for the version of the mini-program the settings name."""
import time
from collections.abc import Sequence

from flask import current_app
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import IntegrityError

from app.models import Household, QrCode
from app.models.codes import CodeKind, CommunityCodeKind, WxaCodeImage
from app.notifications.wechat_gateway import wechat_client, wechat_configured
from app.web.extensions import db
from wechat.client import WxaCode, wxa_code
from wechat.errors import WeChatError

# Waits before the second and the third try of a failure WeChat may get over (busy, quota, unreachable).
RETRY_DELAYS = (0.2, 0.6)

# The communities whose letters and cards carry mini-program codes.
WXACODE_COMMUNITIES = select(CommunityCodeKind.community_id).where(CommunityCodeKind.kind == CodeKind.WXACODE)


class NotConfigured(RuntimeError):
    """Mini-program codes are wanted, and this server has no WeChat credentials to fetch them."""


class CodesPending(RuntimeError):
    """A print's time for fetching ran out with `missing` codes still to fetch; those fetched are kept."""

    def __init__(self, missing: int):
        super().__init__(f"{missing} mini-program codes still to fetch")
        self.missing = missing


def code_kind(community_id: int) -> CodeKind:
    return db.session.scalar(select(CommunityCodeKind.kind).where(
        CommunityCodeKind.community_id == community_id)) or CodeKind.LINK


def set_code_kind(community_id: int, kind: CodeKind) -> None:
    row = db.session.get(CommunityCodeKind, community_id)
    if row is None:
        db.session.add(CommunityCodeKind(community_id=community_id, kind=kind))
    else:
        row.kind = kind


def env_version() -> str:
    """The version of the mini-program that codes open (WECHAT_CODE_ENV_VERSION)."""
    return current_app.config["WECHAT_CODE_ENV_VERSION"]


def kept_for(code_id) -> ColumnElement[bool]:
    """The kept image of the code `code_id` (a value or a column) is of the version the settings name."""
    return (WxaCodeImage.qr_code_id == code_id) & (WxaCodeImage.env_version == env_version())


def printed_image(code: QrCode, community_id: int) -> bytes | None:
    """The mini-program code to print for `code` in its community (stored_code's image), or None where the
    community prints link QR codes."""
    if code_kind(community_id) is not CodeKind.WXACODE:
        return None
    return stored_code(code).image


def stored_code(code: QrCode) -> WxaCode:
    """The mini-program code of `code`, fetched from WeChat the first time (for this version); commits."""
    kept = select(WxaCodeImage.image, WxaCodeImage.content_type).where(kept_for(code.id))
    row = db.session.execute(kept).first()
    if row is None:
        fetch_codes([(code.id, code.token)])   # kept it, or raised
        row = db.session.execute(kept).one()
    return WxaCode(row.image, row.content_type)


def fetch_missing(household_condition, budget: float | None = None) -> None:
    """Fetch the mini-program codes the live codes of the houses matching `household_condition` lack, for those
    in communities that print them, in house-code order."""
    missing = db.session.execute(
        select(QrCode.id, QrCode.token).join(Household, QrCode.household_id == Household.id)
        .where(household_condition, QrCode.revoked_at.is_(None), Household.community_id.in_(WXACODE_COMMUNITIES),
               ~exists().where(kept_for(QrCode.id)))
        .order_by(Household.code)).tuples().all()
    if missing:
        fetch_codes(missing, budget)


def fetch_codes(codes: Sequence[tuple[int, str]], budget: float | None = None) -> None:
    """Fetch and keep the image of each (code id, token), committing each at once: a failure or the end of the
    `budget` (seconds; at least one code is fetched) leaves those fetched for the next try. Raises NotConfigured,
    WeChatError (retryable ones tried three times) or CodesPending."""
    client, page = _ready_client(), current_app.config["WECHAT_SCAN_PAGE"]
    deadline = None if budget is None else time.monotonic() + budget
    for done, (code_id, token) in enumerate(codes):
        if done and deadline is not None and time.monotonic() > deadline:
            raise CodesPending(len(codes) - done)
        _keep(code_id, _fetch_one(client, token, page))


def drawn_code(scene: str, page: str) -> WxaCode:
    """A mini-program code of `scene` opening `page`, not kept (a one-time code); commits first. Raises
    NotConfigured or WeChatError (retryable ones tried three times)."""
    return _fetch_one(_ready_client(), scene, page)


def _ready_client():
    if not wechat_configured():
        raise NotConfigured("WeChat is not configured on this server (WECHAT_APPID, WECHAT_SECRET).")
    # Committed first: without Redis the access token is stored through a connection of its own
    # (app/notifications/wechat_gateway.py), which this session's writes (a code issued just now) would keep waiting.
    db.session.commit()
    return wechat_client()


def _fetch_one(client, token: str, page: str) -> WxaCode:
    delays, check_path = iter(RETRY_DELAYS), current_app.config["WECHAT_CODE_CHECK_PATH"]
    while True:
        try:
            return wxa_code(client, token, page=page, check_path=check_path, env_version=env_version())
        except WeChatError as exc:
            delay = next(delays, None)
            if not exc.retryable or delay is None:
                raise
        time.sleep(delay)


def _keep(code_id: int, code: WxaCode) -> None:
    # merge: a code of another version (a trial's) is replaced.
    db.session.merge(WxaCodeImage(qr_code_id=code_id, image=code.image, content_type=code.content_type,
                                  env_version=env_version()))
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()   # another server fetched the same code meanwhile: theirs serves as well

"""WeChat's asynchronous check of wish photos (mediaCheckAsync v2): WeChat fetches the photo at a short-lived
signed URL and pushes its verdict to the message push URL (app/notifications/wechat_push.py) within 30 minutes;
until then the photo is "pending", seen only by its uploader and the wish's reviewer. A flagged photo, or one
with no verdict in that window, goes back to the grid head."""
import logging
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select, update

from app.clock import to_utc, utcnow
from app.models import WishPhoto
from app.models import WishStatus as S
from app.models.wishes import Wish
from app.notifications.wechat_gateway import wechat_client
from app.storage.photos import discard
from app.web.extensions import db
from app.web.refusals import Unavailable
from app.wishes.lifecycle import record
from wechat.client import media_check_async
from wechat.errors import WeChatError

log = logging.getLogger(__name__)
PENDING = "pending"
WINDOW = timedelta(minutes=30)   # WeChat's documented time to push a verdict; the fetch URL lives as long
VERDICTS = ("pass", "risky", "review")
FLAGGED_NOTE = "图片未通过微信安全检测，请网格长复核"
UNCHECKED_NOTE = "微信未在30分钟内给出图片检测结果，请网格长复核"


def ask_wechat(photo: WishPhoto, wish: Wish, openid: str, now: datetime) -> None:
    """Have WeChat check `photo` (stored and committed, so WeChat can fetch it) for its uploader `openid`. Commits.
    A passing fault removes the photo again (503: nothing was saved); a final refusal leaves it to the grid
    head."""
    try:
        trace_id = media_check_async(wechat_client(), openid, media_url(photo))
    except WeChatError as exc:
        if exc.retryable:
            stored = photo.stored_name
            wish.photos.remove(photo)
            db.session.commit()
            discard([stored])
            raise Unavailable("WeChat's media check is not answering; nothing was saved, try again shortly.") \
                from None
        photo.check = "review"
        flag(wish, now, FLAGGED_NOTE)
    else:
        photo.trace_id, photo.check_due_at = trace_id, now + WINDOW
    db.session.commit()


def flag(wish: Wish, now: datetime, note: str) -> None:
    """A photo others will not see: an approved wish leaves the wall for the grid head's review."""
    before = wish.status
    if wish.status is S.APPROVED:
        wish.status = S.SUBMITTED
    record(wish, "photo_flagged" if note == FLAGGED_NOTE else "photo_unchecked", None, now, before, note)


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="jiashu.media-check")


def media_url(photo: WishPhoto) -> str:
    """The public address WeChat fetches the photo from: signed, naming only the photo, valid for WINDOW."""
    # The URL map's own builder: a photo may be added outside a request (the demo's seed, the security stage).
    path = current_app.url_map.bind("").build("wechat_push.media", {"token": _signer().dumps(photo.id)})
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def photo_to_fetch(token: str) -> WishPhoto | None:
    """The pending photo a media URL's token names, None if the token is forged or expired or the check is
    over."""
    try:
        photo_id = _signer().loads(token, max_age=int(WINDOW.total_seconds()))
    except BadSignature:
        return None
    return db.session.scalar(select(WishPhoto).where(WishPhoto.id == photo_id, WishPhoto.check == PENDING))


def take_verdict(message: dict, now: datetime | None = None) -> bool:
    """Apply a pushed wxa_media_check event to its photo, once; False (logged) for a trace id no pending photo
    carries (another app's, a repeat, one past its window) or a verdict it does not name."""
    trace_id, result = message.get("trace_id"), message.get("result")
    suggest = result.get("suggest") if isinstance(result, dict) else None
    if not isinstance(trace_id, str) or suggest not in VERDICTS:
        log.warning("media check push without a trace id or a known verdict: ignored")
        return False
    photo = db.session.scalar(select(WishPhoto).where(WishPhoto.trace_id == trace_id))
    if photo is None or not _settle(photo, suggest):
        log.info("media check verdict for trace %s: no photo waits for it, ignored", trace_id)
        return False
    if suggest != "pass":
        flag(db.session.get_one(Wish, photo.wish_id), to_utc(now or utcnow()), FLAGGED_NOTE)
    db.session.commit()
    return True


def _settle(photo: WishPhoto, check: str) -> bool:
    """Set a pending photo's check, exactly once however many pushes or sweeps race (a conditional UPDATE)."""
    won = db.session.execute(update(WishPhoto).where(WishPhoto.id == photo.id, WishPhoto.check == PENDING)
                             .values(check=check, check_due_at=None).execution_options(synchronize_session=False))
    if won.rowcount != 1:  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        db.session.rollback()
        return False
    db.session.refresh(photo)
    return True


def sweep_unchecked(now: datetime | None = None, limit: int = 500) -> int:
    """Photos with no verdict by their due time go to the grid head's review ("review"), each exactly once.
    Commits each; returns how many this runner swept."""
    now = to_utc(now or utcnow())
    overdue = db.session.scalars(select(WishPhoto).where(WishPhoto.check == PENDING, WishPhoto.check_due_at <= now)
                                 .order_by(WishPhoto.check_due_at).limit(limit)).all()
    swept = 0
    for photo in overdue:
        if _settle(photo, "review"):
            flag(db.session.get_one(Wish, photo.wish_id), now, UNCHECKED_NOTE)
            db.session.commit()
            swept += 1
    return swept

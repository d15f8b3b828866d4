"""Photos on a wish: the wisher's (one, before a claim) and the claimer's fulfilment photos. Each is re-encoded
(app/storage/photos.py: upright, at most 750 x 1334 px, no metadata) and passes WeChat's
media check before anyone else sees it; a flagged one sends the wish back to the grid head and never reaches
the wall."""
from datetime import datetime

from flask import Response

from app.auth.principal import Principal
from app.clock import to_utc, utcnow
from app.models import WishPhoto
from app.models import WishStatus as S
from app.models.wishes import PhotoKind, Wish
from app.notifications.wechat_gateway import wechat_client, wechat_configured
from app.storage.photos import keep, read_photo, stream
from app.web.refusals import Conflict, Forbidden, Unavailable
from app.wishes.lifecycle import CLAIMER, REVIEWER, WISHER, actor_kinds, record
from wechat.client import img_sec_check
from wechat.errors import WeChatError

SIZE = (750, 1334)          # what WeChat's img_sec_check takes, and more than a phone's screen shows
MOST = {PhotoKind.WISH: 1, PhotoKind.FULFILMENT: 3}
FLAGGED_NOTE = "图片未通过微信安全检测，请网格长复核"


def media_verdict(image: bytes) -> str | None:
    """WeChat's verdict on an image others will see, "pass" or "risky"; None where WeChat is not configured.
    A final refusal of another kind leaves it to the grid head ("review"); no answer saves nothing."""
    if not wechat_configured():
        return None
    try:
        return img_sec_check(wechat_client(), image)
    except WeChatError as exc:
        if exc.retryable:
            raise Unavailable("WeChat's media check is not answering; nothing was saved, try again shortly.") \
                from None
        return "review"


def _kind_for(wish: Wish, p: Principal) -> PhotoKind:
    kinds = actor_kinds(wish, p)
    if WISHER in kinds and wish.status in (S.SUBMITTED, S.APPROVED):
        return PhotoKind.WISH
    if CLAIMER in kinds and wish.status is S.CLAIMED:
        return PhotoKind.FULFILMENT
    if kinds & {WISHER, CLAIMER}:
        raise Conflict(f"Cannot add a photo to a wish that is {wish.status.value}: the wisher adds one before a "
                       "claim, the claimer before reporting it fulfilled.")
    raise Forbidden("Only the wisher or the wish's claimer may add photos.")


def add_photo(wish: Wish, p: Principal, upload, now: datetime | None = None) -> WishPhoto:
    """Check, re-encode, have WeChat check and store one photo; a flagged one takes an approved wish off the wall
    back to the grid head's review, and is on the timeline. Commits (nothing is kept if a step fails)."""
    now = to_utc(now or utcnow())
    kind = _kind_for(wish, p)
    if sum(photo.kind is kind for photo in wish.photos) >= MOST[kind]:
        raise Conflict(f"This wish has its {MOST[kind]} {kind.value} photo(s) already.")
    image = read_photo(upload, "photo", SIZE)[0]
    verdict = media_verdict(image)
    if verdict not in (None, "pass"):
        before = wish.status
        if wish.status is S.APPROVED:
            wish.status = S.SUBMITTED
        record(wish, "photo_flagged", p, now, before, FLAGGED_NOTE)
    uploader = {"uploaded_by_staff_id": p.staff.id} if p.staff else {"uploaded_by_wechat_id": p.wechat_id}
    [photo] = keep(wish.photos, [(image, "image/jpeg", "jpg")],
                   lambda **stored: WishPhoto(kind=kind, check=verdict, created_at=now, **uploader, **stored))
    return photo


def sees(photo: WishPhoto, wish: Wish, p: Principal) -> bool:
    """Anyone who may see the wish sees a photo WeChat passed; one flagged or not checked only its uploader and
    the wish's reviewer (not the rest of the wisher's household, nor other staff of the place)."""
    if photo.check == "pass" or REVIEWER in actor_kinds(wish, p):
        return True
    if p.staff is not None:
        return photo.uploaded_by_staff_id == p.staff.id
    return p.wechat_id is not None and photo.uploaded_by_wechat_id == p.wechat_id


def on_the_wall(wish: Wish) -> WishPhoto | None:
    """The wisher's photo as the wall shows it: only one WeChat passed."""
    return next((photo for photo in wish.photos if photo.kind is PhotoKind.WISH and photo.check == "pass"), None)


def photo_answer(wish: Wish, photo_id: int, p: Principal | None) -> Response:
    """Photo `photo_id` of `wish` (one the caller may see; None: the public wall's)."""
    photo = next((ph for ph in wish.photos if ph.id == photo_id), None)
    if photo is not None and not (sees(photo, wish, p) if p is not None else photo is on_the_wall(wish)):
        photo = None
    return stream(photo, photo_id)

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
from app.notifications.wechat_gateway import wechat_configured
from app.storage.photos import keep, read_photo, stream
from app.web.refusals import Conflict, Forbidden
from app.wishes.lifecycle import CLAIMER, REVIEWER, WISHER, actor_kinds
from app.wishes.media_checks import PENDING, ask_wechat

SIZE = (750, 1334)          # more than a phone's screen shows
MOST = {PhotoKind.WISH: 1, PhotoKind.FULFILMENT: 3}


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
    """Check, re-encode and store one photo, then have WeChat check it (app/wishes/media_checks.py): hidden from
    others until WeChat passes it. Commits (nothing is kept if a step fails)."""
    now = to_utc(now or utcnow())
    kind = _kind_for(wish, p)
    if sum(photo.kind is kind for photo in wish.photos) >= MOST[kind]:
        raise Conflict(f"This wish has its {MOST[kind]} {kind.value} photo(s) already.")
    image = read_photo(upload, "photo", SIZE)[0]
    # WeChat's check needs the user's openid: a staff member's photo stays unchecked (its uploader's and the
    # reviewer's to see).
    openid = p.wechat.openid if wechat_configured() and p.wechat is not None and p.staff is None else None
    uploader = {"uploaded_by_staff_id": p.staff.id} if p.staff else {"uploaded_by_wechat_id": p.wechat_id}
    [photo] = keep(wish.photos, [(image, "image/jpeg", "jpg")],
                   lambda **stored: WishPhoto(kind=kind, check=PENDING if openid else None, created_at=now,
                                              **uploader, **stored))
    if openid:
        ask_wechat(photo, wish, openid, now)
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

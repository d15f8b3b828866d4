"""Photos in the object store: checked by their first bytes, decoded within a pixel bound and written afresh
(upright, no metadata), stored under random names with their rows, and streamed back through the app (phones
may not reach the store, and no link to it leaks)."""
import io
import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from flask import Response, send_file
from PIL import ExifTags, Image, ImageOps

from app.storage import StoreUnavailable, object_store
from app.web.extensions import db
from app.web.refusals import NotFound, Refusal

MAX_BYTES = 5 * 1024 * 1024
BOX = (2048, 2048)           # what a request's photo is kept within: enough to read a meter or a crack
# Pixels decoded, at most: a 12-megapixel phone photo decodes as a JPEG's reduced draft far below it, while a
# small file declaring a vast canvas (a 190 KB PNG of 7000 x 7000) cost seconds of CPU and a gigabyte of memory
# (bench/photos.py has the figures).
MOST_PIXELS = 4096 * 4096
log = logging.getLogger(__name__)
Row = TypeVar("Row")


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's magic bytes; None unless JPEG, PNG or WebP."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def read_photo(upload, field: str = "photos", box: tuple[int, int] = BOX) -> tuple[bytes, str, str]:
    """The upload as a fresh JPEG within `box` (see cleaned) with its content type and extension; a Refusal
    naming `field` if too big, not a photo or too many pixels."""
    data = upload.stream.read(MAX_BYTES + 1)
    name = upload.filename or "photo"
    if len(data) > MAX_BYTES:
        raise Refusal(f"'{name}' is larger than {MAX_BYTES // (1024 * 1024)} MB.", field)
    if sniff(data[:16]) is None:
        raise Refusal(f"'{name}' is not a JPEG, PNG or WebP image.", field)
    return cleaned(data, box, f"'{name}'", field), "image/jpeg", "jpg"


def cleaned(data: bytes, box: tuple[int, int], name: str, field: str) -> bytes:
    """The photo upright within `box`, written as a new JPEG from its pixels alone: no EXIF (a phone's records
    where it was taken), comment, XMP, ICC profile or text chunk of the upload survives. Its size is read from
    the header and bounded before any pixel is decoded."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.draft("RGB", (max(box), max(box)))   # a JPEG decodes at a reduced scale, still large enough
            if image.width * image.height > MOST_PIXELS:
                raise _too_many_pixels(name, field, image.size)
            turned = image.getexif().get(ExifTags.Base.Orientation) in (5, 6, 7, 8)   # shown a quarter turned
            image.thumbnail(box[::-1] if turned else box)   # shrunk before turning and converting copy it
            upright = ImageOps.exif_transpose(image).convert("RGB")
    except Image.DecompressionBombError:   # Pillow's own bound, far above ours, met while reading the header
        raise _too_many_pixels(name, field, None) from None
    except (OSError, ValueError, SyntaxError):
        raise Refusal(f"{name} could not be read as an image.", field) from None
    fresh = Image.new("RGB", upright.size)
    fresh.paste(upright)
    out = io.BytesIO()
    fresh.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def _too_many_pixels(name: str, field: str, size: tuple[int, int] | None) -> Refusal:
    declared = f" ({size[0]} x {size[1]})" if size else ""
    return Refusal(f"{name} has too many pixels{declared}: at most {MOST_PIXELS:,} are decoded.", field)


def keep(collection: list, photos: list[tuple[bytes, str, str]], row: Callable[..., Row]) -> list[Row]:
    """Store each photo, add its row (`row(stored_name=, content_type=, size=)`) to `collection`, then commit
    them with the caller's changes; nothing is kept if any step fails (StoreUnavailable if the store does not
    answer).

    Objects first, rows after: a row never names a missing object. If storing a later one or the commit fails,
    the objects already stored are deleted again; only a process killed in between leaves objects no row names,
    which nobody can see."""
    store, added, keys = object_store(), [], []
    try:
        for data, content_type, ext in photos:
            stored = f"{secrets.token_hex(16)}.{ext}"
            store.put(stored, data, content_type)
            keys.append(stored)
            added.append(row(stored_name=stored, content_type=content_type, size=len(data)))
        collection.extend(added)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key in keys:
            _delete_quietly(store, key)
        raise
    return added


def discard(stored_names: list[str]) -> None:
    """Delete the objects of rows already deleted and committed; one the store does not delete is only an
    orphan nobody can see (logged)."""
    store = object_store()
    for key in stored_names:
        _delete_quietly(store, key)


def _delete_quietly(store, key: str) -> None:
    try:
        store.delete(key)
    except StoreUnavailable:   # the upload's own error is the one to answer with; this one only leaves an orphan
        log.warning("photo %s stored, its row not committed, and deleting it failed", key, exc_info=True)


def stream(photo, photo_id: int) -> Response:
    """The photo's bytes (a row with stored_name, content_type, size the caller may see), or NotFound for None
    or a photo whose object is gone."""
    if photo is None:
        raise NotFound(f"Photo {photo_id} not found.")
    content = object_store().open(photo.stored_name)
    if content is None:
        raise NotFound(f"Photo {photo_id} is no longer in the store.")
    answer = send_file(content, mimetype=photo.content_type, max_age=0)
    answer.content_length = photo.size
    return answer

"""Photos in the object store: checked by their first bytes, stored under random names with their rows, and
streamed back through the app (phones may not reach the store, and no link to it leaks)."""
import logging
import secrets
from collections.abc import Callable
from typing import TypeVar

from flask import Response, send_file

from app.storage import StoreUnavailable, object_store
from app.web.extensions import db
from app.web.refusals import NotFound, Refusal

MAX_BYTES = 5 * 1024 * 1024
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


def read_photo(upload, field: str = "photos") -> tuple[bytes, str, str]:
    """The upload's bytes with its content type and extension; a Refusal naming `field` if too big or not a
    photo."""
    data = upload.stream.read(MAX_BYTES + 1)
    name = upload.filename or "photo"
    if len(data) > MAX_BYTES:
        raise Refusal(f"'{name}' is larger than {MAX_BYTES // (1024 * 1024)} MB.", field)
    kind = sniff(data[:16])
    if kind is None:
        raise Refusal(f"'{name}' is not a JPEG, PNG or WebP image.", field)
    return data, *kind


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

"""Photos on a request: checked by their first bytes, kept in the object store (app/storage.py) under random names."""
import logging
import secrets
from typing import BinaryIO

from flask import Response, send_file

from app.models import RequestPhoto, ServiceRequest
from app.storage import StoreUnavailable, object_store
from app.web.extensions import db
from app.web.refusals import NotFound, Refusal

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_REQUEST = 6
log = logging.getLogger(__name__)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's magic bytes; None unless JPEG, PNG or WebP."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def read_photo(upload) -> tuple[bytes, str, str]:
    """The upload's bytes with its content type and extension; a Refusal if too big or not a photo."""
    data = upload.stream.read(MAX_BYTES + 1)
    name = upload.filename or "photo"
    if len(data) > MAX_BYTES:
        raise Refusal(f"'{name}' is larger than {MAX_BYTES // (1024 * 1024)} MB.", "photos")
    kind = sniff(data[:16])
    if kind is None:
        raise Refusal(f"'{name}' is not a JPEG, PNG or WebP image.", "photos")
    return data, *kind


def add_photos(req: ServiceRequest, uploads: list) -> list[RequestPhoto]:
    """Check every upload, store each, then commit their rows with the caller's changes; nothing is kept if any
    step fails (StoreUnavailable if the store does not answer).

    Objects first, rows after: a row never names a missing object. If storing a later one or the commit fails,
    the objects already stored are deleted again; only a process killed in between leaves objects no row names,
    which nobody can see."""
    if len(req.photos) + len(uploads) > MAX_PER_REQUEST:
        raise Refusal(f"at most {MAX_PER_REQUEST} per request; it has {len(req.photos)} already.", "photos")
    checked = [read_photo(upload) for upload in uploads]
    store, added = object_store(), []
    try:
        for data, content_type, ext in checked:
            stored = f"{secrets.token_hex(16)}.{ext}"
            store.put(stored, data, content_type)
            added.append(RequestPhoto(stored_name=stored, content_type=content_type, size=len(data)))
        req.photos.extend(added)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for photo in added:
            _delete_quietly(store, photo.stored_name)
        raise
    return added


def _delete_quietly(store, key: str) -> None:
    try:
        store.delete(key)
    except StoreUnavailable:   # the upload's own error is the one to answer with; this one only leaves an orphan
        log.warning("photo %s stored, its row not committed, and deleting it failed", key, exc_info=True)


def open_photo(photo: RequestPhoto) -> BinaryIO | None:
    """The photo's bytes to stream, None if its object is gone."""
    return object_store().open(photo.stored_name)


def photo_answer(req: ServiceRequest, photo_id: int) -> Response:
    """The photo `photo_id` of `req` (a request the caller may see), streamed through the app after the scope
    check: phones may not reach the store, and no link to it leaks. NotFound if it is not one of req's."""
    photo = next((p for p in req.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound(f"Photo {photo_id} not found.")
    content = open_photo(photo)
    if content is None:
        raise NotFound(f"Photo {photo_id} is no longer in the store.")
    answer = send_file(content, mimetype=photo.content_type, max_age=0)
    answer.content_length = photo.size
    return answer

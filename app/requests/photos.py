"""Photos on a request: up to six, kept in the object store (app/storage/photos.py)."""
from flask import Response

from app.models import RequestPhoto, ServiceRequest
from app.storage.photos import keep, read_photo, stream
from app.web.refusals import Refusal

MAX_PER_REQUEST = 6


def add_photos(req: ServiceRequest, uploads: list) -> list[RequestPhoto]:
    """Check every upload, store each, then commit their rows with the caller's changes; nothing is kept if any
    step fails."""
    if len(req.photos) + len(uploads) > MAX_PER_REQUEST:
        raise Refusal(f"at most {MAX_PER_REQUEST} per request; it has {len(req.photos)} already.", "photos")
    return keep(req.photos, [read_photo(upload) for upload in uploads], RequestPhoto)


def photo_answer(req: ServiceRequest, photo_id: int) -> Response:
    """The photo `photo_id` of `req` (a request the caller may see), streamed after the scope check; NotFound if
    it is not one of req's."""
    return stream(next((p for p in req.photos if p.id == photo_id), None), photo_id)

"""Photos on a request: checked by their first bytes, stored on disk under random names."""
import os
import secrets
from pathlib import Path

from flask import current_app

from app.extensions import db
from app.models import RequestPhoto, ServiceRequest

MAX_BYTES = 5 * 1024 * 1024
MAX_PER_REQUEST = 6


class PhotoError(ValueError):
    """An upload that is not an acceptable photo; the message names the file."""


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) from the file's magic bytes; None unless JPEG, PNG or WebP."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None


def upload_dir() -> Path:
    path = Path(current_app.config.get("UPLOAD_DIR") or os.path.join(current_app.instance_path, "uploads"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_photo(upload) -> tuple[bytes, str, str]:
    """The upload's bytes with its content type and extension; PhotoError if too big or not a photo."""
    data = upload.stream.read(MAX_BYTES + 1)
    name = upload.filename or "photo"
    if len(data) > MAX_BYTES:
        raise PhotoError(f"photos: '{name}' is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    kind = sniff(data[:16])
    if kind is None:
        raise PhotoError(f"photos: '{name}' is not a JPEG, PNG or WebP image.")
    return data, *kind


def add_photos(req: ServiceRequest, uploads: list) -> list[RequestPhoto]:
    """Check every upload, then write them; nothing is kept if any is refused. The caller commits."""
    if len(req.photos) + len(uploads) > MAX_PER_REQUEST:
        raise PhotoError(f"photos: at most {MAX_PER_REQUEST} per request; it has {len(req.photos)} already.")
    checked = [read_photo(upload) for upload in uploads]
    folder, added = upload_dir(), []
    for data, content_type, ext in checked:
        stored = f"{secrets.token_hex(16)}.{ext}"
        (folder / stored).write_bytes(data)
        added.append(RequestPhoto(stored_name=stored, content_type=content_type, size=len(data)))
    req.photos.extend(added)
    db.session.flush()
    return added


def photo_path(photo: RequestPhoto) -> Path:
    return upload_dir() / photo.stored_name

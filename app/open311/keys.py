"""Open311 API keys: issued to a community's partner system, stored as SHA-256, revocable."""
import secrets

from sqlalchemy import select

from app.clock import utcnow
from app.models import Community, Open311Key
from app.models.base import secret_digest as _digest
from app.web.extensions import db


def issue_key(community_id: int, label: str) -> tuple[str, Open311Key]:
    """A new key (shown to the admin once) and its row; the caller commits."""
    key = "o311_" + secrets.token_urlsafe(24)
    row = Open311Key(community_id=community_id, key_hash=_digest(key), label=label)
    db.session.add(row)
    db.session.flush()
    return key, row


def community_for_key(key: str | None) -> Community | None:
    """The community a live key belongs to, or None."""
    if not key:
        return None
    row = db.session.scalar(select(Open311Key).where(
        Open311Key.key_hash == _digest(key), Open311Key.revoked_at.is_(None)))
    return row.community if row else None


def revoke_key(row: Open311Key) -> None:
    row.revoked_at = row.revoked_at or utcnow()

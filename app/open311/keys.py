"""Open311 API keys: issued to a community's partner system, stored as SHA-256, revocable."""
import secrets
from collections.abc import Sequence

from sqlalchemy import select

from app.auth.principal import Principal
from app.clock import utcnow
from app.models import Community, Open311Key
from app.models.base import secret_digest as _digest
from app.privacy.audit import SYSTEM, record
from app.web.extensions import db
from app.web.refusals import NotFound

PREFIX = "o311_"


def issue_key(community_id: int, label: str, by: Principal = SYSTEM) -> tuple[str, Open311Key]:
    """A new key (shown to the admin once) and its row, audited (a partner system may now file and read the
    community's requests); the caller commits."""
    key = PREFIX + secrets.token_urlsafe(24)
    row = Open311Key(community_id=community_id, key_hash=_digest(key), label=label, hint=key[-4:])
    db.session.add(row)
    db.session.flush()
    record(by, "issue_key", "open311_key", row.id, community_id=community_id)
    return key, row


def community_for_key(key: str | None) -> Community | None:
    """The community a live key belongs to, or None."""
    if not key:
        return None
    row = db.session.scalar(select(Open311Key).where(
        Open311Key.key_hash == _digest(key), Open311Key.revoked_at.is_(None)))
    return row.community if row else None


def keys_of(community_id: int) -> Sequence[Open311Key]:
    """The community's keys, live and revoked, oldest first."""
    return db.session.scalars(select(Open311Key).where(Open311Key.community_id == community_id)
                              .order_by(Open311Key.id)).all()


def own_key(community_id: int, key_id: int) -> Open311Key:
    """A key of the admin's own community; NotFound for any other."""
    row = db.session.scalar(select(Open311Key).where(Open311Key.id == key_id, Open311Key.community_id == community_id))
    if row is None:
        raise NotFound(f"Key {key_id} not found.", zh="未找到该密钥。")
    return row


def masked(row: Open311Key) -> str:
    """The key as a list shows it: its prefix and last four characters (unknown for keys older than hints)."""
    return f"{PREFIX}…{row.hint or '????'}"


def revoke_key(row: Open311Key, by: Principal = SYSTEM) -> None:
    """Revoke a key (audited the first time; revoking it again changes nothing)."""
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        record(by, "revoke_key", "open311_key", row.id, community_id=row.community_id)

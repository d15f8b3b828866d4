"""Issue and resolve bearer tokens; only their SHA-256 is stored."""
import hashlib
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import ApiToken
from app.models.base import as_utc


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(*, staff=None, wechat=None) -> tuple[str, datetime]:
    """Create a token for a staff account or a WeChat identity; the caller commits."""
    token = secrets.token_urlsafe(32)
    expires = datetime.now(timezone.utc) + timedelta(hours=current_app.config["TOKEN_TTL_HOURS"])
    db.session.add(ApiToken(token_hash=_digest(token), staff=staff, wechat=wechat, expires_at=expires))
    return token, expires


def find_token(token: str):
    """The live ApiToken row for a presented token, or None."""
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token)))
    if row is None:
        return None
    return row if as_utc(row.expires_at) > datetime.now(timezone.utc) else None


def revoke_token(token: str) -> None:
    row = find_token(token)
    if row is not None:
        db.session.delete(row)

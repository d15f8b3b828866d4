"""Issue and revoke bearer tokens; only their SHA-256 is stored (whom a token stands for: app/auth/principal.py)."""
import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, insert

from app.clock import utcnow
from app.models import ApiToken
from app.models.base import secret_digest as _digest
from app.models.people import api_token_table
from app.web.extensions import db


def issue_token(*, staff_id: int | None = None, wechat_id: int | None = None,
                hours: int | None = None) -> tuple[str, datetime]:
    """Create a token for a staff account or a WeChat identity, for `hours` (TOKEN_TTL_HOURS unless given);
    the caller commits."""
    token = secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(hours=hours or current_app.config["TOKEN_TTL_HOURS"])
    db.session.execute(_INSERT, {"token_hash": _digest(token), "staff_id": staff_id, "wechat_id": wechat_id,
                                 "expires_at": expires})
    return token, expires


# A Core INSERT, for speed (every sign-in runs it): nothing reads the new row back, and adding an ApiToken to
# the session costs a unit-of-work flush.
_INSERT = insert(api_token_table).inline()


def revoke_token(token: str) -> None:
    """End a token (the owner's sign-in, a console session); the caller commits. Whoever a token stands for is
    app/auth/principal.py's to say (principal_for_token)."""
    db.session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))

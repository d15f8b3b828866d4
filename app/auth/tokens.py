"""Issue and resolve bearer tokens; only their SHA-256 is stored."""
import secrets
from datetime import datetime, timedelta
from typing import cast

from flask import current_app
from sqlalchemy import Table, bindparam, insert, select
from sqlalchemy.orm import joinedload

from app.clock import as_utc, utcnow
from app.models import ApiToken, WeChatIdentity
from app.models.base import secret_digest as _digest
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
_INSERT = insert(cast(Table, ApiToken.__table__)).inline()


def find_token(token: str):
    """The live ApiToken row for a presented token, or None.

    Whoever the token stands for comes in the same query (the staff account, or the WeChat identity with its
    member record): every signed-in request reads them. Further relations load when used; more joins here
    cost more to plan than the round trips they save."""
    row = db.session.scalar(_BY_DIGEST, {"digest": _digest(token)})
    if row is None:
        return None
    return row if as_utc(row.expires_at) > utcnow() else None


# Built once: every signed-in request runs it.
_BY_DIGEST = select(ApiToken).where(ApiToken.token_hash == bindparam("digest")).options(
    joinedload(ApiToken.staff), joinedload(ApiToken.wechat).joinedload(WeChatIdentity.resident))


def revoke_token(token: str) -> None:
    row = find_token(token)
    if row is not None:
        db.session.delete(row)

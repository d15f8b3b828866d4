"""WeChat identities: sign-in by wx.login code, staff binding by invite code, and the user's phone."""
import secrets
from datetime import datetime, timedelta

from sqlalchemy import DateTime, Row, bindparam, select, text, update

from app.auth.principal import Principal, wechat_role
from app.clock import as_utc, utcnow
from app.models import Role, Staff, StaffInvite, WeChatIdentity
from app.models.base import secret_digest
from app.privacy.audit import record
from app.privacy.sealed_fields import id_cipher
from app.web.extensions import db

INVITE_DAYS = 7
_INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O or 1/I/L: read aloud, typed on a phone


def _digest(code: str) -> str:
    return secret_digest(code.strip().upper())


def identity_for(openid: str, unionid: str | None, session_key: str) -> Row:
    """The identity of this openid (created on first sign-in) now holding the latest session key: its id,
    staff_id and resident_id."""
    values = {"openid": openid, "unionid": unionid or None, "now": utcnow(),
              "session_key": id_cipher().encrypt(session_key)}
    return db.session.execute(_UPDATE, values).first() or db.session.execute(_UPSERT, values).one()


# One statement for a returning user, two for a new one, for speed (every sign-in runs them). A returning user
# is updated first: an INSERT ... ON CONFLICT takes a new id from the sequence even when it updates, which every
# sign-in would burn. ON CONFLICT settles a double tap's two first sign-ins racing to create the identity.
# Written out because SQLAlchemy compiles an ON CONFLICT insert anew on every run (it caches none); PostgreSQL
# and SQLite both take them.
_UPDATE = text(
    "UPDATE wechat_identity SET session_key_sealed = :session_key, unionid = coalesce(:unionid, unionid)"
    " WHERE openid = :openid RETURNING id, staff_id, resident_id")
_UPSERT = text(
    "INSERT INTO wechat_identity (openid, unionid, session_key_sealed, created_at)"
    " VALUES (:openid, :unionid, :session_key, :now)"
    " ON CONFLICT (openid) DO UPDATE SET session_key_sealed = excluded.session_key_sealed,"
    " unionid = coalesce(excluded.unionid, wechat_identity.unionid)"
    " RETURNING id, staff_id, resident_id"
).bindparams(bindparam("now", type_=DateTime(timezone=True)))


def role_of(identity: Row) -> Role | None:
    """wechat_role of a sign-in's identity row; the identity loads only when linked to anyone (else no role)."""
    if identity.staff_id is None and identity.resident_id is None:
        return None
    return wechat_role(db.session.get_one(WeChatIdentity, identity.id))


def session_key_of(identity: WeChatIdentity) -> str | None:
    return id_cipher().decrypt(identity.session_key_sealed) if identity.session_key_sealed else None


def new_invite(staff: Staff, by: Principal) -> tuple[str, datetime]:
    """A fresh single-use invite code for `staff`, audited; the caller commits. Only its hash is stored."""
    record(by, "invite", "staff", staff.id)
    code = "".join(secrets.choice(_INVITE_ALPHABET) for _ in range(10))
    expires = utcnow() + timedelta(days=INVITE_DAYS)
    db.session.add(StaffInvite(staff=staff, code_hash=_digest(code), expires_at=expires))
    return code, expires


def redeem_invite(identity: WeChatIdentity, code: str) -> Staff | None:
    """Bind the identity to the invite's staff account; None if the code is unknown, used or expired."""
    now = utcnow()
    invite = db.session.scalar(select(StaffInvite).where(StaffInvite.code_hash == _digest(code)))
    if invite is None or invite.used_at is not None or as_utc(invite.expires_at) <= now:
        return None
    # A conditional update, so two phones racing with one code cannot both win.
    claimed = db.session.execute(update(StaffInvite).where(  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        StaffInvite.id == invite.id, StaffInvite.used_at.is_(None)).values(used_at=now)).rowcount
    if claimed != 1:
        return None
    previous = db.session.scalar(select(WeChatIdentity).where(WeChatIdentity.staff_id == invite.staff_id))
    if previous is not None and previous is not identity:
        previous.staff_id = None  # a staff member's new phone replaces the old one
        db.session.flush()
    identity.staff_id = invite.staff_id
    return invite.staff

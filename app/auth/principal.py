"""The principal behind a request and the decorator that demands one.

The one rule of who counts as a household's member: a WeChat user whose own registration nobody has confirmed
yet is a REGISTRANT, not a RESIDENT. Anyone who scans a door may register, so a registrant sees and does
nothing of the house but their own registration: views admit them only where they name Role.REGISTRANT (or
admit unlinked WeChat users), and every scope, keyed on Role.RESIDENT, gives them nothing.
"""
from collections.abc import Sequence
from dataclasses import dataclass
from functools import wraps

from flask import g, request
from flask_smorest import abort
from sqlalchemy import bindparam, func, inspect, select
from sqlalchemy.engine import Row

from app.clock import as_utc, utcnow
from app.models import ApiToken, Household, Resident, Role, Staff, WeChatIdentity
from app.models.base import secret_digest
from app.models.people import MEMBER_ROLES, STAFF_ROLES
from app.web.extensions import adopt_as_loaded, db


@dataclass
class Principal:
    role: Role | None          # None: a WeChat user not yet linked to anyone
    staff: Staff | None = None
    wechat: WeChatIdentity | None = None

    @property
    def member(self) -> Resident | None:
        """The caller's own member record, confirmed (a resident's) or not (a registrant's)."""
        return self.wechat.resident if self.wechat and self.role in MEMBER_ROLES else None

    @property
    def resident(self) -> Resident | None:
        """The caller's member record once confirmed: only then are they one of the household."""
        return self.member if self.role is Role.RESIDENT else None

    @property
    def community_id(self) -> int | None:
        if self.staff:
            return self.staff.community_id
        return self.member.household.community_id if self.member else None

    # The ids of the staff account, the WeChat identity and the member record's house: what scopes and keys need,
    # which a TokenPrincipal knows without making the objects.
    @property
    def staff_id(self) -> int | None:
        return self.staff.id if self.staff else None

    @property
    def wechat_id(self) -> int | None:
        return self.wechat.id if self.wechat else None

    @property
    def household_id(self) -> int | None:
        """The house of the caller's member record (a resident's or a registrant's)."""
        return self.member.household_id if self.member else None


class TokenPrincipal(Principal):
    """The principal of a bearer token, made from the row of its owner (_BY_DIGEST): the role, the ids and the
    community cost nothing more; the staff account and WeChat identity become the session's objects when first
    touched, made from the row's columns with no statement, and the member record loads when first touched."""

    def __init__(self, role: Role | None, row: Row, staff: bool, wechat: bool):
        self.role, self._row, self._has_staff, self._has_wechat = role, row, staff, wechat
        self._staff: Staff | None = None
        self._wechat: WeChatIdentity | None = None

    @property
    def staff(self) -> Staff | None:  # type: ignore[override]   # a field of Principal, read-only here
        if self._staff is None and self._has_staff:
            self._staff = _in_session(Staff, self._row[_STAFF_AT])
        return self._staff

    @property
    def wechat(self) -> WeChatIdentity | None:  # type: ignore[override]
        if self._wechat is None and self._has_wechat:
            self._wechat = _in_session(WeChatIdentity, self._row[_WECHAT_AT])
        return self._wechat

    @property
    def community_id(self) -> int | None:
        if self._has_staff:
            return self._row.staff_community_id
        return self._row.member_community_id if self.role in MEMBER_ROLES else None

    @property
    def staff_id(self) -> int | None:
        return self._row.staff_id if self._has_staff else None

    @property
    def wechat_id(self) -> int | None:
        return self._row.wechat_id if self._has_wechat else None

    @property
    def household_id(self) -> int | None:
        return self._row.member_household_id if self.role in MEMBER_ROLES else None


def principal_from_request() -> Principal | None:
    """Whoever the request's bearer token stands for, or None; looked up once per request (the rate limits,
    the Idempotency-Key check and the view all ask)."""
    header = request.headers.get("Authorization", "")
    known = request.environ.get(_ENVIRON_KEY)
    if known is not None and known[0] == header:
        return known[1]
    scheme, _, token = header.partition(" ")
    principal = principal_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    request.environ[_ENVIRON_KEY] = (header, principal)
    return principal


_ENVIRON_KEY = "jiashu.principal"


def principal_for_token(token: str) -> Principal | None:
    """Whoever a live bearer token stands for: an active staff account, or a WeChat user (whose role
    wechat_role gives); None for an unknown or expired token or an inactive account."""
    row = db.session.execute(_BY_DIGEST, {"digest": secret_digest(token)}).first()
    if row is None or as_utc(row.expires_at) <= utcnow():
        return None
    if row.token_staff_id is not None:
        return TokenPrincipal(row.staff_role, row, staff=True, wechat=False) if row.staff_active else None
    role = _role(row.staff_role, row.staff_active, row.member_confirmed)
    return TokenPrincipal(role, row, staff=role in STAFF_ROLES, wechat=True)


def wechat_role(wechat: WeChatIdentity) -> Role | None:
    """An active staff account's role if bound to one; else RESIDENT once the user's own member record is
    confirmed, REGISTRANT while it waits, None before they register."""
    staff, member = wechat.staff, wechat.resident
    return _role(staff.role if staff else None, staff.active if staff else None,
                 member.confirmed if member else None)


def _role(staff_role: Role | None, staff_active: bool | None, member_confirmed: bool | None) -> Role | None:
    """wechat_role, from the values it reads (None: no such staff account or member record)."""
    if staff_role is not None and staff_active:
        return staff_role
    if member_confirmed is None:
        return None
    return Role.RESIDENT if member_confirmed else Role.REGISTRANT


def _columns(model, prefix: str) -> list:
    """Every column of `model`'s table, labelled `prefix` + its attribute's name, in the mapper's order."""
    return [attr.columns[0].label(prefix + attr.key) for attr in inspect(model).column_attrs]


def _in_session(model, values: Sequence):
    """The session's `model` object with these column values (in the mapper's order): the one the session
    holds already, as a query would give, else one made from them as if loaded, with no statement."""
    known = db.session().identity_map.get(inspect(model).identity_key_from_primary_key([values[0]]))
    if known is not None:
        return known
    return adopt_as_loaded(model(**dict(zip(inspect(model).column_attrs.keys(), values))))


# A token's owner in one statement through SQLAlchemy Core, narrow for speed: every signed-in request runs it,
# and the ORM's joined load of the token, the staff account, the WeChat identity and its member record was a
# third of the calls of /api/auth/me (psycopg and the ORM work per column of a result). The staff account
# (the token's own, or the WeChat user's) and the WeChat identity come whole, to be made into ORM objects;
# of the member record only what the role and the scopes need.
_token, _staff, _wechat = ApiToken.__table__, Staff.__table__, WeChatIdentity.__table__
_member, _house = Resident.__table__, Household.__table__
_STAFF_COLUMNS, _WECHAT_COLUMNS = _columns(Staff, "staff_"), _columns(WeChatIdentity, "wechat_")
_HEAD = (_token.c.expires_at, _token.c.staff_id.label("token_staff_id"), _member.c.confirmed.label("member_confirmed"),
         _member.c.household_id.label("member_household_id"), _house.c.community_id.label("member_community_id"))
_STAFF_AT = slice(len(_HEAD), len(_HEAD) + len(_STAFF_COLUMNS))
_WECHAT_AT = slice(_STAFF_AT.stop, _STAFF_AT.stop + len(_WECHAT_COLUMNS))
_BY_DIGEST = (
    select(*_HEAD, *_STAFF_COLUMNS, *_WECHAT_COLUMNS)
    .select_from(_token.outerjoin(_wechat, _wechat.c.id == _token.c.wechat_id)
                 .outerjoin(_staff, _staff.c.id == func.coalesce(_token.c.staff_id, _wechat.c.staff_id))
                 .outerjoin(_member, _member.c.id == _wechat.c.resident_id)
                 .outerjoin(_house, _house.c.id == _member.c.household_id))
    .where(_token.c.token_hash == bindparam("digest")))


# Why a WeChat user who is no household's confirmed member is refused where a view does not admit them.
NOT_A_MEMBER = {None: "This WeChat user is not registered in a household yet.",
                Role.REGISTRANT: "Your registration is waiting for the household head or the grid head to confirm "
                                 "it; until then you see only your own registration."}


def login_required(*roles: Role, allow_unlinked: bool = False):
    """Demand a valid token (401) whose role is one of `roles` (403); empty `roles` means any staff role or
    a resident. A WeChat user unlinked or only registered (a registrant) passes where `allow_unlinked` says
    any WeChat user may, or (a registrant) where `roles` names Role.REGISTRANT."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = principal_from_request()
            if principal is None:
                abort(401, message="A valid bearer token is required.",
                      headers={"WWW-Authenticate": "Bearer"})
            role = principal.role
            if role in NOT_A_MEMBER:
                if not allow_unlinked and role not in roles:
                    abort(403, message=NOT_A_MEMBER[role])
            elif roles and role not in roles:
                abort(403, message=f"Role '{role.value}' may not do this.")
            g.principal = principal
            return view(*args, **kwargs)

        return wrapper

    return decorator


def current_principal() -> Principal:
    return g.principal


def current_staff() -> Staff:
    """The caller's staff account, in a view that admits staff roles only: every staff role's principal has one."""
    staff = current_principal().staff
    if staff is None:
        raise RuntimeError("a staff-only view was reached by a principal without a staff account")
    return staff


def current_member() -> Resident:
    """The caller's own member record, in a view that admits residents and registrants only."""
    member = current_principal().member
    if member is None:
        raise RuntimeError("a members-only view was reached by a principal without a member record")
    return member


def staff_of(p: Principal) -> Staff:
    """The caller's staff account, in code that views admitting staff only call."""
    assert p.staff is not None, "a view for staff admits staff only"
    return p.staff


def wechat_of(p: Principal) -> WeChatIdentity:
    """The caller's WeChat sign-in, in code only WeChat users reach (a resident, a scan in WeChat)."""
    assert p.wechat is not None, "only a WeChat user gets here"
    return p.wechat

"""The principal behind a request and the decorator that demands one.

The one rule of who counts as a household's member: a WeChat user whose own registration nobody has confirmed
yet is a REGISTRANT, not a RESIDENT. Anyone who scans a door may register, so a registrant sees and does
nothing of the house but their own registration: views admit them only where they name Role.REGISTRANT (or
admit unlinked WeChat users), and every scope, keyed on Role.RESIDENT, gives them nothing.
"""
from dataclasses import dataclass
from functools import wraps

from flask import g, request
from flask_smorest import abort

from app.auth.tokens import find_token
from app.models import Resident, Role, Staff, WeChatIdentity
from app.models.people import MEMBER_ROLES, STAFF_ROLES


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


def principal_from_request() -> Principal | None:
    """Whoever the request's bearer token stands for, or None; looked up once per request (the rate limits,
    the Idempotency-Key check and the view all ask)."""
    header = request.headers.get("Authorization", "")
    known = request.environ.get(_ENVIRON_KEY)
    if known is not None and known[0] == header:
        return known[1]
    principal = _principal_for(header)
    request.environ[_ENVIRON_KEY] = (header, principal)
    return principal


_ENVIRON_KEY = "jiashu.principal"


def _principal_for(header: str) -> Principal | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    row = find_token(token.strip())
    if row is None:
        return None
    if row.staff is not None:
        return Principal(role=row.staff.role, staff=row.staff) if row.staff.active else None
    wechat = row.wechat
    role = wechat_role(wechat)
    return Principal(role=role, staff=wechat.staff if role in STAFF_ROLES else None, wechat=wechat)


def wechat_role(wechat: WeChatIdentity) -> Role | None:
    """An active staff account's role if bound to one; else RESIDENT once the user's own member record is
    confirmed, REGISTRANT while it waits, None before they register."""
    if wechat.staff is not None and wechat.staff.active:
        return wechat.staff.role
    if wechat.resident is None:
        return None
    return Role.RESIDENT if wechat.resident.confirmed else Role.REGISTRANT


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

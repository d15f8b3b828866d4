"""The principal behind a request and the decorator that demands one."""
from dataclasses import dataclass
from functools import wraps
from typing import Optional

from flask import g, request
from flask_smorest import abort

from app.auth.tokens import find_token
from app.models import Resident, Role, Staff, WeChatIdentity


@dataclass
class Principal:
    role: Optional[Role]          # None: a WeChat user not yet linked to anyone
    staff: Optional[Staff] = None
    wechat: Optional[WeChatIdentity] = None

    @property
    def resident(self) -> Optional[Resident]:
        return self.wechat.resident if self.wechat and self.role is Role.RESIDENT else None

    @property
    def community_id(self) -> Optional[int]:
        if self.staff:
            return self.staff.community_id
        return self.resident.household.community_id if self.resident else None


def principal_from_request() -> Optional[Principal]:
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


def _principal_for(header: str) -> Optional[Principal]:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    row = find_token(token.strip())
    if row is None:
        return None
    if row.staff is not None:
        return Principal(role=row.staff.role, staff=row.staff) if row.staff.active else None
    wechat = row.wechat
    if wechat.staff is not None and wechat.staff.active:
        return Principal(role=wechat.staff.role, staff=wechat.staff, wechat=wechat)
    return Principal(role=Role.RESIDENT if wechat.resident else None, wechat=wechat)


def login_required(*roles: Role, allow_unlinked: bool = False):
    """Demand a valid token (401) whose role is one of `roles` (403); empty `roles` means any role."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            principal = principal_from_request()
            if principal is None:
                abort(401, message="A valid bearer token is required.",
                      headers={"WWW-Authenticate": "Bearer"})
            if principal.role is None and not allow_unlinked:
                abort(403, message="This WeChat user is not registered in a household yet.")
            if roles and principal.role is not None and principal.role not in roles:
                abort(403, message=f"Role '{principal.role.value}' may not do this.")
            g.principal = principal
            return view(*args, **kwargs)

        return wrapper

    return decorator


def current_principal() -> Principal:
    return g.principal

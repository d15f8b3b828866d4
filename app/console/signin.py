"""Who is signed in to the console: a staff sign-in (by password, or by a scanned code: app/console/scan.py) kept
in the session, idle expiry, the page guard.

The session cookie (signed, HttpOnly, SameSite=Lax, Secure in production: config.py) carries a random token whose
digest is an ApiToken row, as the API's bearer tokens are: the sign-in lives in the database, so signing out, a
deactivated account or the end of CONSOLE_SESSION_HOURS ends it everywhere, and the principal found is the API's
own Principal, under which every scope (app/auth/access.py, app/requests/scope.py) applies unchanged. The time of
the last page is kept in the cookie; past CONSOLE_IDLE_MINUTES the sign-in is revoked.
"""
import time
from functools import wraps

from flask import current_app, flash, g, redirect, request, session, url_for
from sqlalchemy import select

from app.auth.principal import Principal, principal_for_token
from app.auth.tokens import issue_token, revoke_token
from app.models import Role, Staff
from app.web.extensions import db
from app.web.refusals import Forbidden

_TOKEN, _SEEN = "token", "seen"


def sign_in(username: str, password: str) -> Staff | None:
    """Start a session for the active staff account with this password; None if there is none. The caller commits."""
    staff = db.session.scalar(select(Staff).where(Staff.username == username))
    if staff is None or not staff.active or not staff.check_password(password):
        return None
    start_session(staff)
    return staff


def start_session(staff: Staff) -> None:
    """Sign this browser in as `staff` (a password checked, or a scanned code confirmed); the caller commits."""
    session.clear()   # nothing of the signed-out visit (its CSRF token included) carries over: no fixation
    session.permanent = True
    token, _ = issue_token(staff_id=staff.id, hours=current_app.config["CONSOLE_SESSION_HOURS"])
    session[_TOKEN], session[_SEEN] = token, int(time.time())


def sign_out() -> None:
    """End the session here and in the database; the caller commits."""
    if _TOKEN in session:
        revoke_token(session[_TOKEN])
    session.clear()


def load_principal() -> None:
    """Before every console request: g.principal from the session, or nothing (after idle expiry, nothing)."""
    for name in ("principal", "csrf_token"):   # g outlives a request in tests
        g.pop(name, None)
    token = session.get(_TOKEN)
    if token is None:
        return
    if time.time() - session.get(_SEEN, 0) > current_app.config["CONSOLE_IDLE_MINUTES"] * 60:
        sign_out()
        db.session.commit()
        flash("长时间未操作，已自动退出，请重新登录。")   # shown by the sign-in page it is sent to
        return
    principal = principal_for_token(token)
    if principal is None or principal.staff_id is None:   # the account was deactivated (or is no staff's)
        session.clear()
        return
    session[_SEEN] = int(time.time())
    g.principal = principal


def signed_in() -> Principal:
    """The staff member signed in to this page (a view behind @staff_page has one)."""
    principal = session_principal()
    if principal is None or principal.staff is None:
        raise RuntimeError("signed_in() outside a @staff_page view")
    return principal


def session_principal() -> Principal | None:
    return g.get("principal")


def staff_page(*roles: Role):
    """Demand a console sign-in (else to the sign-in page, back here after it) whose role is one of `roles`
    (else 403); no roles: any staff role."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            p = session_principal()
            if p is None:
                back = request.full_path.rstrip("?") if request.method == "GET" else None
                target = url_for("console.login", next=back)
                if request.headers.get("HX-Request"):   # htmx swaps a fragment: have it load the sign-in page
                    return "", 401, {"HX-Redirect": target}
                return redirect(target)
            if roles and p.role not in roles:
                raise Forbidden("您的角色无权使用此页面。")
            return view(*args, **kwargs)

        return wrapper

    return decorator

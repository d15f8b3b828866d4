"""Who is signed in to the console: a staff sign-in (by password, or by a scanned code: app/console/scan.py) kept
in the session, idle expiry, the page guard.

The session cookie (signed, HttpOnly, SameSite=Lax, Secure in production: config.py) carries a random secret of
the sign-in's own, whose digest is a ConsoleSession row: no bearer token, so a copied cookie opens nothing of /api.
The sign-in lives in the database: signing out, a deactivated account, the end of CONSOLE_SESSION_HOURS or
CONSOLE_IDLE_MINUTES without a page (the row keeps when it last served one) end it everywhere; the principal found
is the API's own Principal, under which every scope (app/auth/access.py, app/requests/scope.py) applies unchanged.
"""
import secrets
from datetime import timedelta
from functools import wraps

from flask import current_app, flash, g, redirect, request, session, url_for
from sqlalchemy import delete, or_, select

from app.auth.principal import Principal
from app.clock import as_utc, utcnow
from app.models import ConsoleSession, Role, Staff
from app.models.base import secret_digest
from app.web.extensions import db
from app.web.refusals import Forbidden

_SECRET = "sid"
# How stale the row's last page may get before it is written again: one write a minute, not one a page. The
# sign-in may thus end up to this much before CONSOLE_IDLE_MINUTES, never after.
SEEN_STEP = timedelta(minutes=1)


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
    now, secret = utcnow(), secrets.token_urlsafe(32)
    db.session.execute(delete(ConsoleSession).where(or_(   # sign-ins long over, which no browser ended
        ConsoleSession.expires_at <= now, ConsoleSession.seen_at <= now - _idle())))
    db.session.add(ConsoleSession(digest=secret_digest(secret), staff_id=staff.id, seen_at=now,
                                  expires_at=now + timedelta(hours=current_app.config["CONSOLE_SESSION_HOURS"])))
    session[_SECRET] = secret


def sign_out() -> None:
    """End the session here and in the database; the caller commits."""
    if _SECRET in session:
        db.session.execute(delete(ConsoleSession).where(ConsoleSession.digest == secret_digest(session[_SECRET])))
    session.clear()


def load_principal() -> None:
    """Before every console request: g.principal from the session, or nothing (after idle expiry, nothing)."""
    for name in ("principal", "csrf_token"):   # g outlives a request in tests
        g.pop(name, None)
    secret = session.get(_SECRET)
    if secret is None:
        return
    row = db.session.scalar(select(ConsoleSession).where(ConsoleSession.digest == secret_digest(secret)))
    now = utcnow()
    if row is None or as_utc(row.expires_at) <= now or not row.staff.active:
        session.clear()   # signed out elsewhere, over, or the account was deactivated
        return
    if now - as_utc(row.seen_at) > _idle():
        sign_out()
        db.session.commit()
        flash("长时间未操作，已自动退出，请重新登录。")   # shown by the sign-in page it is sent to
        return
    if now - as_utc(row.seen_at) >= SEEN_STEP:
        row.seen_at = now
        db.session.commit()
    g.principal = Principal(role=row.staff.role, staff=row.staff)


def _idle() -> timedelta:
    return timedelta(minutes=current_app.config["CONSOLE_IDLE_MINUTES"])


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

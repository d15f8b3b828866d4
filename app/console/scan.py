"""Scan-to-sign-in for the console: a browser asks for a one-time ticket and shows it as a mini-program code; a staff
member whose WeChat is bound to their account scans it and confirms in the mini-program; the browser that asked,
and only it, is then signed in.

Tickets live in the database, where every app server finds them, for TICKET_SECONDS. The browser keeps a random
nonce in a cookie of its own, the ticket only the nonce's digest. A ticket's state moves forward by conditional
UPDATEs, so of two requests racing (on any servers) one wins: pending → confirmed → consumed, or pending → cancelled.
"""
import secrets
from datetime import timedelta

from sqlalchemy import delete, update

from app.auth.principal import Principal
from app.clock import as_utc, utcnow
from app.models import SignInTicket, Staff, TicketState
from app.models.base import secret_digest
from app.privacy.audit import record
from app.web.extensions import db
from app.web.refusals import Forbidden, Gone, NotFound

TICKET_SECONDS = 120
KEEP = timedelta(days=1)   # past its time a ticket stays a day (a late phone is told 410, not 404), then goes
EXPIRED = "expired"        # what a pending or confirmed ticket past its time is (never stored)

# A user agent's marks, the first found naming it (Edge's and WeChat's also say Chrome; Android's, Linux).
_BROWSERS = (("Edg/", "Edge"), ("MicroMessenger", "微信"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Safari/", "Safari"))
_SYSTEMS = (("Windows", "Windows"), ("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"),
            ("Mac OS X", "macOS"), ("Linux", "Linux"))


def new_ticket_id() -> str:
    return secrets.token_urlsafe(16)   # 22 characters of a mini-program code's 32-character scene


def open_ticket(ticket_id: str, nonce: str, user_agent: str) -> SignInTicket:
    """A pending ticket for the browser holding `nonce`; those long expired go. The caller commits."""
    now = utcnow()
    db.session.execute(delete(SignInTicket).where(SignInTicket.expires_at < now - KEEP))
    ticket = SignInTicket(id=ticket_id, browser_digest=secret_digest(nonce), browser=rough_browser(user_agent),
                          state=TicketState.PENDING, expires_at=now + timedelta(seconds=TICKET_SECONDS))
    db.session.add(ticket)
    return ticket


def rough_browser(user_agent: str) -> str:
    """"Chrome · Windows": enough for the staff member to know the computer, nothing more."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "未知浏览器")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "未知系统")
    return f"{browser} · {system}"


def state_of(ticket: SignInTicket) -> str:
    """The ticket's state, or EXPIRED once a pending or confirmed one is past its time."""
    if ticket.state in (TicketState.PENDING, TicketState.CONFIRMED) and as_utc(ticket.expires_at) <= utcnow():
        return EXPIRED
    return ticket.state.value


# The browser's side


def browser_ticket(ticket_id: str, nonce: str | None) -> SignInTicket | None:
    """The ticket if this browser (holding `nonce`) asked for it; None for any other browser or an unknown one."""
    ticket = db.session.get(SignInTicket, ticket_id) if len(ticket_id) <= 32 else None
    if ticket is None or not nonce or not secrets.compare_digest(ticket.browser_digest, secret_digest(nonce)):
        return None
    return ticket


def consume(ticket: SignInTicket) -> Staff | None:
    """The staff member who confirmed `ticket`, once, while it lives and their account is active, audited; else
    None. The caller starts the session and commits."""
    staff, wechat = ticket.staff, ticket.wechat
    if state_of(ticket) != TicketState.CONFIRMED.value or not staff.active or \
            not _advance(ticket, TicketState.CONFIRMED, state=TicketState.CONSUMED):
        return None
    record(Principal(staff.role, staff=staff, wechat=wechat), "scan_sign_in", "staff", staff.id)
    return staff


# The phone's side


def ticket_to_answer(ticket_id: str, p: Principal) -> SignInTicket:
    """The pending ticket a staff member scanned. Refuses: unknown (404); a caller who is no WeChat user bound to
    a staff account (403); expired or answered already (410)."""
    ticket = db.session.get(SignInTicket, ticket_id) if len(ticket_id) <= 32 else None
    if ticket is None:
        raise NotFound("no such sign-in code; scan the code on the computer's screen again.", "ticket")
    if p.wechat is None or p.staff is None:
        raise Forbidden("Confirm in the mini-program, signed in with the WeChat bound to your staff account.")
    state = state_of(ticket)
    if state == EXPIRED:
        raise Gone("this sign-in code has expired; refresh it on the computer and scan again.", "ticket")
    if state != TicketState.PENDING.value:
        raise Gone(f"this sign-in code is {state} already; refresh it on the computer and scan again.", "ticket")
    return ticket


def confirm(ticket: SignInTicket, p: Principal) -> None:
    """The staff member says yes: the browser that shows `ticket` signs in as them at its next look."""
    assert p.staff is not None and p.wechat is not None, "ticket_to_answer admits WeChat-bound staff only"
    _answer(ticket, state=TicketState.CONFIRMED, staff_id=p.staff.id, wechat_id=p.wechat.id)


def cancel(ticket: SignInTicket) -> None:
    _answer(ticket, state=TicketState.CANCELLED)


def _answer(ticket: SignInTicket, **values) -> None:
    if not _advance(ticket, TicketState.PENDING, **values):   # another phone, a moment ago
        raise Gone("this sign-in code was answered a moment ago; refresh it on the computer and scan again.",
                   "ticket")


def _advance(ticket: SignInTicket, from_state: TicketState, **values) -> bool:
    """Move `ticket` on from `from_state` while it lives; False if another request moved it first."""
    moved = db.session.execute(update(SignInTicket).where(  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        SignInTicket.id == ticket.id, SignInTicket.state == from_state, SignInTicket.expires_at > utcnow())
        .values(**values).execution_options(synchronize_session=False)).rowcount
    db.session.refresh(ticket)   # as the database has it now, whoever moved it
    return moved == 1

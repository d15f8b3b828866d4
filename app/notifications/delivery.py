"""The outbox worker: claim due notifications one at a time, send each through WeChat, record the outcome.

A row is claimed by a conditional UPDATE that only one worker can win, and committed as claimed
before anything is sent: a worker killed mid-batch leaves its claimed row to be reclaimed after the
lease, and its unclaimed rows untouched. Each send's outcome is committed at once, so a restart
repeats at most the one message that was in flight.
"""
import logging
import random
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from app.clock import utcnow
from app.models import Delivery, Notification, WeChatIdentity
from app.notifications.wechat_gateway import wechat_client, wechat_configured
from app.web.extensions import db
from wechat.client import send_subscribe
from wechat.errors import NoSubscription, QuotaExceeded, WeChatError

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
MAX_ATTEMPTS = 10
BASE_DELAY, MAX_DELAY = 5.0, 3600.0
QUOTA_DELAY = 600.0


def backoff(attempts: int) -> float:
    """Exponential back-off with full jitter: up to 5 s, 10 s, 20 s … capped at an hour."""
    return random.uniform(0.5, 1.0) * min(BASE_DELAY * 2 ** (attempts - 1), MAX_DELAY)


def _due(now):
    return select(Notification.id, Notification.state, Notification.next_attempt_at).where(
        Notification.state.in_([Delivery.PENDING, Delivery.SENDING]),
        Notification.next_attempt_at <= now,
    ).order_by(Notification.next_attempt_at, Notification.id)


def _claim(row, now) -> bool:
    """Take the row if nobody else took it since we read it; committed before any send."""
    won = db.session.execute(  # type: ignore[attr-defined]  # an UPDATE's Result is a CursorResult
        update(Notification)
        .where(Notification.id == row.id, Notification.state == row.state,
               Notification.next_attempt_at == row.next_attempt_at)
        .values(state=Delivery.SENDING, next_attempt_at=now + LEASE, attempts=Notification.attempts + 1)
    ).rowcount == 1
    db.session.commit()
    return won


def _openid(note: Notification) -> str | None:
    if note.recipient_wechat is not None:
        return note.recipient_wechat.openid
    return db.session.scalar(select(WeChatIdentity.openid).where(
        WeChatIdentity.staff_id == note.recipient_staff_id))


def _message(note: Notification) -> dict:
    # One generic "事项提醒" template: what happened, a summary, when.
    return {"thing1": note.title[:20], "thing2": note.body[:20],
            "time3": note.created_at.strftime("%Y-%m-%d %H:%M")}


def template_of(kind: str) -> str:
    """The subscribe-message template a notification of `kind` is sent with."""
    return current_app.config["WECHAT_TEMPLATES"].get(kind, current_app.config["WECHAT_TEMPLATE_ID"])


def _send(note: Notification, now) -> None:
    openid = _openid(note)
    if openid is None or not wechat_configured():
        note.state, note.last_error = Delivery.INBOX_ONLY, "no WeChat recipient"
        return
    template = template_of(note.kind)
    try:
        send_subscribe(wechat_client(), openid, template, _message(note), page=note.page)
    except NoSubscription:
        note.state, note.last_error = Delivery.INBOX_ONLY, "no subscription left (43101)"
    except QuotaExceeded as exc:
        # The quota is ours, not the message's: defer without spending one of its attempts.
        note.state, note.attempts = Delivery.PENDING, note.attempts - 1
        note.next_attempt_at, note.last_error = now + timedelta(seconds=QUOTA_DELAY), str(exc)[:200]
    except WeChatError as exc:
        final = not exc.retryable or note.attempts >= MAX_ATTEMPTS
        note.state = Delivery.FAILED if final else Delivery.PENDING
        note.next_attempt_at = now + timedelta(seconds=backoff(note.attempts))
        note.last_error = str(exc)[:200]
    else:
        note.state, note.sent_at, note.last_error = Delivery.SENT, utcnow(), None


def deliver_due(limit: int = 100, now: datetime | None = None) -> dict:
    """Deliver up to `limit` due notifications; returns counts by resulting state."""
    now = now or utcnow()
    counts: dict[str, int] = {}
    for row in db.session.execute(_due(now).limit(limit)).all():
        if not _claim(row, now):
            continue
        note = db.session.get_one(Notification, row.id)   # claimed: it exists
        _send(note, now)
        db.session.commit()
        counts[note.state.value] = counts.get(note.state.value, 0) + 1
        log.info("notification %s %s after %s attempt(s)", note.id, note.state.value, note.attempts)
    return counts


"""Queue a notification in the caller's transaction; the worker delivers it through WeChat later."""
from typing import cast

from sqlalchemy import Table, insert

from app.models import Notification, Staff, WeChatIdentity
from app.web.extensions import db

# Narrow for speed: one prebuilt Core INSERT, for a hot path that has no Notification object to flush.
_QUEUE = insert(cast(Table, Notification.__table__))   # a mapped class's __table__ is typed as any FromClause


def notify(recipient: Staff | WeChatIdentity, kind: str, title: str, body: str, data: dict | None = None,
           page: str | None = None) -> Notification:
    """Add an outbox row for a Staff member or a WeChat user; it commits (or not) with the change itself."""
    row = Notification(kind=kind, title=title, body=body, data=data or {}, page=page)
    if isinstance(recipient, Staff):
        row.recipient_staff = recipient
    elif isinstance(recipient, WeChatIdentity):
        row.recipient_wechat = recipient
    else:
        raise TypeError(f"cannot notify a {type(recipient).__name__}")
    db.session.add(row)
    return row


def queue_notice(staff_id: int | None, wechat_id: int | None, kind: str, title: str, body: str, data: dict,
                 page: str | None) -> None:
    """notify() by the recipient's id, a staff member's or a WeChat user's (the other None), written at once
    without an ORM object; it commits (or not) with the change itself."""
    assert (staff_id is None) != (wechat_id is None), "one recipient"
    db.session.execute(_QUEUE, {"recipient_staff_id": staff_id, "recipient_wechat_id": wechat_id, "kind": kind,
                                "title": title, "body": body, "data": data, "page": page})

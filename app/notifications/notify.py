"""Queue a notification in the caller's transaction; the worker delivers it through WeChat later."""
from sqlalchemy import insert

from app.models import Notification, Staff, WeChatIdentity
from app.models.notifications import notification_table
from app.web.extensions import db


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


_OUTBOX = insert(notification_table)


def notify_now(kind: str, title: str, body: str, data: dict, page: str, *, staff_id: int | None = None,
               wechat_id: int | None = None) -> None:
    """notify() for a hot path, to a staff member or WeChat user by id: the same outbox row, inserted at once by
    a Core statement (an object costs the commit's flush more than the row itself)."""
    if (staff_id is None) == (wechat_id is None):
        raise TypeError("notify_now: give one of staff_id and wechat_id")
    db.session.execute(_OUTBOX, {"recipient_staff_id": staff_id, "recipient_wechat_id": wechat_id, "kind": kind,
                                 "title": title, "body": body, "data": data, "page": page})

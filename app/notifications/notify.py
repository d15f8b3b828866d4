"""Queue a notification in the caller's transaction; the worker delivers it through WeChat later."""
from app.models import Notification, Staff, WeChatIdentity
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

"""Acting on service requests as the mini-program does, and reading the outbox they fill."""
from sqlalchemy import select

from app.models import Notification
from app.web.extensions import db
from tests import factories as f


def file(client, wechat, category="safety", description="楼道灯坏了"):
    response = client.post("/api/requests", headers=f.auth(wechat),
                           json={"category": category, "description": description})
    assert response.status_code == 201, response.json
    return response.json


def act(client, who, request_id, action, **body):
    return client.post(f"/api/requests/{request_id}/events", headers=f.auth(who), json={"action": action, **body})


def notices() -> list[tuple]:
    """(recipient, kind) of every queued notification, oldest first; the recipient as its model row."""
    rows = db.session.scalars(select(Notification).order_by(Notification.id)).all()
    return [(n.recipient_staff or n.recipient_wechat, n.kind) for n in rows]

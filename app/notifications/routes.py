"""Every user's in-app inbox: the notifications addressed to them, whatever WeChat did with them."""
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import Schema, fields
from sqlalchemy import or_, select

from app.auth.principal import current_principal, login_required
from app.clock import UtcDateTime, utcnow
from app.models import Notification
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.pagination import page_of

blp = Blueprint("inbox", __name__, url_prefix="/api/inbox", description="In-app notifications")


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    body = fields.String()
    page = fields.String(allow_none=True)
    delivery = fields.Function(lambda n: n.state.value)
    created_at = UtcDateTime()
    read_at = UtcDateTime(allow_none=True)


class InboxQuerySchema(Schema):
    unread = fields.Boolean(load_default=False)


def _mine():
    p = current_principal()
    conditions = []
    if p.staff is not None:
        conditions.append(Notification.recipient_staff_id == p.staff.id)
    if p.wechat is not None:
        conditions.append(Notification.recipient_wechat_id == p.wechat.id)
    return or_(*conditions)


@blp.route("")
class Inbox(MethodView):
    @login_required(allow_unlinked=True)
    @blp.arguments(InboxQuerySchema, location="query")
    @blp.response(200, NotificationSchema(many=True))
    @blp.paginate()
    def get(self, args, pagination_parameters):
        """The caller's notifications, newest first."""
        query = select(Notification).where(_mine())
        if args["unread"]:
            query = query.where(Notification.read_at.is_(None))
        return page_of(query, pagination_parameters, Notification.id.desc())


@blp.route("/<int:notification_id>/read", methods=["POST"])
@login_required(allow_unlinked=True)
@blp.response(200, NotificationSchema)
def mark_read(notification_id):
    """Mark one of the caller's notifications read."""
    note = db.session.scalar(select(Notification).where(Notification.id == notification_id, _mine()))
    if note is None:
        abort(404, message=f"Notification {notification_id} not found.")
    note.read_at = note.read_at or utcnow()
    db.session.commit()
    return note

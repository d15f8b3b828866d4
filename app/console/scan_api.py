"""The mini-program's side of the console's scan-to-sign-in (app/console/scan.py): a staff member who scanned a
console's code sees which computer asks, and confirms or cancels it, with the WeChat bound to their account."""
from marshmallow import Schema, fields, validate

from app.auth.principal import current_principal, login_required
from app.clock import UtcDateTime
from app.console import scan
from app.models.people import STAFF_ROLES
from app.web.blueprint import Blueprint
from app.web.extensions import db

blp = Blueprint("console_login", __name__, url_prefix="/api/console-login",
                description="Scan to sign in to the staff console")
_GONE = "The code expired, or was confirmed or cancelled already; the computer shows a new one on refresh"


class ConsoleLoginSchema(Schema):
    ticket = fields.String(attribute="id", metadata={"description": "the scene of the scanned code"})
    state = fields.Function(scan.state_of, validate=validate.OneOf(
        ["pending", "confirmed", "cancelled"]), metadata={"description": "pending until answered here"})
    browser = fields.String(metadata={"description": "the computer's browser and system, roughly: "
                                                     "\"在电脑上登录家书工作台？\" (Chrome · Windows)"})
    expires_at = UtcDateTime()


@blp.route("/<ticket>")
@login_required(*STAFF_ROLES)
@blp.response(200, ConsoleLoginSchema)
@blp.alt_response(410, description=_GONE)
def show(ticket):
    """The console sign-in a scanned code asks for: which browser, until when."""
    return scan.ticket_to_answer(ticket, current_principal())


@blp.route("/<ticket>/confirm", methods=["POST"])
@login_required(*STAFF_ROLES)
@blp.response(200, ConsoleLoginSchema)
@blp.alt_response(410, description=_GONE)
def confirm(ticket):
    """Yes: the browser showing the code signs in as the caller's staff account, once, within its two minutes."""
    p = current_principal()
    row = scan.ticket_to_answer(ticket, p)
    scan.confirm(row, p)
    db.session.commit()
    return row


@blp.route("/<ticket>/cancel", methods=["POST"])
@login_required(*STAFF_ROLES)
@blp.response(200, ConsoleLoginSchema)
@blp.alt_response(410, description=_GONE)
def cancel(ticket):
    """No: the code is spent and the browser is told so."""
    row = scan.ticket_to_answer(ticket, current_principal())
    scan.cancel(row)
    db.session.commit()
    return row

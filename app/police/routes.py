"""An officer's public card, contact requests from it (the officer's queue, the sender's own list), and the
link of the officer's card."""
from flask_smorest import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.principal import current_principal, login_required
from app.codes.services import RevokedCode, UnknownCode, code_for
from app.letters.routes import _code_body, _officer_or_404
from app.letters.schemas import CodeSchema
from app.models import ContactRequest, ContactStatus, Role
from app.police.handover import hand_over
from app.police.schemas import (
    CardSchema,
    ContactAnswerSchema,
    ContactCreateSchema,
    ContactQuerySchema,
    ContactSchema,
    HandoverSchema,
    MyContactSchema,
)
from app.police.services import (
    QUEUE_ORDER,
    answer,
    card_facts,
    officer_for,
    own_contact,
    queue_of,
    send,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.limits import rate_limited
from app.web.pagination import page_of
from app.web.revalidate import revalidated_api
from app.web.validation import normalize_mobile
from qr.tokens import card_url

cards = Blueprint("cards", __name__, url_prefix="/api/cards", description="Police contact cards")
blp = Blueprint("police", __name__, url_prefix="/api",
                description="The police officer's queue and card link; a WeChat user's own contact requests")


def _officer(token, count_scan=True):
    try:
        return officer_for(token, count_scan)
    except UnknownCode:
        abort(404, message="No such card.")
    except RevokedCode:
        abort(410, message="This card was replaced by a new one; ask the officer for the current card.")


@cards.route("/<token>")
@cards.doc(security=[])
@rate_limited("RATELIMIT_SCAN")
@revalidated_api(cards)
@cards.response(200, CardSchema)
@cards.alt_response(410, description="The card was replaced by a new one; this code is no longer valid")
def card(token):
    """The officer behind a scanned card: name, title, station, phone and jurisdiction (no sign-in)."""
    facts = card_facts(_officer(token))
    db.session.commit()   # the scan count (after reading: a commit expires the officer, who would be read again)
    return facts


@cards.route("/<token>/contact-requests", methods=["POST"])
@login_required(allow_unlinked=True)
@cards.arguments(ContactCreateSchema)
@cards.response(201, ContactSchema)
@cards.alt_response(429, description="Too many requests; the Retry-After header says when to try again")
def contact(body, token):
    """Ask the officer to get in touch (any WeChat user, registered or not)."""
    p = current_principal()
    if p.wechat is None:
        abort(403, message="Contact requests are sent from WeChat.")
    try:
        phone = normalize_mobile(body.get("phone") or (p.resident.phone if p.resident else None) or "")
    except ValueError:
        abort(422, message="phone: required, a mainland mobile number the officer can call back.")
    officer = _officer(token, count_scan=False)
    row = send(officer, p.wechat, phone, body["message"], body["urgency"] == "urgent")
    db.session.commit()
    return row


@blp.route("/police/contact-requests")
@login_required(Role.POLICE)
@blp.arguments(ContactQuerySchema, location="query")
@blp.response(200, ContactSchema(many=True))
@blp.paginate()
def queue(args, pagination_parameters):
    """The officer's own contact requests: urgent first, then the longest waiting."""
    return page_of(queue_of(current_principal().staff, args["status"]), pagination_parameters, *QUEUE_ORDER)


@blp.route("/police/contact-requests/<int:contact_id>", methods=["PATCH"])
@login_required(Role.POLICE)
@blp.arguments(ContactAnswerSchema)
@blp.response(200, ContactSchema)
def mark(body, contact_id):
    """Mark one's own contact request contacted or handled, with a note; the resident is told."""
    row = own_contact(current_principal().staff, contact_id)
    answer(row, ContactStatus(body["status"]), body.get("note"))
    db.session.commit()
    return row


@blp.route("/police/contact-requests/<int:contact_id>/handover", methods=["POST"])
@login_required(Role.POLICE)
@blp.arguments(HandoverSchema)
@blp.response(201, ContactSchema)
@blp.alt_response(409, description="Handed over or handled already")
def handover(body, contact_id):
    """Hand a contact request that is not police work over to the grid: a service request for the sender's house,
    routed like any other; the sender is told. Refused (422) when the sender is no confirmed resident."""
    row = db.first_or_404(select(ContactRequest).where(
        ContactRequest.id == contact_id, ContactRequest.officer_id == current_principal().staff.id
    ).with_for_update(), description=f"Contact request {contact_id} not found.")
    hand_over(row, current_principal(), body["category"], body.get("description"))
    db.session.commit()
    return row


@blp.route("/my/contact-requests")
@login_required(allow_unlinked=True)
@blp.response(200, MyContactSchema(many=True))
@blp.paginate()
def my_contact_requests(pagination_parameters):
    """The contact requests the caller sent from WeChat, newest first, with the officer and their answer."""
    p = current_principal()
    if p.wechat is None:
        abort(403, message="Contact requests are sent from WeChat; sign in with WeChat to see yours.")
    query = select(ContactRequest).where(ContactRequest.wechat_id == p.wechat.id).options(
        selectinload(ContactRequest.officer), selectinload(ContactRequest.handover))
    return page_of(query, pagination_parameters, ContactRequest.created_at.desc(), ContactRequest.id.desc())


@blp.route("/police/<int:staff_id>/card/code")
@login_required(Role.POLICE, Role.ADMIN)
@blp.response(200, CodeSchema)
def card_code(staff_id):
    """The officer's live card link (token, URL, version, scans), read without reprinting; POST reprints."""
    code = code_for(_officer_or_404(staff_id))
    db.session.commit()   # a card never printed gets its first code
    return _code_body(code, card_url)

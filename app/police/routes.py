"""An officer's public card, residents' contact requests from it, and the officer's queue."""
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.auth.principal import current_principal, login_required
from app.codes.service import RevokedCode, UnknownCode
from app.extensions import db
from app.models import ContactRequest, ContactStatus, Resident, Role, WeChatIdentity
from app.pagination import page_of
from app.police.schemas import (
    CardSchema, ContactAnswerSchema, ContactCreateSchema, ContactQuerySchema, ContactSchema,
)
from app.police.services import ContactRefused, RateLimited, answer, jurisdiction_names, officer_for, send
from app.limits import rate_limited
from app.validation import normalize_mobile

cards = Blueprint("cards", __name__, url_prefix="/api/cards", description="Police contact cards")
blp = Blueprint("police", __name__, url_prefix="/api/police", description="The police officer's queue")


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
@cards.response(200, CardSchema)
@cards.alt_response(410, description="The card was replaced by a new one; this code is no longer valid")
def card(token):
    """The officer behind a scanned card: name, title, station, phone and jurisdiction (no sign-in)."""
    officer = _officer(token)
    db.session.commit()   # the scan count
    return {"name": officer.name, "title": officer.title, "station": officer.station,
            "phone": officer.phone, "jurisdictions": jurisdiction_names(officer)}


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
    try:
        row = send(officer, p.wechat, phone, body["message"], body["urgency"] == "urgent")
    except RateLimited as exc:
        db.session.rollback()
        abort(429, message=str(exc), headers={"Retry-After": str(exc.retry_after)})
    db.session.commit()
    return row


@blp.route("/contact-requests")
@login_required(Role.POLICE)
@blp.arguments(ContactQuerySchema, location="query")
@blp.response(200, ContactSchema(many=True))
@blp.paginate()
def queue(args, pagination_parameters):
    """The officer's own contact requests: urgent first, then the longest waiting."""
    query = select(ContactRequest).where(ContactRequest.officer_id == current_principal().staff.id).options(
        selectinload(ContactRequest.wechat).selectinload(WeChatIdentity.resident).selectinload(Resident.household))
    if args["status"] == "open":
        query = query.where(ContactRequest.status.in_([ContactStatus.PENDING, ContactStatus.CONTACTED]))
    elif args["status"] != "all":
        query = query.where(ContactRequest.status == ContactStatus(args["status"]))
    return page_of(query, pagination_parameters,
                   ContactRequest.urgent.desc(), ContactRequest.created_at, ContactRequest.id)


@blp.route("/contact-requests/<int:contact_id>", methods=["PATCH"])
@login_required(Role.POLICE)
@blp.arguments(ContactAnswerSchema)
@blp.response(200, ContactSchema)
def mark(body, contact_id):
    """Mark one's own contact request contacted or handled, with a note; the resident is told."""
    row = db.first_or_404(select(ContactRequest).where(
        ContactRequest.id == contact_id, ContactRequest.officer_id == current_principal().staff.id
    ).with_for_update(), description=f"Contact request {contact_id} not found.")
    try:
        answer(row, ContactStatus(body["status"]), body.get("note"))
    except ContactRefused as exc:
        db.session.rollback()
        abort(409, message=str(exc))
    db.session.commit()
    return row

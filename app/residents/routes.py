"""Scanning a family letter, registering a household, and residents' own view of it."""
from contextlib import contextmanager

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort
from sqlalchemy import select

from app.auth.access import household_scope
from app.auth.principal import current_member, current_principal, login_required
from app.clock import utcnow
from app.codes.services import RevokedCode, UnknownCode, resolve
from app.models import Household, Resident, Role
from app.privacy.audit import record
from app.residents import privacy_notice
from app.residents.id_numbers import reveal_id_number
from app.residents.letter_facts import scanned_letter
from app.residents.permissions import (
    check_confirms,
    may_change,
    moves_for,
    sees,
)
from app.residents.schemas import (
    ExportSchema,
    MemberChangeSchema,
    MemberSchema,
    MoveSchema,
    MyHouseholdSchema,
    PrivacyNoticeSchema,
    RegisteredSchema,
    RegistrationSchema,
    RevealedSchema,
    RevealSchema,
    ScanSchema,
)
from app.residents.services import (
    approve_move,
    confirm_member,
    refuse_move,
    register_members,
    reject_member,
    reveal_member,
    update_member,
    withdraw_member,
)
from app.web.blueprint import Blueprint
from app.web.extensions import db
from app.web.limits import rate_limited
from app.web.revalidate import revalidated_api
from app.web.transactions import commit_keeping_objects

blp = Blueprint("residents", __name__, url_prefix="/api", description="Household registration by scanning the letter")


def letter_household(token: str) -> Household:
    """The house whose letter carries `token` (not counted as a scan): 404 unknown, 410 replaced."""
    with _letter_refusals():
        code = resolve(token, count=False)
    if code.household is None:
        abort(404, message=NOT_A_LETTER)
    return code.household


NOT_A_LETTER = "This code is not a family letter."


@contextmanager
def _letter_refusals():
    """A letter's code unknown: 404; replaced: 410."""
    try:
        yield
    except UnknownCode:
        abort(404, message="No family letter has this code.")
    except RevokedCode:
        abort(410, message="This code was replaced by a reprinted letter; please scan the new letter on the door.")


def member_or_404(member_id: int) -> Resident:
    """A member within the caller's place (and, for a resident, one they may see); 404 otherwise."""
    p = current_principal()
    # A registrant reaches the records they may see (sees) in their own house only.
    scope = Household.id == p.member.household_id if p.member is not None else household_scope(p)
    member = db.session.scalar(select(Resident).join(Household, Resident.household_id == Household.id)
                               .where(Resident.id == member_id, scope))
    if member is None or (p.member is not None and not sees(p.member, member)):
        abort(404, message=f"Member {member_id} not found.")
    return member


@blp.route("/privacy-notice")
@blp.doc(security=[])
@blp.response(200, PrivacyNoticeSchema)
def privacy_notice_text():
    """The privacy notice a resident accepts (send its version as consent_version when registering)."""
    return {"version": current_app.config["PRIVACY_NOTICE_VERSION"], "text": privacy_notice.TEXT}


@blp.route("/scan/<token>")
@blp.doc(security=[])
@rate_limited("RATELIMIT_SCAN")
@revalidated_api(blp)
@blp.response(200, ScanSchema)
@blp.alt_response(410, description="The letter was reprinted; this code is no longer valid")
def scan(token):
    """What anyone scanning a door's letter may see: the house, its grid head and police officer; no residents."""
    with _letter_refusals():
        facts = scanned_letter(token)
    if facts is None:
        abort(404, message=NOT_A_LETTER)
    db.session.commit()
    return facts


@blp.route("/scan/<token>/members", methods=["POST"])
@login_required(allow_unlinked=True)
@rate_limited("RATELIMIT_REGISTRATION")
@blp.arguments(RegistrationSchema())   # an instance: a class would be instantiated per request
@blp.response(201, RegisteredSchema)
def register(body, token):
    """Register yourself (is_self) and your family in the scanned household.

    The first registrant of a household without a head may claim it (claim_head) and is confirmed at once
    with the family; later members wait for the head or the grid head. The answer is the same whether or not
    an ID number is registered already; if it is, staff see a move, which needs the person's side too."""
    p = current_principal()
    if p.wechat is None or p.staff is not None:
        abort(403, message="Residents register with their own WeChat; staff accounts cannot register.")
    household = letter_household(token)
    rows = register_members(household.id, p.wechat, body["members"], claim_head=body["claim_head"],
                            consent_version=body["consent_version"],
                            notice_version=current_app.config["PRIVACY_NOTICE_VERSION"])
    commit_keeping_objects()
    return {"household": household, "members": rows}


def _my_household() -> dict:
    me = current_member()
    return {"household": me.household, "me": me.id, "members": [m for m in me.household.members if sees(me, m)]}


@blp.route("/my/household")
@login_required(Role.RESIDENT, Role.REGISTRANT)
@blp.response(200, MyHouseholdSchema)
def my_household():
    """The caller's household and its members (a pending registrant sees only whom they registered)."""
    return _my_household()


@blp.route("/my/household/export")
@login_required(Role.RESIDENT)
@blp.response(200, ExportSchema)
def export_my_household():
    """All the household data the caller may see, as JSON; only the caller's own record is unmasked."""
    p = current_principal()
    mine = _my_household()
    members = MemberSchema(many=True).dump(mine["members"])
    for row in members:
        if row["id"] == p.resident.id:
            row.update(id_number=reveal_id_number(p.resident), phone=p.resident.phone)
    record(p, "export", "household", mine["household"].id)
    db.session.commit()
    return {"exported_at": utcnow(), "household": mine["household"], "members": members}


@blp.route("/members/<int:member_id>")
class MemberById(MethodView):
    @login_required(Role.RESIDENT, Role.REGISTRANT)
    @blp.arguments(MemberChangeSchema)
    @blp.response(200, MemberSchema)
    def patch(self, changes, member_id):
        """Correct a member: the head anyone in the household, others themselves and whom they registered."""
        member = _changeable(member_id)
        update_member(member, changes)
        db.session.commit()
        return member

    @login_required(Role.RESIDENT, Role.REGISTRANT)
    @blp.response(204)
    def delete(self, member_id):
        """Remove a member from the caller's household (the same people may do this as may correct it); a
        registrant withdraws their own registration so."""
        member = _changeable(member_id)
        withdraw_member(member, current_principal())
        db.session.commit()


def _changeable(member_id: int) -> Resident:
    member = member_or_404(member_id)
    if not may_change(current_member(), member):
        abort(403, message="Only the household head changes other members' records.")
    return member


@blp.route("/members/<int:member_id>/confirm", methods=["POST"])
@login_required(Role.RESIDENT, Role.GRID_HEAD)
@blp.response(200, MemberSchema)
def confirm(member_id):
    """The household head (or the grid head) confirms a pending member; a move also needs the person's side."""
    member = member_or_404(member_id)
    check_confirms(current_principal(), member)
    confirm_member(member)
    db.session.commit()
    return member


@blp.route("/members/<int:member_id>/reject", methods=["POST"])
@login_required(Role.RESIDENT, Role.GRID_HEAD)
@blp.response(204)
def reject(member_id):
    """The household head (or the grid head) turns down a pending registration; its record is deleted."""
    member = member_or_404(member_id)
    check_confirms(current_principal(), member)
    reject_member(member)
    db.session.commit()


@blp.route("/members/<int:member_id>/reveal", methods=["POST"])
@login_required(Role.GRID_HEAD, Role.POLICE, Role.ADMIN)
@blp.arguments(RevealSchema)
@blp.response(200, RevealedSchema)
def reveal(body, member_id):
    """The full ID number and phone of a member in the caller's place; the reason is kept in the audit trail."""
    revealed = reveal_member(member_or_404(member_id), current_principal(), body["reason"])
    db.session.commit()
    return revealed


MOVE_DECIDERS = (Role.RESIDENT, Role.REGISTRANT, Role.GRID_HEAD)


@blp.route("/moves")
@login_required(*MOVE_DECIDERS)
@blp.response(200, MoveSchema(many=True))
def moves():
    """Moves waiting for the caller to agree or refuse: of their own record, out of the household they head,
    out of the grid they head; oldest first."""
    query = moves_for(current_principal()).where(Resident.move_consent.is_(None))
    return db.session.scalars(query.order_by(Resident.created_at, Resident.id)).all()


def _move_or_404(member_id: int) -> Resident:
    return db.first_or_404(moves_for(current_principal()).where(Resident.id == member_id),
                           description=f"Move {member_id} not found.")


@blp.route("/moves/<int:member_id>/approve", methods=["POST"])
@login_required(*MOVE_DECIDERS)
@blp.response(200, MoveSchema)
def approve(member_id):
    """The person's side agrees: the move happens now if the household they go to has confirmed them, else
    when it does. The person, their household head or their grid head may agree."""
    p = current_principal()
    move = _move_or_404(member_id)
    approve_move(move, p)
    commit_keeping_objects()
    return move


@blp.route("/moves/<int:member_id>/refuse", methods=["POST"])
@login_required(*MOVE_DECIDERS)
@blp.response(204)
def refuse(member_id):
    """The person's side refuses: the record claiming the person goes, and whoever registered it is told."""
    p = current_principal()
    move = _move_or_404(member_id)
    refuse_move(move, p)
    db.session.commit()

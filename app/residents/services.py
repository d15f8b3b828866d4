"""Registering, confirming, changing, moving and removing household members: plain values in, the caller commits."""
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value

from app.auth.principal import Principal, wechat_role
from app.clock import utcnow
from app.models import (
    ContactHousehold,
    Household,
    PartyMember,
    PointAccount,
    Resident,
    Volunteer,
    WeChatIdentity,
)
from app.models.people import ResidenceType, resident_table, wechat_identity_table
from app.models.places import grid_table, household_table
from app.points.services import award_by_rule
from app.privacy.audit import record, record_each
from app.residents import announcements as tell
from app.residents.id_numbers import person_index, reveal_id_number, sealed_id_number, store_id_number
from app.residents.migrants import MIGRANT_FIELDS, migrant_field_errors, migrant_fields
from app.residents.permissions import consent_of
from app.web.extensions import adopt_as_loaded, db
from app.web.refusals import Conflict, Refusal

HEAD_RELATIONSHIP = "本人"


def confirmed_head(household_id: int) -> Resident | None:
    return db.session.scalar(select(Resident).where(
        Resident.household_id == household_id, Resident.is_head, Resident.confirmed))


def register_members(household_id: int, wechat: WeChatIdentity, entries: list[dict], *, claim_head: bool,
                     consent_version: str, notice_version: str) -> list[Resident]:
    """Add the scanned household's members as `wechat` typed them in.

    Each record is made as for a person nobody knows: the first registrant of a household without a head may
    claim it and is confirmed at once with the family, as is the family a confirmed head adds; anyone else
    waits for the head (or the grid head). So the answer never tells whether an ID number is registered
    already, elsewhere or here. If it is, the record is also a move (start_move), which takes the person out
    of their earlier record only once their side agrees too. Each record's registration is audited, naming
    the WeChat user who typed in its ID number."""
    if consent_version != notice_version:
        raise Conflict(f"Please read and accept the updated privacy notice (version {notice_version}).")
    # Locked so that two first registrants cannot both become head (PostgreSQL; SQLite writes one at a time).
    # Its grid head comes along: who hears of the registration (announcements.registered).
    grid_head_id = db.session.execute(_LOCK_HOUSEHOLD, {"household_id": household_id}).scalar_one()
    household = db.session.get_one(Household, household_id)   # the scan's: no statement
    own = wechat.resident
    indexes = [person_index(entry["id_number"]) for entry in entries]
    _check_registrant(own, household.id, entries, indexes)
    if claim_head:
        _check_head_free(household.id)
    at_once = claim_head or (own is not None and own.household_id == household.id and own.is_head and own.confirmed)
    # Read before the new records are written: none of them is a confirmed head unless all are confirmed (and
    # then nobody is told to confirm them), nor anyone's earlier record.
    head_users = [] if at_once else tell.head_identities(household.id)
    # A registrant registered in another household moves themselves (_check_registrant), and so agrees.
    movers = [own if own is not None and entry["is_self"] else None for entry in entries]
    earlier = _earliest_records([index for index, mover in zip(indexes, movers) if mover is None])
    now = utcnow()
    values = []
    for entry, index, mover in zip(entries, indexes, movers):
        head = claim_head and entry["is_self"]
        earliest = mover or earlier.get(index)
        values.append({
            "household_id": household.id, "name": entry["name"], "phone": entry.get("phone"), "is_head": head,
            "relationship_to_head": HEAD_RELATIONSHIP if head else entry["relationship_to_head"],
            "residence_type": ResidenceType(entry["residence_type"]),
            **{field: entry.get(field) for field in MIGRANT_FIELDS}, **sealed_id_number(entry["id_number"]),
            "registered_by_id": own.id if own else None, "consent_version": consent_version, "consent_at": now,
            "created_at": now,
            "confirmed": at_once, "confirmed_at": now if at_once else None,
            "move_from_id": earliest.id if earliest else None,
            "move_from_household_id": earliest.household_id if earliest else None,
            "move_consent": "person" if mover else None, "move_consent_at": now if mover else None})
    rows = _insert_members(values)
    db.session.expire(household, ["members"])   # read again if asked
    typist = Principal(role=wechat_role(wechat), wechat=wechat)
    record_each(typist, "register", "resident", [row.id for row in rows], community_id=household.community_id)
    if own is None:
        _link_self(wechat, rows, entries)
    tell.registered(household, rows, head_users, grid_head_id)
    for row in rows:
        if row.move_from_id is not None:
            _go_on_with_move(row)
    if at_once:
        _award_if_fully_registered(household, now)
    return rows


def _insert_members(values: list[dict]) -> list[Resident]:
    """New records, every column given but the id, written by one Core INSERT that returns only their ids (for
    speed: no unit of work, no columns read back); the objects join the session as the rows they are."""
    rows = [Resident(**columns) for columns in values]
    for row, row_id in zip(rows, db.session.scalars(_INSERT_MEMBERS, values)):
        row.id = row_id
        adopt_as_loaded(row)
    return rows


_INSERT_MEMBERS = insert(resident_table).returning(resident_table.c.id, sort_by_parameter_order=True)
# Narrow for speed: the lock, and the house's grid head.
_LOCK_HOUSEHOLD = (select(grid_table.c.head_id).join(household_table, household_table.c.grid_id == grid_table.c.id)
                   .where(household_table.c.id == bindparam("household_id")).with_for_update(of=household_table))


def _check_registrant(own: Resident | None, household_id: int, entries: list[dict], indexes: list[str]):
    """Refuse what the registration itself gets wrong; nothing here depends on anyone else's records."""
    if len(set(indexes)) < len(indexes):
        raise Conflict("the same ID number appears twice in this registration.", "members")
    if own is None:
        return
    self_at = next((i for i, entry in enumerate(entries) if entry["is_self"]), None)
    if own.household_id == household_id:
        if self_at is not None:
            raise Conflict("You are registered in this household already; add only your family members.")
    elif self_at is None:
        raise Conflict("You are registered in another household. To move here, register yourself (is_self) "
                       "too; the move waits for this household to confirm you.")
    elif own.id_number_index and own.id_number_index != indexes[self_at]:
        raise Conflict(f"members.{self_at}.id_number: this is not the ID number you are registered with.")


def start_move(member: Resident) -> None:
    """Make `member` a move if the person has a record already: the earliest with the same ID number,
    confirmed ones first (whose side must agree)."""
    index = member.id_number_index
    earlier = _earliest_records([index], but=member.id).get(index) if index else None
    member.move_from = earlier
    member.move_from_household_id = earlier.household_id if earlier else None
    member.move_consent, member.move_consent_at = None, None
    if earlier is not None:
        _go_on_with_move(member)


def _go_on_with_move(member: Resident) -> None:
    """A move just made: it happens if both sides agreed already, else whoever must agree is asked."""
    if member.confirmed and member.move_consent:
        _complete_move(member)
    else:
        earlier = member.move_from
        tell.move_waiting(member, earlier, confirmed_head(earlier.household_id))


# Narrow for speed: a registration of people nobody knows reads no record, only that there is none.
_EARLIEST = (select(resident_table.c.id_number_index, resident_table.c.id)
             .where(resident_table.c.id_number_index.in_(bindparam("indexes", expanding=True)),
                    resident_table.c.id != bindparam("but"))
             .order_by(resident_table.c.confirmed.desc(), resident_table.c.id))


def _earliest_records(indexes: list[str], but: int = 0) -> dict[str, Resident]:
    """Each blind index's earliest record (confirmed ones first), other than record `but` (0: none is)."""
    found: dict[str, int] = {}
    if indexes:
        for index, resident_id in db.session.execute(_EARLIEST, {"indexes": indexes, "but": but}):
            found.setdefault(index, resident_id)
    return {index: db.session.get_one(Resident, resident_id) for index, resident_id in found.items()}


def _check_head_free(household_id: int) -> None:
    claims = db.session.scalars(select(Resident.confirmed).where(
        Resident.household_id == household_id, Resident.is_head)).all()
    if any(claims):
        raise Conflict("this household has a head already; register as a member and the head "
                       "will confirm you.", "claim_head")
    if claims:
        raise Conflict("someone's claim to head this household is waiting for the grid head.", "claim_head")


def _link_self(wechat: WeChatIdentity, rows: list[Resident], entries: list[dict]) -> None:
    """A newcomer becomes the member they registered as themselves, and the registrant of the others."""
    me = next((row for row, entry in zip(rows, entries) if entry["is_self"]), None)
    if me is None:
        return
    # Core statements, so that the commit has nothing to flush (for speed); the session's objects are told.
    db.session.execute(_LINK_WECHAT, {"wechat_id": wechat.id, "resident_id": me.id})
    set_committed_value(wechat, "resident_id", me.id)
    set_committed_value(wechat, "resident", me)
    others = [row for row in rows if row is not me]
    if others:
        db.session.execute(_REGISTERED_BY, {"ids": [row.id for row in others], "registrant_id": me.id})
        for row in others:
            set_committed_value(row, "registered_by_id", me.id)


_LINK_WECHAT = (update(wechat_identity_table).where(wechat_identity_table.c.id == bindparam("wechat_id"))
                .values(resident_id=bindparam("resident_id")))
_REGISTERED_BY = (update(resident_table).where(resident_table.c.id.in_(bindparam("ids", expanding=True)))
                  .values(registered_by_id=bindparam("registrant_id")))


def confirm_member(member: Resident) -> None:
    """Confirm a pending member: for a move, the side it goes to agrees; it happens if the person's side has."""
    if member.confirmed:
        raise Conflict("This member is confirmed already.", zh="该成员已经确认过了。")
    if member.is_head and confirmed_head(member.household_id):
        raise Conflict("This household has a confirmed head already; reject this claim instead.",
                       zh="该户已有确认的户主，请驳回这一户主申请。")
    member.confirmed, member.confirmed_at = True, utcnow()
    tell.registrant(member, confirmed=True)
    if member.move_from_id is not None and member.move_consent:
        _complete_move(member)
    _award_if_fully_registered(member.household, member.confirmed_at)


def _award_if_fully_registered(household: Household, now) -> None:
    """A confirmation that leaves nobody of the household pending earns the household the community's points for
    a fully registered household: once ever, by the ledger's unique (account, source) key, however often members
    come, go and are confirmed later."""
    db.session.flush()
    pending = db.session.scalar(select(Resident.id).where(Resident.household_id == household.id,
                                                          Resident.confirmed.is_(False)).limit(1))
    if pending is None:
        award_by_rule(household, "household_registered", f"household:{household.id}", now)


def approve_move(member: Resident, by: Principal) -> None:
    """The person's side (`by`: the person, their household head or grid head) agrees to a move; it happens
    now if the household it goes to confirmed the record, else when that household does."""
    _check_undecided(member)
    record(by, "approve_move", "resident", member.id)
    member.move_consent, member.move_consent_at = consent_of(by, member), utcnow()
    if member.confirmed:
        _complete_move(member)


def refuse_move(member: Resident, by: Principal) -> None:
    """The person's side refuses a move: the record that claims them goes, and its registrant is told."""
    _check_undecided(member)
    record(by, "refuse_move", "resident", member.id)
    tell.move_settled(member.move_from, member, False, _heads(member))
    reject_member(member, refused=True)


def _check_undecided(member: Resident) -> None:
    if member.move_consent:
        raise Conflict("This move is agreed already; it waits for the household it goes to.")


def _heads(member: Resident) -> list[Resident | None]:
    """The confirmed heads of the household a move comes from and of the one it goes to."""
    return [confirmed_head(member.move_from.household_id), confirmed_head(member.household_id)]


def _complete_move(member: Resident) -> None:
    """Both sides agreed: everyone concerned is told, the person's WeChat follows them, the earlier record goes."""
    earlier = member.move_from
    tell.move_settled(earlier, member, True, _heads(member))
    for identity in db.session.scalars(select(WeChatIdentity).where(WeChatIdentity.resident_id == earlier.id)):
        identity.resident = member   # through the session: the caller may answer with the same objects
    # Whom the person registered stays theirs; other records claiming the person now claim them where they live.
    db.session.execute(update(Resident).where(Resident.registered_by_id == earlier.id)
                       .values(registered_by_id=member.id))
    db.session.execute(update(Resident).where(Resident.move_from_id == earlier.id, Resident.id != member.id)
                       .values(move_from_id=member.id, move_from_household_id=member.household_id,
                               move_consent=None, move_consent_at=None))
    member.move_from = None
    remove_member(earlier)


def reject_member(member: Resident, refused: bool = False) -> None:
    """Turn down a pending registration (or, `refused` by the person's side, a move however confirmed): the
    record goes, and whoever typed it in is told."""
    if member.confirmed and not refused:
        raise Conflict("Only pending registrations are rejected; a confirmed member is removed instead.",
                       zh="只有待确认的登记可以驳回；已确认的成员请删除。")
    tell.registrant(member, confirmed=False)
    remove_member(member)


def withdraw_member(member: Resident, by: Principal) -> None:
    """A member removed by the household (or a registrant withdrawing their registration), audited."""
    record(by, "delete", "resident", member.id)
    remove_member(member)


def reveal_member(member: Resident, by: Principal, reason: str) -> dict:
    """A member's whole ID number and phone for staff in place; the reason goes to the audit trail."""
    record(by, "reveal", "resident", member.id, reason=reason)
    return {"id": member.id, "name": member.name, "id_number": reveal_id_number(member), "phone": member.phone}


def remove_member(member: Resident) -> None:
    """Delete a member record; WeChat users linked to it are unlinked (and may register again), and records
    that would have moved the person from it are moves no more."""
    db.session.execute(update(WeChatIdentity).where(WeChatIdentity.resident_id == member.id)
                       .values(resident_id=None))
    db.session.execute(update(Resident).where(Resident.registered_by_id == member.id).values(registered_by_id=None))
    db.session.execute(update(Resident).where(Resident.move_from_id == member.id).values(
        move_from_id=None, move_from_household_id=None, move_consent=None, move_consent_at=None))
    # Party membership and volunteering are a registered resident's; points stay in their account (SET NULL).
    memberships = select(PartyMember.id).where(PartyMember.resident_id == member.id)
    db.session.execute(delete(ContactHousehold).where(ContactHousehold.party_member_id.in_(memberships)))
    db.session.execute(delete(PartyMember).where(PartyMember.resident_id == member.id))
    db.session.execute(delete(Volunteer).where(Volunteer.resident_id == member.id))
    db.session.execute(update(PointAccount).where(PointAccount.resident_id == member.id).values(resident_id=None))
    db.session.delete(member)


def update_member(member: Resident, changes: dict) -> None:
    """Apply a resident's corrections; a new ID number must not belong to anyone else registered."""
    changes = dict(changes)
    if member.is_head and changes.get("relationship_to_head", HEAD_RELATIONSHIP) != HEAD_RELATIONSHIP:
        raise Refusal(f"The head's relationship is always {HEAD_RELATIONSHIP}.", "relationship_to_head")
    if "id_number" in changes:
        _change_id_number(member, changes.pop("id_number"))
    kind = changes.get("residence_type", member.residence_type.value if member.residence_type else None)
    kept = migrant_fields(kind)
    stored = {field: getattr(member, field) for field in kept}
    errors = migrant_field_errors(kind, {**stored, **changes})
    if errors:
        field = next(iter(errors))
        raise Refusal(errors[field], field)
    for field, value in changes.items():
        setattr(member, field, ResidenceType(value) if field == "residence_type" else value)
    for field in MIGRANT_FIELDS:
        if field not in kept:
            setattr(member, field, None)


def _change_id_number(member: Resident, number: str) -> None:
    """Store a corrected ID number; as at registration, the answer is the same whether or not it is registered
    already, and if it is, the record becomes a move from the person's earlier one."""
    if person_index(number) == member.id_number_index:
        return
    store_id_number(member, number)
    start_move(member)
